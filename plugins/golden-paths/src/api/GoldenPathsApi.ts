import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  ApprovalDecision,
  ApprovalRecord,
  AuditEvent,
  DecisionAnswer,
  GoldenPathRequest,
  KillSwitches,
  KillSwitchState,
  LifecycleGateView,
  LifecycleGatesAnswer,
  RequestStatus,
  RequestStep,
  Transition,
} from '@internal/plugin-golden-paths-common';

// The ledger's records as the backend returns them, declared once in golden-paths-common.
export { DECISION_ANSWERS } from '@internal/plugin-golden-paths-common';
export type {
  ApprovalDecision,
  ApprovalRoute,
  AuditEvent,
  DecisionAnswer,
  GoldenPathRequest,
  KillSwitches,
  KillSwitchState,
  RequestStatus,
  RequestStep,
} from '@internal/plugin-golden-paths-common';

/** One effect of a plan with its reversibility class (§4.9 preview). */
export interface PlanEffectView {
  step?: string;
  type: string;
  target: string;
  reversibility?: string;
}

/** The plan an approval is bound to, as the preview step recorded it (free-form beyond these). */
export interface ApprovalPlan {
  effects?: PlanEffectView[];
  estimate?: { total: string; priceBookVersion?: string };
  markdown?: string;
  [key: string]: unknown;
}

/** A rejection recorded on another approval of the same request key (§6.3 inbox history). */
export interface PriorRejection extends ApprovalDecision {
  /** The plan digest of the approval that was rejected. */
  planDigest: string;
}

/** An approval bound to one plan digest, with its decisions; its plan as the inbox reads it. */
export interface Approval extends Omit<ApprovalRecord, 'plan'> {
  plan?: ApprovalPlan;
  decisions: ApprovalDecision[];
  /**
   * The inbox only (`GET /approvals`): rejections on the key's other approvals, oldest first.
   * Absent from backends that do not send them.
   */
  priorRejections?: PriorRejection[];
}

/** A difference the reconciler found between a request's ledger and reality (§8 step 4). */
export interface DriftMismatch {
  id: string;
  /** `repository.present`, `entity.lifecycle`, … */
  check: string;
  target: string;
  /** What the ledger records. */
  expected: string;
  /** What was found. */
  observed: string;
  message: string;
}

/** `GET /requests/:key`: the request with its steps, approvals (with decisions) and events. */
export interface RequestDetail {
  request: GoldenPathRequest;
  steps: RequestStep[];
  approvals: Approval[];
  events: AuditEvent[];
  /** Drift still open (§8 step 4) and since when; absent from backends without a reconciler. */
  drift?: { open: DriftMismatch[]; since?: string };
}

/** Body of `POST /approvals/:id/decisions` (§6.3). */
export interface DecisionInput {
  decision: 'approve' | 'reject';
  /** At least 10 characters. */
  reason: string;
  answers?: Record<DecisionAnswer, boolean>;
  route?: string;
  breakGlass?: boolean;
}

/** Answer of a decision: the decision and the approval's new state. */
export interface DecisionResult {
  decision: ApprovalDecision;
  status: 'not-required' | Approval['status'];
  approval?: Approval;
  message?: string;
  ruleId?: string;
  errors?: string[];
}

/** A lifecycle gate as the card shows it (§7.1). */
export type LifecycleGate = LifecycleGateView;

export type { LifecycleGatesAnswer };

/** Filters of the requests list. */
export interface RequestsQuery {
  status?: RequestStatus;
  createdBy?: string;
  /** Where the previous page ended (its `nextCursor`). */
  cursor?: string;
}

/** One page of `GET /requests`, newest update first; `nextCursor` when older requests follow. */
export interface RequestsPage {
  items: GoldenPathRequest[];
  nextCursor?: string;
}

/** Compensation classes of a step (§4.9), plus `none` for steps without an external effect. */
export type CompensationClass =
  | 'reversible'
  | 'compensating'
  | 'irreversible'
  | 'none';

/** What happened (or, in a dry run, would happen) to one item of a compensation plan. */
export type CompensationResult =
  | 'would'
  | 'compensated'
  | 'manual'
  | 'refused'
  | 'failed'
  | 'skipped'
  | 'nothing';

