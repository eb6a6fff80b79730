/**
 * Result sets as the scorecards backend stores them, for the store benchmarks: the engine's
 * own evaluations with the default standard (45 checks) over the scored entities of the
 * synthetic world (`syntheticWorld.ts`, seeded).
 */
import { Entity } from '@backstage/catalog-model';
import {
  EntityEvaluation,
  defaultStandardFile,
  evaluateEntity,
  hashEntity,
  indexCatalog,
  loadStandard,
} from '@internal/plugin-scorecards-common';
import { NOW, refOf, syntheticWorld } from './syntheticWorld';

/** The engine's result sets for the world's scored entities; `withoutRepoSettings` drops one fact. */
export function resultSets(
  entities: number,
  withoutRepoSettings: boolean,
  at: string,
) {
  const world = syntheticWorld(entities);
  const standard = loadStandard(defaultStandardFile, { fileName: 'default' });
  const catalog = indexCatalog({ entities: world.entities, refreshedAt: NOW });
  const sets: {
    entity: Entity;
    evaluation: EntityEvaluation;
    entityHash: string;
  }[] = [];
  for (const entity of world.scored) {
    const ref = refOf(entity);
    const facts = (world.facts.get(ref) ?? []).filter(
      f => !withoutRepoSettings || f.kind !== 'repo.settings',
    );
    const evaluation = evaluateEntity({
      now: NOW,
      entity,
      catalog,
      standard,
      facts,
      ledger: world.ledger.get(ref) ?? [],
      observedEdges: world.edges.get(ref) ?? [],
      sourceHealth: world.sourceHealth,
      collection: [],
      waivers: world.waivers,
      firstSeenAt: '2025-06-01T00:00:00Z',
    });
    if (evaluation.scored) {
      sets.push({
        entity,
        evaluation: { ...evaluation, evaluatedAt: at },
        // the changed phase's entities were edited too (a new annotation), so every set differs
        entityHash: hashEntity(
          withoutRepoSettings
            ? {
                ...entity,
                metadata: {
                  ...entity.metadata,
                  annotations: {
                    ...entity.metadata.annotations,
                    'bench.example.com/revision': '2',
                  },
                },
              }
            : entity,
        ),
      });
    }
  }
  return sets;
}
