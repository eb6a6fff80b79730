import type { Entity } from '@backstage/catalog-model';
import { GP_KEYS } from '@internal/plugin-golden-paths-common';

/** The annotation a golden path writes on what it created (§2.1 provenance). */
export const REQUEST_KEY_ANNOTATION = GP_KEYS.requestKey;

/**
 * True when the Lifecycle card applies: the entity was created by a golden path, so it carries
 * `ops.example.com/request-key`. Use it in `EntitySwitch.Case` (legacy); the new frontend
 * system's card uses it as its filter.
 */
export function isLifecycleAvailable(entity: Entity): boolean {
  return !!entity.metadata.annotations?.[REQUEST_KEY_ANNOTATION];
}
