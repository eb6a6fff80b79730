const pad = (n: number) => String(n).padStart(2, '0');
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** `HH:MMZ` of an ISO time. */
export function formatClock(iso: string): string {
  const d = new Date(iso);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}Z`;
}

/** `YYYY-MM-DDTHH:MMZ` of an ISO time (the header's full date). */
export function formatMinute(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 16)}Z`;
}

/** `Mon 09:00Z` of an ISO time. */
export function formatWeekdayClock(iso: string): string {
  return `${DAYS[new Date(iso).getUTCDay()]} ${formatClock(iso)}`;
}

const MINUTE = 60_000;

/**
 * An end after T shows as a weekday only below this many minutes after T (6 days): every weekday
 * in that span names one day — T's own weekday only for later on T's day — while at 6 to 7 days
 * on the weekday can be T's, and read as already past.
 */
export const WEEKDAY_END_WITHIN_MINUTES = 6 * 24 * 60;

/**
 * The whole minute an instant falls in: what its `HH:MMZ` shows. Times relative to T and ages are
 * differences of these, so they always match the clocks printed next to them (01:39:50Z is shown
 * as 01:39Z and, at T = 02:05Z, as −26 m — not −25 m, as rounding the exact difference would).
 */
const minuteOf = (iso: string) => Math.floor(Date.parse(iso) / MINUTE);

/** A span of whole minutes ≥ 0: minutes below 2 h, hours and minutes below 48 h, then days. */
function formatSpan(m: number): string {
  if (m < 120) return `${m} m`;
  if (m < 48 * 60) {
    const h = Math.floor(m / 60);
    const rest = m % 60;
    return `${h} h${rest ? ` ${rest} m` : ''}`;
  }
  return `${Math.floor(m / (24 * 60))} d`;
}

/**
 * Time relative to T: minutes below 2 h (`−95 m`), hours and minutes below 48 h (`−9 h 40 m`),
 * then days (`−3 d`). Uses the true minus sign, as the design note does. Counted between the
 * minutes the clocks show (see {@link minuteOf}).
 */
export function formatRelative(iso: string, t: string): string {
  const minutes = minuteOf(iso) - minuteOf(t);
  return `${minutes < 0 ? '−' : '+'}${formatSpan(Math.abs(minutes))}`;
}

/**
 * The end of an on-call shift next to incident time T: `Mon 09:00Z`, as §6.3 prints it, when it is
 * at or after T and less than {@link WEEKDAY_END_WITHIN_MINUTES} after it; otherwise the full date,
 * `2026-12-14T09:00Z`, as the header gives T. A weekly hand-off a week on read `until Mon 09:00Z`
 * when pasted on Monday night, as if the shift were over by morning; an end before T (a stale
 * answer) reads as the coming one. Counted between the minutes the clocks show ({@link minuteOf}).
 */
export function formatShiftEnd(iso: string, t: string): string {
  // A provider's `until` that is no time (the router reads it as "does not say"): named as
  // unknown, where printing it as a date would throw and take the whole markdown brief with it.
  if (!Number.isFinite(Date.parse(iso))) return 'unknown';
  const ahead = minuteOf(iso) - minuteOf(t);
  return ahead >= 0 && ahead < WEEKDAY_END_WITHIN_MINUTES
    ? formatWeekdayClock(iso)
    : formatMinute(iso);
}

/** How long before `now` an instant was, in the units of {@link formatRelative}: `26 h ago`. */
export function formatAge(iso: string, now: string): string {
  return `${formatSpan(Math.max(0, minuteOf(now) - minuteOf(iso)))} ago`;
}

/**
 * An instant shown next to incident time T where §6.3 prints a bare clock (a sighting, the last
 * change): `HH:MMZ` when it falls on T's UTC day, not after T — the header gives that day, as in
 * §6.3's `seen 02:04Z` — else with its offset from T as the changes table reads it,
 * `09:23Z (−3 d)` (`inParentheses`: `09:23Z, −3 d`, for a time already in parentheses). A bare
 * clock from another day reads as "just now", for an edge last seen three days ago too.
 */
export function formatClockAt(
  iso: string,
  t: string,
  inParentheses = false,
): string {
  const day = (x: string) => new Date(x).toISOString().slice(0, 10);
  const clock = formatClock(iso);
  if (day(iso) === day(t) && minuteOf(iso) <= minuteOf(t)) return clock;
  const offset = formatRelative(iso, t);
  return inParentheses ? `${clock}, ${offset}` : `${clock} (${offset})`;
}
