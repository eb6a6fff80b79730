import { createPermission } from '@backstage/plugin-permission-common';
import { goldenPathsLifecycleTransitionPermission } from '@internal/plugin-golden-paths-common';

// The lifecycle permission lives in golden-paths-common: the scaffolder module checks it with
// the initiator's credentials (see there). It is registered here with the other four.
export { goldenPathsLifecycleTransitionPermission };

/** Record a decision on an approval (§6.2 rule 2, §6.4). @public */
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

/** Compensate a request (§8, §6.4). @public */
export const goldenPathsRequestCompensatePermission = createPermission({
  name: 'goldenpaths.request.compensate',
  attributes: { action: 'update' },
});

/**
 * Every permission of the plugin (§6.4): the four basic ones and the lifecycle transition, a
 * resource permission on `catalog-entity` (conditions on it are the catalog's rules).
 * @public
 */
export const goldenPathsPermissions = [
  goldenPathsApprovalDecidePermission,
  goldenPathsKillSwitchManagePermission,
  goldenPathsRequestReadPermission,
  goldenPathsRequestCompensatePermission,
  goldenPathsLifecycleTransitionPermission,
];
