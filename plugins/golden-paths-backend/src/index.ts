/**
 * Golden paths backend: request ledger, approvals and kill switches API.
 *
 * @packageDocumentation
 */
export { goldenPathsPlugin as default } from './plugin';
// The permission objects a policy matches on (goldenPathsPermissions and each one) are exported
// by @internal/plugin-golden-paths-common, which the frontend and the scaffolder module share.
