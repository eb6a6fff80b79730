import { indexCatalog } from '../catalog/catalogIndex';
import { evaluateScoredEntity } from '../engine/evaluateEntity';
import { EntityEvaluation } from '../model/resultModel';
import { CompiledStandard } from '../standard/compiledStandard';
import { World } from './baselineWorld';

/** Evaluates a fixture world against a compiled standard. */
export function evaluateWorld(
  world: World,
  standard: CompiledStandard,
): EntityEvaluation {
  return evaluateScoredEntity({
    now: world.now,
    entity: world.entity,
    catalog: indexCatalog({
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
