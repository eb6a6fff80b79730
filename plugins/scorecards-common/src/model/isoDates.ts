const LEADING_DATE = /^(\d{4})-(\d{2})-(\d{2})/;

/**
 * An ISO-8601 date, or a date-time that names its zone (`Z` or `±hh:mm`). A date alone is read
 * as UTC midnight (as `Date.parse` reads it); a date-time without a zone is not accepted,
 * because `Date.parse` reads it in the server's local zone.
 */
const ZONED_DATE_OR_INSTANT =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}))?$/;
const ZONELESS_INSTANT =
  /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Whether year-month-day is a day of the proleptic Gregorian calendar. */
function isCalendarDay(year: number, month: number, day: number): boolean {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // Date.UTC reads years 0–99 as 1900–1999
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * Whether a text starts with `YYYY-MM-DD` naming a day that exists. `Date.parse` rolls days
 * over (`2026-02-30` is read as 2 March), so a date can say something other than its author
 * meant without any error.
 */
export function startsWithCalendarDay(text: string): boolean {
  const m = LEADING_DATE.exec(text);
  return m !== null && isCalendarDay(Number(m[1]), Number(m[2]), Number(m[3]));
}

/**
 * What is wrong with a date or instant of a standard file, or null when it reads the same on
 * every server: `YYYY-MM-DD` (UTC midnight) or a date-time with `Z` or an offset, naming a day
 * that exists.
 */
export function zonedDateProblem(text: string): string | null {
  if (ZONELESS_INSTANT.test(text))
    return `has no time zone; add Z or an offset such as +01:00, or give a date only (got "${text}")`;
  if (!ZONED_DATE_OR_INSTANT.test(text) || Number.isNaN(Date.parse(text)))
    return `must be an ISO-8601 date or instant (got "${text}")`;
  if (!startsWithCalendarDay(text))
    return `names a day that does not exist (got "${text}")`;
  return null;
}

/**
 * Whether a text is an instant a user may post (a waiver's expiry): a date-time with `Z` or an
 * offset, naming a day that exists. Unlike a standard's dates, a date alone is not one (as at
 * the backend's routes): a user picking a day means a moment in their own zone, not UTC midnight.
 */
export function isZonedInstant(text: string): boolean {
  return zonedDateProblem(text) === null && !isDateOnly(text);
}

/** Whether a text is written as a calendar date alone (`YYYY-MM-DD`), without a time. */
export function isDateOnly(text: string): boolean {
  return DATE_ONLY.test(text);
}
