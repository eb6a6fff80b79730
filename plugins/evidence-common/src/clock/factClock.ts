import { MS_PER_SECOND, timestampMs, toIsoTimestamp } from '../time/timestamps';
import {
  DEFAULT_FACT_HISTORY_SECONDS,
  DEFAULT_MAX_SKEW_SECONDS,
} from './clockDefaults';

/**
 * Flags the fact clock rules can set at receipt.
 *
 * @public
 */
export type FactClockFlag = 'SKEWED' | 'STALE_ON_ARRIVAL';

/**
 * Outcome of the fact clock rules: the stored times, or a refusal for history-expired input.
 *
 * @public
 */
export type FactClock =
  | { ok: true; observedAt: string; expiresAt: string; flags: FactClockFlag[] }
  | { ok: false; reason: 'older-than-history'; observedAt: string };

/**
 * Applies the fact clock rules of §3.8 and §3.5 (SKEWED clamp, history limit, STALE_ON_ARRIVAL).
 *
 * @public
 */
export function applyFactClock(input: {
  observedAt: string;
  collectedAt: string;
  freshForSeconds: number;
  maxSkewSeconds?: number;
  historySeconds?: number;
}): FactClock {
  const collected = timestampMs(input.collectedAt);
  let observed = timestampMs(input.observedAt);
  const maxSkewMs =
    (input.maxSkewSeconds ?? DEFAULT_MAX_SKEW_SECONDS) * MS_PER_SECOND;
  const historyMs =
    (input.historySeconds ?? DEFAULT_FACT_HISTORY_SECONDS) * MS_PER_SECOND;

  if (collected - observed > historyMs) {
    return {
      ok: false,
      reason: 'older-than-history',
      observedAt: toIsoTimestamp(observed),
    };
  }

  const flags: FactClockFlag[] = [];
  // Exactly maxSkew ahead is kept (scorecards SR25); only beyond it is the source clock distrusted.
  if (observed > collected + maxSkewMs) {
    observed = collected;
    flags.push('SKEWED');
  }
  const expires = observed + input.freshForSeconds * MS_PER_SECOND;
  // Freshness is inclusive (age = window is fresh), so only a strictly earlier expiry is stale.
  if (expires < collected) {
    flags.push('STALE_ON_ARRIVAL');
  }
  return {
    ok: true,
    observedAt: toIsoTimestamp(observed),
    expiresAt: toIsoTimestamp(expires),
    flags,
  };
}
