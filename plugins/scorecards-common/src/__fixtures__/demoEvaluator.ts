import { Entity } from '@backstage/catalog-model';
import { CatalogIndex, indexCatalog } from '../catalog/catalogIndex';
import { evaluateEntity } from '../engine/evaluateEntity';
import {
  demoEdges,
  demoEntities,
  demoFacts,
  demoLedger,
  demoSourceHealth,
  demoWaivers,
  DEMO_STANDARD_OVERRIDES,
} from './demoCatalog';
import { compileWith } from './standards';
import { T } from './time';

/** When the demo's catalog snapshot was read (30 s before `T`). */
export const DEMO_REFRESHED_AT = '2026-03-14T02:04:30Z';

/**
 * The demo catalog (§6.3) as the processor sees it at `T`: its standard, its entities and an
 * `evaluate` that answers for one of them with the demo evidence and waivers; `evaluateIn` does
 * the same against another snapshot of the catalog.
 */
export function demoEvaluator() {
  const standard = compileWith(DEMO_STANDARD_OVERRIDES);
  const entities = demoEntities();
  const catalog = indexCatalog({ entities, refreshedAt: DEMO_REFRESHED_AT });
  const inputs = demoInputs();
  const evaluateIn = (entity: Entity, snapshot: CatalogIndex) =>
    evaluateEntity({
      now: T,
      entity,
      catalog: snapshot,
      standard,
      ...inputs,
    });
  const evaluate = (entity: Entity) => evaluateIn(entity, catalog);
  return { standard, entities, inputs, evaluate, evaluateIn };
}

/** The demo's evidence and waivers, as an evaluation takes them. */
export function demoInputs() {
  return {
    facts: demoFacts(),
    ledger: demoLedger(),
    observedEdges: demoEdges(),
    sourceHealth: demoSourceHealth(),
    waivers: demoWaivers(),
    firstSeenAt: '2025-06-01T00:00:00Z',
  };
}
