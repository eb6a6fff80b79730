import {
  MS_PER_SECOND,
  SECONDS_PER_DAY,
  SECONDS_PER_HOUR,
  timestampMs,
} from '../time/timestamps';

/**
 * Default `evidence.edges.freshFor` (24 h).
 *
 * @public
 */
export const DEFAULT_EDGE_FRESH_SECONDS = 24 * SECONDS_PER_HOUR;

/**
 * Default `evidence.edges.retainFor` (30 d).
 *
 * @public
 */
export const DEFAULT_EDGE_RETAIN_SECONDS = 30 * SECONDS_PER_DAY;

/**
 * `fresh` iff `asOf − lastSeen ≤ freshFor` (inclusive), `stale` up to `retainFor`, `expired`
 * beyond (retention deletes it, §2.4, §5.3).
 *
 * @public
 */
export function edgeObservation(
  lastSeen: string,
  asOf: string,
  options: { freshForSeconds?: number; retainForSeconds?: number } = {},
): 'fresh' | 'stale' | 'expired' {
  const age = timestampMs(asOf) - timestampMs(lastSeen);
  const fresh =
    (options.freshForSeconds ?? DEFAULT_EDGE_FRESH_SECONDS) * MS_PER_SECOND;
  const retain =
    (options.retainForSeconds ?? DEFAULT_EDGE_RETAIN_SECONDS) * MS_PER_SECOND;
  if (age <= fresh) return 'fresh';
  return age <= retain ? 'stale' : 'expired';
}
