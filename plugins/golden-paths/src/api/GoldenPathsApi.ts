import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  ApprovalDecision,
  ApprovalRecord,
  AuditEvent,
  CompensationReport,
  DecisionAnswer,
  GoldenPathRequest,
  KillSwitchScope,
  KillSwitchView,
  LastDryRunAnswer,
  LifecycleGateView,
  LifecycleGatesAnswer,
  RequestStatus,
  RequestStep,
  Transition,
} from '@internal/plugin-golden-paths-common';

// The ledger's records, the compensation report and the kill switches as the backend returns
// them, declared once in golden-paths-common.
export { DECISION_ANSWERS } from '@internal/plugin-golden-paths-common';
export type {
  ApprovalDecision,
  ApprovalRoute,
  AuditEvent,
  CompensationClass,
  CompensationItem,
  CompensationItemResult,
  CompensationPlanAction,
  CompensationReport,
  CompensationResult,
  DecisionAnswer,
  DryRunCoverage,
  DryRunOutcome,
  DryRunView,
  GoldenPathRequest,
  KillSwitches,
  KillSwitchScope,
  KillSwitchState,
  KillSwitchView,
  LastDryRunAnswer,
  RequestStatus,
  RequestStep,
  RuntimeKillSwitch,
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

/** The approvals inbox (`GET /approvals`): the newest 500 at most. */
export interface ApprovalsInbox {
  items: Approval[];
  /** More approvals are routed to the caller's groups than the 500 listed. */
  truncated: boolean;
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
  /**
   * The inbox only: the open routes the caller may decide (of their groups, not decided yet);
   * empty once their group decided and the approval waits for other groups. Absent from
   * backends that do not send it.
   */
  decidableRoutes?: string[];
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
  /** False when the backend found the same decision recorded already (a 200, not a 201). */
  created?: boolean;
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

/** Options of a compensation call: `dryRun` plans only; a real run needs the reason and digest. */
export interface CompensateInput {
  dryRun: boolean;
  /** At least 10 characters; required by the backend for a real run (audited as critical). */
  reason?: string;
  /**
   * Required by the backend for a real run: the `planDigest` of the dry run the operator
   * confirmed. The backend answers 409 when the plan changed since.
   */
  planDigest?: string;
}

/**
 * Body of `POST /requests/:key/steps/:step/repair` (§8 step 3 "Repair state"): mark the step
 * `compensated`, fix its `effect_ref`, or both; the reason goes to a critical audit record.
 */
export interface StepRepairInput {
  status?: 'compensated';
  effectRef?: string;
  /** At least 10 characters. */
  reason: string;
}

/** The answer of a step repair: the step and request afterwards. */
export interface StepRepairResult {
  /** False when the step already was in the state asked for: nothing written, nothing audited. */
  changed: boolean;
  step: RequestStep;
  request: GoldenPathRequest;
  /** True when this repair left every step compensated and so the request too. */
  requestCompensated: boolean;
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
  getApprovalsInbox(): Promise<ApprovalsInbox>;
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
  /**
   * Repairs the ledger state of one step by hand (§8 step 3); needs
   * `goldenpaths.request.compensate`. 4xx answers reject with a `ResponseError`.
   */
  repairStep(
    requestKey: string,
    stepId: string,
    input: StepRepairInput,
  ): Promise<StepRepairResult>;
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
  /**
   * The last dry run of the golden paths a switch covers (§4.7), shown before it is lifted;
   * needs `goldenpaths.killswitch.manage`. For scope `all` the id is ignored.
   */
  getLastDryRun(scope: KillSwitchScope, id: string): Promise<LastDryRunAnswer>;
}

/** API reference of {@link GoldenPathsApi}. */
export const goldenPathsApiRef = createApiRef<GoldenPathsApi>().with({
  id: 'plugin.golden-paths.service',
});
