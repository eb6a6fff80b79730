/**
 * Golden paths backend: request ledger, approvals and kill switches API.
 *
 * @packageDocumentation
 */
export { goldenPathsPlugin as default } from './plugin';
export {
  goldenPathsApprovalDecidePermission,
  goldenPathsKillSwitchManagePermission,
  goldenPathsRequestReadPermission,
  goldenPathsRequestCompensatePermission,
  goldenPathsLifecycleTransitionPermission,
  goldenPathsPermissions,
} from './permissions';
