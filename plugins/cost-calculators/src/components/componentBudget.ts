import { RELATION_DEPENDS_ON, parseEntityRef } from '@backstage/catalog-model';
import type { Entity } from '@backstage/catalog-model';

/**
 * Resources a Component depends on: the databases whose connection budget it may share
 * (§1 card table, C10 "Component: same card scoped to its row"). Empty for other kinds. The
 * card still checks each Resource's own trigger (`spec.type: database`, `max-connections`)
 * once it has fetched it; this is the part a card filter can see without fetching.
 */
export function dependedOnResources(entity: Entity): string[] {
  if (entity.kind.toLowerCase() !== 'component') return [];
  return (entity.relations ?? [])
    .filter(r => r.type === RELATION_DEPENDS_ON)
    .map(r => r.targetRef)
    .filter(ref => parseEntityRef(ref).kind.toLowerCase() === 'resource')
    .sort();
}
