import { WaiverKind } from '../model/resultModel';

/** A waiver record (scorecards §2.8). `expired` is derived: active ∧ now ≥ expiresAt. */
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
  ticket?: string;
  status: 'pending' | 'active' | 'rejected' | 'expired' | 'revoked';
}
