import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';

// Every permission of golden paths (design note golden-paths.md §6.4), defined here rather than
// in the backend so each package that checks one can import it: the backend guards its routes
// with them, the scaffolder module checks the lifecycle transition with the initiator's
// credentials, and the frontend asks the permission framework before offering a button.

/** Record a decision on an approval (§6.2 rule 2, §6.4), break-glass included. @public */
export const goldenPathsApprovalDecidePermission = createPermission({
  name: 'goldenpaths.approval.decide',
  attributes: { action: 'update' },
});

/** Set or lift a runtime kill switch (§4.7, §6.4). @public */
export const goldenPathsKillSwitchManagePermission = createPermission({
  name: 'goldenpaths.killswitch.manage',
  attributes: { action: 'update' },
});

/** Read requests, their steps, approvals and events (§4.8, §6.4). @public */
export const goldenPathsRequestReadPermission = createPermission({
  name: 'goldenpaths.request.read',
  attributes: { action: 'read' },
});

/** Compensate a request and repair its recorded steps (§8, §6.4). @public */
export const goldenPathsRequestCompensatePermission = createPermission({
  name: 'goldenpaths.request.compensate',
  attributes: { action: 'update' },
});

/**
 * Moving an entity through its lifecycle (§6.4, §7): a resource permission on the catalog
 * entity, so a policy can answer per entity (the note's default: members of the owner group,
 * plus the platform team). The scaffolder module checks it: `goldenpath:lifecycle` talks to the
 * backend with the scaffolder's own service credentials, so only the action still holds the
 * initiator's.
 *
 * @public
 */
export const goldenPathsLifecycleTransitionPermission = createPermission({
  name: 'goldenpaths.lifecycle.transition',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/**
 * Every permission of the plugin (§6.4), as the backend registers them: the four basic ones and
 * the lifecycle transition, a resource permission on `catalog-entity` (conditions on it are the
 * catalog's rules).
 *
 * @public
 */
export const goldenPathsPermissions = [
  goldenPathsApprovalDecidePermission,
  goldenPathsKillSwitchManagePermission,
  goldenPathsRequestReadPermission,
  goldenPathsRequestCompensatePermission,
  goldenPathsLifecycleTransitionPermission,
];

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
