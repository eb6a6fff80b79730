import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  ApprovalTrigger,
  LifecycleGateView,
  LifecycleGatesAnswer,
  Transition,
} from '@internal/plugin-golden-paths-common';

/** Status of a ledger row (golden-paths.md §4.3). */
export type RequestStatus =
  | 'open'
  | 'awaiting-approval'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'rejected'
  | 'compensated'
  | 'superseded';

/** One request of the ledger (`gp_requests`), as `GET /requests` returns it. */
export interface GoldenPathRequest {
  requestKey: string;
  fingerprint: string;
  request: Record<string, unknown>;
  templateRef: string;
  templateVersion: string;
  kind: string;
  status: RequestStatus;
  planDigest?: string;
  outputs?: Record<string, unknown>;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  leaseTaskId?: string;
  leaseUntil?: string;
  attempts: number;
  lastErrorCode?: string;
  expiresAt?: string;
}

/** One step record of a request (`gp_steps`): the request's ledger. */
export interface RequestStep {
  requestKey: string;
  stepId: string;
  fingerprint: string;
  status: 'claimed' | 'done' | 'failed' | 'compensated';
  output?: Record<string, unknown>;
  effectRef?: string;
  taskId?: string;
  attempt: number;
  startedAt: string;
  finishedAt?: string;
}

/** A route of an approval: one group deciding for the triggers routed to it (§6.1). */
export interface ApprovalRoute {
  group: string;
  triggers: string[];
}

/** The five statements an approver confirms (§6.3). */
export const DECISION_ANSWERS = [
  'intent',
  'risk',
  'rollback',
  'timing',
  'exception',
] as const;

/** One of {@link DECISION_ANSWERS}. */
export type DecisionAnswer = (typeof DECISION_ANSWERS)[number];

/** One route's decision (§6.3 decision record). */
export interface ApprovalDecision {
  approvalId: string;
  route: string;
  approver: string;
  decision: 'approve' | 'reject';
  reason: string;
  answers?: Partial<Record<DecisionAnswer, boolean>>;
  decidedAt: string;
  breakGlass: boolean;
}

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

/** An approval bound to one plan digest, with its decisions. */
export interface Approval {
  id: string;
  requestKey: string;
  planDigest: string;
  triggers: ApprovalTrigger[];
  routes: ApprovalRoute[];
  status: 'pending' | 'approved' | 'rejected' | 'expired' | 'superseded';
  requestedBy: string;
  createdAt: string;
  expiresAt: string;
  decidedAt?: string;
  plan?: ApprovalPlan;
  decisions: ApprovalDecision[];
}

/** One audit record of a request (`gp_events`, §4.5). */
export interface AuditEvent {
  id: string;
  requestKey?: string;
  at: string;
  eventType: string;
  severity: 'low' | 'medium' | 'high' | 'critical';
  record: Record<string, unknown>;
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
