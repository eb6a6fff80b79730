import { BlastRadiusInputError } from '../blastRadius/BlastRadiusInputError';

const ISO_INSTANT =
  /^(\d{4})-(\d\d)-(\d\d)T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/i;

/**
 * The instants `toISOString` writes with a four-digit year (suite-node's `inIsoYears`): beyond
 * them it writes `+010000-…`, which sorts before every other time as text.
 */
const MIN_ISO_MS = -62167219200000; // 0000-01-01T00:00:00.000Z
const MAX_ISO_MS = 253402300799999; // 9999-12-31T23:59:59.999Z

function dayExists(year: number, month: number, day: number): boolean {
  // setUTCFullYear, not Date.UTC: that reads years 0–99 as 1900–1999
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * An ISO-8601 date-time with a zone (`Z` or an offset) naming a day that exists, in the years
 * 0000–9999 once in UTC — the rule of
 * suite-node's `isIsoInstant`, which this browser-safe package cannot import. `Date.parse` alone
 * reads `March 14, 2026`, a zone-less time in the reader's own zone and `2026-02-30` as 2 March.
 */
export function isIsoInstant(value: string): boolean {
  const m = ISO_INSTANT.exec(value);
  const ms = Date.parse(value);
  if (!m || !(ms >= MIN_ISO_MS && ms <= MAX_ISO_MS)) return false;
  return dayExists(Number(m[1]), Number(m[2]), Number(m[3]));
}

/**
 * Epoch milliseconds of a caller's time (`now`, the incident time, `generatedAt`); anything but an
 * ISO-8601 instant with a zone is a 400 naming the field, never a silent `NaN` or a `RangeError`.
 */
export function parseInstant(field: string, raw: unknown): number {
  if (typeof raw !== 'string' || !isIsoInstant(raw)) {
    throw new BlastRadiusInputError(
      400,
      `${field} must be an ISO-8601 timestamp with a zone on a day that exists, like 2026-03-14T02:05:00Z (got ${JSON.stringify(
        raw,
      )})`,
    );
  }
  return Date.parse(raw);
}
