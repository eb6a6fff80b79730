import { CatalogIndex, indexCatalog } from '../catalog/catalogIndex';
import { evaluateScoredEntity } from '../engine/evaluateEntity';
import { EntityEvaluation } from '../model/resultModel';
import { CompiledStandard } from '../standard/compiledStandard';
import { World } from './baselineWorld';

/**
 * Evaluates a fixture world against a compiled standard; `catalog` replaces the index of the
 * world's entities (a snapshot that lacks some of them, say).
 */
export function evaluateWorld(
  world: World,
  standard: CompiledStandard,
  catalog?: CatalogIndex,
): EntityEvaluation {
  return evaluateScoredEntity({
    now: world.now,
    entity: world.entity,
    catalog:
      catalog ??
      indexCatalog({
        entities: [world.entity, ...world.others],
        refreshedAt: world.refreshedAt,
      }),
    standard,
    facts: world.facts,
    ledger: world.ledger,
    observedEdges: world.edges,
    sourceHealth: world.sourceHealth,
    collection: world.collection,
    waivers: world.waivers,
    firstSeenAt: world.firstSeenAt,
  });
}