/** One item of `POST /requests/:key/compensate`: a completed step, the approvals or the request. */
export interface CompensationItem {
  /** The ledger step id, or `approvals` / `ledger` for the request-level items. */
  stepId: string;
  action: string;
  class: CompensationClass;
  /** What the plan does (`delete-local-repository`, `manual`, `close-request`, …). */
  plan: string;
  /** True when a real run performs it; false for what is listed for a human. */
  automated: boolean;
  stepStatus?: string;
  target?: string;
  description: string;
  /** Set when a safety rule refuses the automated action. */
  refusal?: string;
  result: CompensationResult;
  detail?: string;
}

/** The answer of `POST /requests/:key/compensate` (§8 "Revert"), dry or real. */
export interface CompensationReport {
  requestKey: string;
  dryRun: boolean;
  statusBefore: string;
  status: string;
  /** Nothing to do: the request is already compensated. */
  empty: boolean;
  /** The request created nothing: compensating it abandons it. */
  abandoned: boolean;
  message: string;
  items: CompensationItem[];
  warnings: string[];
  /** Automated items refused or failed (the request then keeps its status). */
  failed: number;
  /** False when a real run found the request already compensated and changed nothing. */
  acted: boolean;
}

/** Options of a compensation call: `dryRun` plans only; a real run needs the reason. */
export interface CompensateInput {
  dryRun: boolean;
  /** At least 10 characters; required by the backend for a real run (audited as critical). */
  reason?: string;
}

/** Scopes of a kill switch (§4.7). */
export type KillSwitchScope = 'all' | 'template' | 'action';

/** One row of the runtime table `gp_kill_switches` (lifted and expired rows included). */
export interface RuntimeKillSwitch {
  scope: KillSwitchScope;
  id: string;
  disabled: boolean;
  reason: string;
  setBy: string;
  setAt: string;
  /** The switch lifts itself at this instant. */
  until?: string;
}

/** `GET /kill-switches`: the merged switches (config OR runtime) and where each came from. */
export interface KillSwitchView extends KillSwitches {
  all: KillSwitchState;
  templates: Record<string, KillSwitchState>;
  actions: Record<string, KillSwitchState>;
  sources: {
    /** `goldenPaths.killSwitch` of the app config: changed there, not through the API. */
    config: KillSwitches;
    runtime: RuntimeKillSwitch[];
  };
}

/** Body of `PUT /kill-switches/:scope/:id`. */
export interface KillSwitchInput {
  disabled: boolean;
  /** At least 10 characters; shown to every requester the switch stops (GP-K01/K02/K03). */
  reason: string;
  /** ISO instant in the future at which the switch lifts itself. */
  until?: string;
}

/** Reads and decides golden-path requests and approvals through `golden-paths-backend`. */
export interface GoldenPathsApi {
  /**
   * Pending approvals routed to the signed-in user's groups, including the ones they requested
   * themselves (which they can only approve by break-glass, §6.2 rule 8).
   */
  getApprovalsInbox(): Promise<Approval[]>;
  /** Records a decision on one approval; 4xx answers reject with a `ResponseError`. */
  decide(approvalId: string, input: DecisionInput): Promise<DecisionResult>;
  /**
   * One page of the ledger's requests (needs `goldenpaths.request.read`); pass its `nextCursor`
   * as `cursor` for the older ones.
   */
  getRequests(query?: RequestsQuery): Promise<RequestsPage>;
  /** One request with steps, approvals and the audit trail. */
  getRequest(requestKey: string): Promise<RequestDetail>;
  /** Dry evaluation of a lifecycle transition for an entity (`kind:namespace/name`). */
  getLifecycleGates(
    entityRef: string,
    transition: Transition,
  ): Promise<LifecycleGatesAnswer>;
  /**
   * Plans (`dryRun: true`) or runs the compensation of a request (§8 "Revert"); needs
   * `goldenpaths.request.compensate`. 4xx answers reject with a `ResponseError`.
   */
  compensate(
    requestKey: string,
    input: CompensateInput,
  ): Promise<CompensationReport>;
  /** The kill switches in force and their sources (any signed-in user). */
  getKillSwitches(): Promise<KillSwitchView>;
  /**
   * Throws or lifts a runtime kill switch (needs `goldenpaths.killswitch.manage`); answers the
   * switches afterwards. For scope `all` the id is ignored.
   */
  setKillSwitch(
    scope: KillSwitchScope,
    id: string,
    input: KillSwitchInput,
  ): Promise<KillSwitchView>;
}

/** API reference of {@link GoldenPathsApi}. */
export const goldenPathsApiRef = createApiRef<GoldenPathsApi>({
  id: 'plugin.golden-paths.service',
});
