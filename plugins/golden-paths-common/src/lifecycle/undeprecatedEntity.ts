import type { Entity } from '@backstage/catalog-model';
import { GP_KEYS } from '../constants';

/**
 * Annotations a deprecation sets and an undeprecation removes (§7.1).
 *
 * @public
 */
export const DEPRECATION_ANNOTATIONS: readonly string[] = [
  GP_KEYS.retireBy,
  GP_KEYS.replacedBy,
  GP_KEYS.deprecatedReason,
];

/**
 * The entity as `undeprecate` leaves it: in `production` (`spec.lifecycle`; for a Resource or a
 * System the lifecycle annotation, and `spec.lifecycle` too when it has one) without the
 * deprecation annotations. G-P1 of an undeprecation reads the scorecard of this entity: the
 * scorecards backend does not rate a deprecated one (`not-rated`, scorecards SR13), so the level
 * the gate asks for is the one the entity would have once back in production.
 *
 * @public
 */
export function undeprecatedEntity(entity: Entity): Entity {
  const annotations = { ...entity.metadata.annotations };
  for (const key of DEPRECATION_ANNOTATIONS) delete annotations[key];
  const inAnnotation = ['resource', 'system'].includes(
    entity.kind.toLocaleLowerCase('en-US'),
  );
  if (inAnnotation) annotations[GP_KEYS.lifecycle] = 'production';
  const spec = entity.spec ?? {};
  return {
    ...entity,
    metadata: { ...entity.metadata, annotations },
    spec:
      !inAnnotation || 'lifecycle' in spec
        ? { ...spec, lifecycle: 'production' }
        : spec,
  };
}
