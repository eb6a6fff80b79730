import { parseInstantMs } from './instant';
import { reachedYet } from '../engine/timeLimits';
import { isDateOnly, zonedDateProblem } from '../model/isoDates';

/**
 * A date alone is the day a source wrote in its own zone: one in Auckland writes its "today"
 * 13–14 hours before that day begins in UTC. Such a date counts as in the future only once the
 * whole of it, in the zone furthest ahead (UTC+14), lies beyond the allowed skew.
 */
const DATE_AHEAD_MS = 14 * 3600_000;

/** An instant read from inside an evidence value, or why it cannot be used. */
export interface ValueInstant {
  /** Milliseconds since the epoch; NaN when `problem` is set. */
  ms: number;
  /** Why the text gives no usable instant, for the hint; null when it does. */
  problem: string | null;
}

/**
 * An instant written inside an evidence value (a restore test's `lastRestoreTestAt`, a
 * vulnerability's `firstSeenAt`, a drill's `at`). Unlike a record's `observedAt`, nothing
 * checked it at ingestion, so it is held to what reads the same on every server — a date alone
 * (UTC midnight) or a date-time with `Z` or an offset, naming a day that exists — and may not lie
 * more than the allowed clock skew after `now`. `Date.parse` alone read `2025-12-14T00:00:00`
 * in the server's zone (one verdict in UTC, another in New York), `12/14/2025` as a date, and a
 * mistyped year 2062 as a test that stays recent for decades.
 */
export function readValueInstant(
  value: unknown,
  nowMs: number,
  maxSkewMs: number,
): ValueInstant {
  if (typeof value !== 'string')
    return { ms: Number.NaN, problem: 'is not a date' };
  const problem = zonedDateProblem(value);
  if (problem !== null) return { ms: Number.NaN, problem };
  const ms = parseInstantMs(value);
  const ahead = isDateOnly(value) ? DATE_AHEAD_MS : 0;
  const acceptableFromMs = ms - maxSkewMs - ahead;
  // noted, so a reused evaluation is redone when the value comes within reach
  if (!reachedYet(nowMs >= acceptableFromMs, nowMs, acceptableFromMs))
    return { ms: Number.NaN, problem: `lies in the future (got "${value}")` };
  // age 0, not negative, for a day that has begun somewhere but not yet in UTC
  return { ms: Math.min(ms, nowMs), problem: null };
}
