import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type {
  ApprovalTrigger,
  Transition,
  LifecycleGateView,
  LifecycleGatesAnswer,
  SwitchRefusal,
} from '@internal/plugin-golden-paths-common';

/** A refusal of the ledger with the catalogue text (GP-I02, GP-I03, GP-I05, GP-K0x, ...). */
export interface LedgerRefusal {
  refused: true;
  ruleId: string;
  message: string;
}

/** A `gp_requests` row as the backend returns it (golden-paths.md §4.3). */
export interface LedgerRequest {
  requestKey: string;
  fingerprint: string;
  /** The normalized request (`request_json`; secret-free by GP-X01), for GP-I02's field names. */
  request?: Record<string, unknown>;
  templateRef: string;
  templateVersion: string;
  kind: string;
  status: string;
  planDigest?: string;
  outputs?: Record<string, unknown>;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  leaseTaskId?: string;
  leaseUntil?: string;
  leaseStartedAt?: string;
  attempts: number;
  lastErrorCode?: string;
  expiresAt?: string;
}

/** A `gp_steps` row. */
export interface LedgerStep {
  requestKey: string;
  stepId: string;
  fingerprint: string;
  status: 'claimed' | 'done' | 'failed' | 'compensated';
  output?: Record<string, unknown>;
  effectRef?: string;
  attempt: number;
}

/** Body of `POST /requests/:key/open`. */
export interface OpenRequestInput {
  fingerprint: string;
  request: Record<string, unknown>;
  templateRef: string;
  templateVersion: string;
  kind: 'service' | 'worker' | 'library' | 'database' | 'lifecycle';
  taskId: string;
  createdBy: string;
  /** The template's name and steps, so the backend checks the runtime kill switches (§4.7). */
  template?: { name: string; steps?: { id: string; action: string }[] };
  dryRun?: boolean;
  /**
   * The preview's plan digest (`sha256:` + 64 hex), kept in the audit record so the kill-switch
   * screen can show what a dry run would do once the switch is lifted (§4.7).
   */
  planDigest?: string;
}

/** Answer of `POST /requests/:key/open` (§4.4). */
export interface OpenRequestResult {
  mode: 'create' | 'resume' | 'replay';
  dryRun: boolean;
  request: LedgerRequest;
  previous?: Record<string, unknown>;
  /**
   * Dry run only: the kill-switch refusal (config or runtime, GP-K01/K02/K03) a real run would
   * get now. A dry run is answered instead of refused, so the operator sees it (§4.7). The
   * client checks its shape: an answer that is not a refusal leaves it out.
   */
  wouldBeRefusedBy?: SwitchRefusal;
}

/** The approval of one plan digest, as the approve step reads it (§6). */
export interface ApprovalStateView {
  /**
   * `refused`: the ledger did not open or read the approval at all — a kill switch on the
   * action, its template or `all` (GP-K01/K02/K03, `ruleId` and `message` say which). The
   * request is not moved by it, so the caller fails it (releasing its lease) like any stop.
   */
  status:
    | 'not-required'
    | 'pending'
    | 'approved'
    | 'rejected'
    | 'expired'
    | 'superseded'
    | 'refused';
  approval?: {
    id: string;
    planDigest: string;
    routes: { group: string }[];
    decisions?: { approver: string; decidedAt: string; breakGlass: boolean }[];
    decidedAt?: string;
  };
  message?: string;
  ruleId?: string;
  errors?: string[];
}

export type { LifecycleGateView, LifecycleGatesAnswer };

/**
 * Client of the golden-paths backend for the scaffolder module: the request ledger, step claims
 * and approvals (golden-paths.md §4.8). Calls carry the caller plugin's service credentials; the
 * backend lets only `plugin:scaffolder` write the ledger.
 *
 * @public
 */
export interface GoldenPathsService {
  /**
   * Read-only lookup of the ledger row of a request key (`GET /requests/:key`, permission
   * `goldenpaths.request.read`); `undefined` when the ledger holds no row for the key (never
   * created, or removed by retention). Creates and claims nothing.
   */
  getRequest(requestKey: string): Promise<LedgerRequest | undefined>;
  /**
   * Read-only lookup of one step of a request (the steps `GET /requests/:key` answers, under the
   * same permission as {@link GoldenPathsService.getRequest}); `undefined` when the ledger holds
   * no such request or step. Unlike `claimStep` it claims and writes nothing, so a dry run can
   * learn what an earlier attempt recorded.
   */
  getStep(requestKey: string, stepId: string): Promise<LedgerStep | undefined>;
  /**
   * Read-only lookup of every step the ledger holds for a request (the same answer as
   * {@link GoldenPathsService.getStep}); `undefined` when it holds no such request. Validate reads
   * it to tell a resumed run from a first one when an action switch refuses it (GP-K02).
   */
  getSteps(requestKey: string): Promise<LedgerStep[] | undefined>;
  openRequest(
    requestKey: string,
    input: OpenRequestInput,
  ): Promise<OpenRequestResult | LedgerRefusal>;
  claimStep(
    requestKey: string,
    stepId: string,
    input: { fingerprint: string; taskId: string; action?: string },
  ): Promise<{ run: boolean; step: LedgerStep } | LedgerRefusal>;
  completeStep(
    requestKey: string,
    stepId: string,
    input: {
      taskId: string;
      status: 'done' | 'failed';
      output?: Record<string, unknown>;
      effectRef?: string;
    },
  ): Promise<LedgerStep>;
  closeRequest(
    requestKey: string,
    input: {
      taskId: string;
      status: 'succeeded' | 'failed';
      outputs?: Record<string, unknown>;
      errorCode?: string;
    },
  ): Promise<LedgerRequest>;
  openApproval(
    requestKey: string,
    input: {
      planDigest: string;
      triggers: ApprovalTrigger[];
      plan?: Record<string, unknown>;
      /**
       * The action asking (`goldenpath:approve`, `goldenpath:publish:git`, ...): a kill switch on
       * it, on the request's template or on `all` refuses the approval before it is opened
       * (GP-K02/K01/K03), as it refuses the action's step claims.
       */
      action?: string;
    },
  ): Promise<ApprovalStateView>;
  /**
   * Dry evaluation of a lifecycle transition's gates (§7), now. With `credentials` (a task's
   * initiator) the gates are asked on that user's behalf: the entity must be visible to them, and
   * the messages name only the dependents they may read, while every dependent still counts.
   */
  lifecycleGates(
    query: {
      entityRef: string;
      to: Transition;
      replacement?: string;
      sunsetOn?: string;
      reason?: string;
    },
    options?: { credentials?: BackstageCredentials },
  ): Promise<LifecycleGatesAnswer>;
  /** Portal page of the request (for task output links). */
  requestUrl(requestKey: string): string;
}

/** Type guard for ledger refusals. @public */
export function isRefusal(value: unknown): value is LedgerRefusal {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as LedgerRefusal).refused === true
  );
}
