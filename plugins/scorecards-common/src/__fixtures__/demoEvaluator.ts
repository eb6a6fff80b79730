import { Entity } from '@backstage/catalog-model';
import { indexCatalog } from '../catalog/catalogIndex';
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

/**
 * The demo catalog (§6.3) as the processor sees it at `T`: its standard, its entities and an
 * `evaluate` that answers for one of them with the demo evidence and waivers.
 */
export function demoEvaluator() {
  const standard = compileWith(DEMO_STANDARD_OVERRIDES);
  const entities = demoEntities();
  const catalog = indexCatalog({
    entities,
    refreshedAt: '2026-03-14T02:04:30Z',
  });
  const inputs = {
    facts: demoFacts(),
    ledger: demoLedger(),
    observedEdges: demoEdges(),
    sourceHealth: demoSourceHealth(),
    waivers: demoWaivers(),
  };
  const evaluate = (entity: Entity) =>
    evaluateEntity({
      now: T,
      entity,
      catalog,
      standard,
      firstSeenAt: '2025-06-01T00:00:00Z',
      ...inputs,
    });
  return { standard, entities, evaluate };
}
