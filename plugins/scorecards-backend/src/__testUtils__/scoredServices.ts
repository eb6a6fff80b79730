import { Entity } from '@backstage/catalog-model';
import {
  defaultStandardFile,
  evaluateEntity,
  indexCatalog,
  loadStandard,
} from '@internal/plugin-scorecards-common';

/** The instant the store tests evaluate around (scorecards §6's `T`). */
export const T = '2026-03-14T02:05:00.000Z';

/** `minutes` after `T`, as an ISO instant. */
export const at = (minutes: number) =>
  new Date(Date.parse(T) + minutes * 60_000).toISOString();

export const standard = loadStandard(defaultStandardFile);

const group: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'checkout-team', namespace: 'default' },
  spec: { type: 'team', children: [], members: ['ana'] },
};

/** A service; `tier-declared` passes with a tier label and fails without one. */
export const service = (name: string, tier?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    ...(tier ? { labels: { 'ops.example.com/tier': tier } } : {}),
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/checkout-team',
    system: 'system:default/checkout',
  },
});

/** The default standard's evaluation of `entity` at `now`, its owner group in the catalog. */
export function evaluate(entity: Entity, now: string) {
  const evaluation = evaluateEntity({
    now,
    entity,
    catalog: indexCatalog({ entities: [group, entity], refreshedAt: now }),
    standard,
    facts: [],
    waivers: [],
    firstSeenAt: T,
  });
  if (!evaluation.scored) throw new Error('not scored');
  return evaluation;
}
