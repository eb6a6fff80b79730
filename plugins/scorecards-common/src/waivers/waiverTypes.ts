import { WaiverKind } from '../model/resultModel';

/** A waiver's stored states (`Waiver.status`). */
export const WAIVER_STATUSES = [
  'pending',
  'active',
  'rejected',
  'expired',
  'revoked',
] as const;

/** A waiver's stored state. */
export type WaiverStatus = (typeof WAIVER_STATUSES)[number];

/**
 * A waiver record (scorecards §2.8). `expired` is derived: (active ∨ pending) ∧ now ≥ expiresAt
 * — a pending waiver nobody decided on before its expiry lapses too (`waiverStatusAt`); the
 * backend's scheduled pass then stores it as `expired` (without `approvedBy`).
 */
export interface Waiver {
  id: string;
  entityRef: string;
  checkId: string;
  kind: WaiverKind;
  reason: string;
  owner: string;
  requestedBy: string;
  approvedBy?: string;
  createdAt: string;
  approvedAt?: string;
  expiresAt: string;
  revokedAt?: string;
  /**
   * Why the waiver was last decided on: the reason given when it was approved (optional),
   * rejected or revoked (required, 10–1000 characters). A revoke replaces an approval's reason;
   * `check retired` when it was closed because its check retired (SR30).
   */
  decisionReason?: string;
  /** Who revoked it: a user ref, or a service principal's subject (revoked waivers only). */
  revokedBy?: string;
  ticket?: string;
  status: WaiverStatus;
}

/**
 * A waiver as a decision or revoke answers a caller who may not read its entity
 * (`catalog.entity.read`): `GET /waivers` lists such a waiver to them not at all, so the answer
 * keeps only what names the waiver and the check they acted on — no entity, reason, ticket,
 * owner, people, dates or decision reason.
 */
export interface RestrictedWaiver
  extends Pick<Waiver, 'id' | 'checkId' | 'kind' | 'status'> {
  restricted: true;
}
