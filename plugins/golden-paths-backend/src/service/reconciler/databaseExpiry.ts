import { isIsoDate } from '@internal/plugin-golden-paths-common';
import { createdEntity, LedgerEntry } from './recorded';

/** The ledger event of an expiry flag (§8 step 4), one per request and phase. */
export const DATABASE_EXPIRY = 'golden-path-database-expiry';

/** Days before `expiresOn` a database is first flagged (§8 step 4). */
export const EXPIRY_NOTICE_DAYS = 7;

const DAY_MS = 86_400_000;

/** A database whose `expiresOn` is near or past, as the reconciler flags it. */
export interface DatabaseExpiry {
  requestKey: string;
  /** the database Resource the request registered (lower-cased ref) */
  entityRef: string;
  expiresOn: string;
  /** `soon`: within 7 days; `expired`: the day has begun (00:00 UTC) */
  phase: 'soon' | 'expired';
  /** whole days until `expiresOn` begins; 0 once it has */
  daysLeft: number;
}

/**
 * The databases to flag at `now`: succeeded database requests with an `expiresOn` (a dev
 * database always has one, §3.3; another environment's is flagged the same way) whose Resource
 * the request registered and did not take back. Pure: the reconciler decides what was flagged
 * before.
 */
export function databaseExpiries(
  entries: readonly LedgerEntry[],
  now: string,
): DatabaseExpiry[] {
  const at = Date.parse(now);
  const out: DatabaseExpiry[] = [];
  for (const entry of entries) {
    const { request } = entry;
    if (request.kind !== 'database' || request.status !== 'succeeded') continue;
    const expiresOn = request.request.expiresOn;
    if (typeof expiresOn !== 'string' || !isIsoDate(expiresOn)) continue;
    const expiresAt = Date.parse(`${expiresOn}T00:00:00Z`);
    const entity = createdEntity(entry);
    if (!entity || entity.compensated) continue;
    const flag = {
      requestKey: request.requestKey,
      entityRef: entity.ref,
      expiresOn,
    };
    if (at >= expiresAt) {
      out.push({ ...flag, phase: 'expired', daysLeft: 0 });
    } else if (at >= expiresAt - EXPIRY_NOTICE_DAYS * DAY_MS) {
      const daysLeft = Math.ceil((expiresAt - at) / DAY_MS);
      out.push({ ...flag, phase: 'soon', daysLeft });
    }
  }
  return out;
}
