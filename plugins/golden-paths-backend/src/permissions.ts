import { createPermission } from '@backstage/plugin-permission-common';

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

/** Every basic permission of the plugin. @public */
export const goldenPathsPermissions = [
  goldenPathsApprovalDecidePermission,
  goldenPathsKillSwitchManagePermission,
  goldenPathsRequestReadPermission,
  goldenPathsRequestCompensatePermission,
];
