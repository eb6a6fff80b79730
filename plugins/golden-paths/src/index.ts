/**
 * Golden paths in the portal: the approvals inbox, the request detail page (plan, ledger, audit
 * trail) and the entity Lifecycle card (design note golden-paths.md §6, §7).
 *
 * The new-frontend-system plugin is the default export of `./alpha`; this entry point holds the
 * legacy exports and the API.
 *
 * @packageDocumentation
 */
export {
  goldenPathsPlugin,
  GoldenPathsApprovalsPage,
  GoldenPathsRequestsPage,
  EntityLifecycleCard,
} from './plugin';
export * from './api';
export {
  isLifecycleAvailable,
  REQUEST_KEY_ANNOTATION,
} from './isLifecycleAvailable';
