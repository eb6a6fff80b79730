import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  ApprovalDecision,
  ApprovalRecord,
  AuditEvent,
  DecisionAnswer,
  GoldenPathRequest,
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

/** An approval bound to one plan digest, with its decisions; its plan as the inbox reads it. */
export interface Approval extends Omit<ApprovalRecord, 'plan'> {
  plan?: ApprovalPlan;
  decisions: ApprovalDecision[];
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
}

/** API reference of {@link GoldenPathsApi}. */
export const goldenPathsApiRef = createApiRef<GoldenPathsApi>({
  id: 'plugin.golden-paths.service',
});
