import { createHash } from 'node:crypto';
import { Entity } from '@backstage/catalog-model';
import {
  EntityEvaluation,
  hashEntity,
  toHistorySnapshot,
} from '@internal/plugin-scorecards-common';

/**
 * `hashEntity` of the entity as the catalog will store it, which is what the scorecards
 * backend's scheduled pass hashes: the processor sees the entity before the catalog's policies,
 * and `DefaultNamespaceEntityPolicy` adds `metadata.namespace: default` only after
 * pre-processing. Without this every entity written without a namespace would hash differently
 * on the two sides, and the backend would label every posted change `entity-changed`.
 */
export function catalogEntityHash(entity: Entity): string {
  if (entity.metadata.namespace) return hashEntity(entity);
  return hashEntity({
    ...entity,
    metadata: { ...entity.metadata, namespace: 'default' },
  });
}

/**
 * A short digest of the entity as processed and of what history keeps of its evaluation
 * (§2.10: level, states, reasons, phases, versions, waivers, evidence times): equal keys mean
 * the backend would store the same snapshot, so there is nothing to post. The entity enters as
 * plain JSON (~10 µs) rather than through `hashEntity` (~60 µs), which is computed only for
 * result sets that are posted. A change detector only — the backend computes its own
 * `resultHash` and never reads this one.
 */
export function resultKeyOf(
  entity: Entity,
  evaluation: EntityEvaluation,
): string {
  return createHash('sha1')
    .update(JSON.stringify(entity))
    .update('\u0000')
    .update(JSON.stringify(toHistorySnapshot(evaluation, '')))
    .digest('base64');
}
