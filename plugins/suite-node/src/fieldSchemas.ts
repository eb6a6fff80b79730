import { InputError } from '@backstage/errors';
import { z } from 'zod';

/** `kind:namespace/name`, the only ref form the suite's APIs accept in queries and bodies. */
export const FULL_REF = /^[a-z0-9][\w.-]*:[\w.-]+\/[\w.-]+$/i;

/** The longest entity ref the suite's tables store (`varchar(320)`). */
export const MAX_REF_LENGTH = 320;

/** `x is required` for a missing value, `x must be a string (got 42)` for another type. */
export const stringError = (field: string) => (iss: { input?: unknown }) =>
  iss.input === undefined
    ? `${field} is required`
    : `${field} must be a string (got ${shown(iss.input)})`;

/** A received value as JSON, shortened so messages stay one line. */
export function shown(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? typeof value;
  } catch {
    text = typeof value;
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** A full entity ref, lower-cased; 400 `entityRef "x" is not a full ref (kind:namespace/name)`. */
export const fullRef = (field: string) =>
  z
    .string({ error: stringError(field) })
    .max(MAX_REF_LENGTH, {
      error: `${field} must be at most ${MAX_REF_LENGTH} characters`,
    })
    .refine(v => FULL_REF.test(v), {
      error: iss =>
        `${field} ${shown(iss.input)} is not a full ref (kind:namespace/name)`,
    })
    .transform(v => v.toLowerCase());

const ISO_INSTANT =
  /^(\d{4})-(\d\d)-(\d\d)T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/i;

/**
 * The instants `toISOString` writes with a four-digit year, 0000-01-01T00:00:00.000Z to
 * 9999-12-31T23:59:59.999Z. Outside them it writes `+010000-…`, which sorts before every
 * four-digit year as text, and stored times are compared as text: `9999-12-31T23:59:59-05:00`
 * ("forever", in a local zone) was stored as year 10000 and read as long past.
 */
const MIN_ISO_MS = -62167219200000;
const MAX_ISO_MS = 253402300799999;

/** Whether `ms` is an instant `toISOString` writes with a four-digit year. */
function inIsoYears(ms: number): boolean {
  return ms >= MIN_ISO_MS && ms <= MAX_ISO_MS;
}

/**
 * An ISO-8601 date-time with a zone (`Z` or an offset) naming a day that exists, in the years
 * 0000–9999 once in UTC: `Date.parse` alone reads `2024-02-30` as 1 March and a zone-less time
 * in the server's own zone.
 */
export function isIsoInstant(value: string): boolean {
  const m = ISO_INSTANT.exec(value);
  const ms = Date.parse(value);
  if (!m || !inIsoYears(ms)) return false;
  return dayExists(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** An instant written as the format asks for whose UTC year is outside 0000–9999. */
function outsideIsoYears(value: unknown): boolean {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value)) return false;
  const ms = Date.parse(value);
  return !Number.isNaN(ms) && !inIsoYears(ms);
}

const ISO_DATE = /^(\d{4})-(\d\d)-(\d\d)$/;

/** A calendar date `YYYY-MM-DD` naming a day that exists (`2027-02-31` does not). */
export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  return m !== null && dayExists(Number(m[1]), Number(m[2]), Number(m[3]));
}

function dayExists(year: number, month: number, day: number): boolean {
  // setUTCFullYear, not Date.UTC: that reads years 0–99 as 1900–1999
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** An ISO-8601 instant with a zone, normalized with `toISOString`. */
export const isoTime = (field: string) =>
  z
    .string({ error: stringError(field) })
    .refine(isIsoInstant, {
      error: iss =>
        outsideIsoYears(iss.input)
          ? `${field} must fall in the years 0000–9999 once in UTC (got ${shown(
              iss.input,
            )}); for a time without an end leave the field out`
          : `${field} must be an ISO-8601 UTC timestamp (got ${shown(
              iss.input,
            )})`,
    })
    .transform(v => new Date(v).toISOString());

/**
 * Whether `value` holds U+0000, which PostgreSQL refuses in a text parameter: a value holding
 * one that reached a column or a lookup failed with a 500 naming no field (SQLite stored it).
 * JSON-valued fields are safe: their JSON escapes it as `\u0000`.
 */
export const hasNul = (value: string) => value.includes('\u0000');

/** `schema`, refusing U+0000 ({@link hasNul}): 400 `{field} must not contain NUL characters (U+0000)`. */
export const withoutNul = <T extends z.ZodType<string>>(
  field: string,
  schema: T,
) =>
  schema.refine(v => !hasNul(v), {
    error: `${field} must not contain NUL characters (U+0000)`,
  });

/**
 * `schema` for text that is stored and compared again later (keys, fingerprints, reasons,
 * titles): refuses U+0000 as {@link withoutNul} does, and a lone UTF-16 surrogate (U+D800–U+DFFF
 * without its pair), 400 `{field} must be well-formed text (it holds a lone UTF-16 surrogate)`.
 * Both databases store a lone surrogate as U+FFFD, so a retry of the same write no longer
 * matched what was stored: an idempotent write answered as a different one.
 */
export const storableText = <T extends z.ZodType<string>>(
  field: string,
  schema: T,
) =>
  withoutNul(field, schema).refine(v => v.isWellFormed(), {
    error: `${field} must be well-formed text (it holds a lone UTF-16 surrogate)`,
  });

/** One of a closed list; 400 `stage must be one of deploy, create (got "prod")`. */
export const oneOf = <T extends string>(
  field: string,
  values: readonly [T, ...T[]],
) =>
  z.enum(values, {
    error: iss =>
      iss.input === undefined
        ? `${field} is required`
        : `${field} must be one of ${values.join(', ')} (got ${shown(
            iss.input,
          )})`,
  });

/**
 * Parses with `schema` or throws an InputError whose message names the field (the first
 * issue's): a field of a strict object the schema does not know is `unknown field x; remove it`.
 */
export function parse<T extends z.ZodType>(
  schema: T,
  value: unknown,
): z.output<T> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue.path.join('.');
  if (issue.code === 'unrecognized_keys') {
    const keys = (issue as { keys: string[] }).keys
      .map(k => (path ? `${path}.${k}` : k))
      .join(', ');
    throw new InputError(`unknown field ${keys}; remove it`);
  }
  // Messages built above already name the field; zod's own ones get the path prefixed.
  const message =
    path && !issue.message.startsWith(path.split('.')[0])
      ? `${path}: ${issue.message}`
      : issue.message;
  throw new InputError(message);
}
