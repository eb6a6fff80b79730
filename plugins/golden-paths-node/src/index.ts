/**
 * Node library of golden paths: the {@link goldenPathsServiceRef} the scaffolder module uses to
 * claim requests and steps, record results and open approvals in the golden-paths backend.
 *
 * @packageDocumentation
 */
export { goldenPathsServiceRef } from './goldenPathsServiceRef';
export { DefaultGoldenPathsService } from './client/DefaultGoldenPathsService';
export type { GoldenPathsFetch } from './client/DefaultGoldenPathsService';
export { isRefusal } from './GoldenPathsService';
export type {
  ApprovalStateView,
  GoldenPathsService,
  LedgerRefusal,
  LedgerRequest,
  LedgerStep,
  LifecycleGateView,
  LifecycleGatesAnswer,
  OpenRequestInput,
  OpenRequestResult,
} from './GoldenPathsService';
