import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';

/**
 * Moving an entity through its lifecycle (golden-paths.md §6.4, §7): a resource permission on
 * the catalog entity, so a policy can answer per entity (the note's default: members of the
 * owner group, plus the platform team). Defined here rather than in the backend because the
 * scaffolder module checks it: `goldenpath:lifecycle` talks to the backend with the scaffolder's
 * own service credentials, so only the action still holds the initiator's.
 *
 * @public
 */
export const goldenPathsLifecycleTransitionPermission = createPermission({
  name: 'goldenpaths.lifecycle.transition',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/**
 * `true` only for a definitive ALLOW: a DENY, and a CONDITIONAL the caller did not resolve, both
 * refuse (fail closed). For packages that read permission decisions without depending on the
 * permission packages themselves.
 *
 * @public
 */
export function isAllowedDecision(decision: {
  result: AuthorizeResult;
}): boolean {
  return decision.result === AuthorizeResult.ALLOW;
}
