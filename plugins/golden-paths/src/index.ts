/**
 * Golden paths in the portal: the approvals inbox, the request detail page (plan, ledger, audit
 * trail, compensation), the operator's kill switches and the entity Lifecycle card (design note
 * golden-paths.md §4.7, §6, §7, §8).
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
  GoldenPathsKillSwitchesPage,
  EntityLifecycleCard,
  GoldenPathAvailabilityFieldExtension,
} from './plugin';
export type { GoldenPathAvailabilityUiOptions } from './components/GoldenPathAvailabilityField';
export * from './api';
export {
  isLifecycleAvailable,
  REQUEST_KEY_ANNOTATION,
} from './isLifecycleAvailable';
