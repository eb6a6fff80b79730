import type { ApprovalTrigger } from '../approvals/triggerIds';

/*
 * The ledger's records as `golden-paths-backend` keeps them and its API returns them (JSON as is):
 * one declaration for the backend's store and the frontend's client, so the two cannot drift.
 */

/**
 * Status of a ledger row (golden-paths.md §4.3).
 *
 * @public
 */
export type RequestStatus =
  | 'open'
  | 'awaiting-approval'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'rejected'
  | 'compensated'
  | 'superseded';

/**
 * One request of the ledger (`gp_requests`), as `GET /requests` and `GET /requests/:key` return it.
 *
 * @public
 */
export interface GoldenPathRequest {
  requestKey: string;
  fingerprint: string;
  /** The normalized request stored as `request_json` (secret-free by GP-X01). */
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
  /** When the task holding the lease started. */
  leaseStartedAt?: string;
  attempts: number;
  lastErrorCode?: string;
  expiresAt?: string;
}

/**
 * One step of a request (`gp_steps`): the request's ledger.
 *
 * @public
 */
export interface RequestStep {
  requestKey: string;
  stepId: string;
  fingerprint: string;
  status: 'claimed' | 'done' | 'failed' | 'compensated';
  /** The action that claimed the step (`goldenpath:publish:git`, …); absent on older rows. */
  action?: string;
  output?: Record<string, unknown>;
  effectRef?: string;
  taskId?: string;
  attempt: number;
  startedAt: string;
  finishedAt?: string;
}

/**
 * A route of an approval: one group deciding for the triggers routed to it (§6.1).
 *
 * @public
 */
export interface ApprovalRoute {
  group: string;
  triggers: string[];
}

/**
 * An approval bound to one plan digest (`gp_approvals`), without its decisions.
 *
 * @public
 */
export interface ApprovalRecord {
  id: string;
  requestKey: string;
  planDigest: string;
  /**
   * 0 for the first approval of (request, plan digest); each approval opened because the previous
   * one expired is the next round (the expired ones stay on record with their decisions).
   */
  round: number;
  triggers: ApprovalTrigger[];
  routes: ApprovalRoute[];
  status: 'pending' | 'approved' | 'rejected' | 'expired' | 'superseded';
  requestedBy: string;
  createdAt: string;
  expiresAt: string;
  decidedAt?: string;
  /** The plan as the preview step recorded it. */
  plan?: Record<string, unknown>;
}

/**
 * The five statements an approver confirms (§6.3).
 *
 * @public
 */
export const DECISION_ANSWERS = [
  'intent',
  'risk',
  'rollback',
  'timing',
  'exception',
] as const;

/**
 * One of {@link DECISION_ANSWERS}.
 *
 * @public
 */
export type DecisionAnswer = (typeof DECISION_ANSWERS)[number];

/**
 * One route's decision on an approval (`gp_approval_decisions`, §6.3 decision record).
 *
 * @public
 */
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

/**
 * One audit record of a request (`gp_events`, §4.5).
 *
 * @public
 */
export interface AuditEvent {
  id: string;
  requestKey?: string;
  at: string;
  eventType: string;
  severity: 'low' | 'medium' | 'high' | 'critical';
  record: Record<string, unknown>;
}
