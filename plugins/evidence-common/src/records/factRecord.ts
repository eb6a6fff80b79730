import { JsonValue } from '../json/jsonValue';

/**
 * Flags a stored fact can carry.
 *
 * @public
 */
export type FactFlag = 'SKEWED' | 'OUT_OF_ORDER' | 'STALE_ON_ARRIVAL';

/**
 * One stored fact value version (§2.2); a superset of scorecards' `EvidenceFact`.
 *
 * @public
 */
export interface FactRecord {
  id: string;
  entityRef: string | null;
  subject: string;
  resolution: 'resolved' | 'unresolved';
  source: string;
  kind: string;
  key: string;
  value: JsonValue;
  valueFingerprint: string;
  observedAt: string;
  collectedAt: string;
  freshForSeconds: number;
  expiresAt: string;
  provenance: {
    url?: string;
    collector?: string;
    query?: string;
    commitSha?: string;
    runId?: string;
    etag?: string;
    idempotencyKey?: string;
    principal?: string;
  };
  flags: FactFlag[];
  demo: boolean;
}
