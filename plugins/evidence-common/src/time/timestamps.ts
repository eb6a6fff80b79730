/**
 * Milliseconds per second; durations in this package are seconds, times are epoch ms.
 *
 * @public
 */
export const MS_PER_SECOND = 1000;
/** @public */
export const SECONDS_PER_MINUTE = 60;
/** @public */
export const SECONDS_PER_HOUR = 3600;
/** @public */
export const SECONDS_PER_DAY = 86400;

// RFC 3339 in UTC: 'Z' required, seconds required, at most 9 fraction digits (§3.3 `Ts`).
const UTC_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Epoch milliseconds of an RFC 3339 UTC timestamp (fraction truncated to ms), or undefined when
 * the text is not one.
 *
 * @public
 */
export function parseUtcTimestamp(text: string): number | undefined {
  const m = UTC_TIMESTAMP.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  // Leap second 60 is refused: JavaScript dates cannot represent it and no source needs it.
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return undefined;
  }
  const ms = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const date = new Date(0);
  // setUTCFullYear keeps years below 100 literal, unlike Date.UTC.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  return date.getTime();
}

/**
 * True when the text is an RFC 3339 UTC timestamp as §3.3 accepts it.
 *
 * @public
 */
export function isUtcTimestamp(text: unknown): text is string {
  return typeof text === 'string' && parseUtcTimestamp(text) !== undefined;
}

/**
 * ISO-8601 UTC text with millisecond precision for epoch milliseconds (the stored form).
 *
 * @public
 */
export function toIsoTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/**
 * Epoch milliseconds of an accepted timestamp; throws for text that is not one, because callers
 * pass only validated input or their own clock.
 *
 * @public
 */
export function timestampMs(text: string): number {
  const ms = parseUtcTimestamp(text);
  if (ms === undefined) {
    throw new RangeError(
      `not an ISO-8601 UTC timestamp: ${JSON.stringify(text)}`,
    );
  }
  return ms;
}

/**
 * Normalizes an accepted timestamp to the stored millisecond form (`2026-03-14T02:05:00.000Z`).
 *
 * @public
 */
export function normalizeTimestamp(text: string): string {
  return toIsoTimestamp(timestampMs(text));
}
