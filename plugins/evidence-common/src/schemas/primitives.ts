import { z } from 'zod';
import { isUtcTimestamp } from '../time/timestamps';
import { isFullEntityRef } from '../refs/normalizeEntityRef';

// Custom issues carry a `template` param; formatIssues renders it with the field's dotted path,
// so every §3.9 message is written in one place whatever schema raised it.

/**
 * An RFC 3339 UTC timestamp (`Ts` of §3.3): 'Z', seconds required, ≤ 9 fraction digits.
 *
 * @public
 */
export const timestampSchema = z.custom<string>(v => isUtcTimestamp(v), {
  params: { template: 'timestamp' },
});

/**
 * A full entity ref `kind:namespace/name` (any case; normalized on write).
 *
 * @public
 */
export const entityRefSchema = z.custom<string>(v => isFullEntityRef(v), {
  params: { template: 'fullRef' },
});

/**
 * A number within [min, max], reported as `{field} must be between min and max (got n)`.
 *
 * @public
 */
export function numberBetween(min: number, max: number) {
  return z.number().refine(v => v >= min && v <= max, {
    params: { template: 'between', min, max },
  });
}

/**
 * The largest value of an `integer` column (PostgreSQL's 4-byte `integer`): a larger number
 * fails its insert there (22003) with a 500 naming no field, in a batch for every item.
 *
 * @public
 */
export const MAX_INTEGER_COLUMN = 2_147_483_647;

/**
 * An integer within [min, max], reported as `{field} must be an integer between 1 and
 * 2147483647 (got 2147483648)`. Every integer stored in a column of its own is bounded by the
 * column ({@link MAX_INTEGER_COLUMN}), so the sender learns the range instead of getting a 500.
 *
 * @public
 */
export function integerBetween(min: number, max: number) {
  return z.number().refine(v => Number.isInteger(v) && v >= min && v <= max, {
    params: { template: 'integerBetween', min, max },
  });
}

/**
 * A list of `min`–`max` items, reported as `{field} must contain 1–5000 entries (got 0)` (the
 * wording of the batch envelope's `items` limit).
 *
 * @public
 */
export function listBetween<T extends z.ZodType>(
  item: T,
  min: number,
  max: number,
) {
  return z.array(item).refine(v => v.length >= min && v.length <= max, {
    params: { template: 'entries', min, max },
  });
}

/**
 * A query-string integer within [min, max], parsed to a number; reported as
 * `{field} must be an integer between 1 and 1000 (got "lots")`.
 *
 * @public
 */
export function queryIntegerBetween(min: number, max: number) {
  return z
    .string()
    .refine(v => /^\d{1,15}$/.test(v) && +v >= min && +v <= max, {
      params: { template: 'integerBetween', min, max },
    })
    .transform(Number);
}

/**
 * A string a text column holds as sent: without U+0000, which PostgreSQL text columns cannot
 * hold (its insert or lookup failed with a 500 instead of the sender learning which field to
 * fix), and without a lone UTF-16 surrogate, which the database stores as U+FFFD (two different
 * natural keys then collapse into one, and a retry no longer matches what was stored). JSON
 * columns are safe: their canonical JSON escapes both.
 *
 * @public
 */
export function storableString<T extends z.ZodString>(schema: T) {
  return schema
    .refine(v => !v.includes('\u0000'), { params: { template: 'nul' } })
    .refine(v => v.isWellFormed(), { params: { template: 'wellFormed' } });
}

/**
 * A non-empty string of at most `max` characters that a text column holds as sent ({@link storableString}).
 *
 * @public
 */
export function boundedString(max: number) {
  return storableString(z.string().min(1).max(max));
}

/**
 * A {@link boundedString} the store keeps lower-cased (aliases, environments, repositories):
 * its limit holds for the stored form too. Lower-casing can lengthen a text (`'İ'` becomes
 * `'i̇'`, two characters), and a stored value past its column's length failed the write — the
 * whole batch — with a 500 on PostgreSQL, while SQLite kept it.
 *
 * @public
 */
export function lowerCasedString(max: number, stored: StoredForm = 'trimmed') {
  return lowerCasedWithin(boundedString(max), max, stored);
}

/**
 * How the store keeps a lower-cased text: aliases and repositories are trimmed first, a
 * change's environment is not (`canonicalEnvironment`).
 *
 * @public
 */
export type StoredForm = 'trimmed' | 'as sent';

/**
 * `schema`, whose value is also at most `max` characters in the lower-cased form the store
 * keeps ({@link lowerCasedString}), measured exactly as stored.
 *
 * @public
 */
export function lowerCasedWithin<T extends z.ZodType<string>>(
  schema: T,
  max: number,
  stored: StoredForm = 'trimmed',
) {
  return schema.superRefine((v, ctx) => {
    const length = (stored === 'trimmed' ? v.trim() : v).toLowerCase().length;
    if (length > max) {
      ctx.addIssue({
        code: 'custom',
        params: { template: 'lowerCased', max, length },
      });
    }
  });
}

/**
 * A link to the sender's own page for a record (a CI run, a deploy, a fact's provenance): an
 * absolute `http:` or `https:` URL of at most `max` characters. The cards render these as links,
 * so a `javascript:` or `data:` value is refused at the door rather than shown to a responder.
 *
 * @public
 */
export function httpUrl(max: number) {
  return boundedString(max).refine(isHttpUrl, {
    params: { template: 'httpUrl' },
  });
}

/**
 * A fact's `provenance.url`: like {@link httpUrl}, or a `file:` URL (a golden path's local
 * remote is the provenance of its `repo.files` facts). Never `javascript:` or `data:`.
 *
 * @public
 */
export function provenanceUrl(max: number) {
  return boundedString(max).refine(
    v => hasProtocol(v, ['http:', 'https:', 'file:']),
    { params: { template: 'provenanceUrl' } },
  );
}

function isHttpUrl(value: string): boolean {
  return hasProtocol(value, ['http:', 'https:']);
}

function hasProtocol(value: string, protocols: readonly string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/**
 * Adds the `exactly one of a, b is required` rule to an object schema; it runs even when other
 * fields failed, so a caller sees every problem at once.
 *
 * @public
 */
export function exactlyOneOf<T extends z.ZodType>(
  schema: T,
  fields: string[],
): T {
  return schema.superRefine(
    (value, ctx) => {
      const present = fields.filter(
        f => (value as Record<string, unknown>)[f] !== undefined,
      );
      if (present.length !== 1) {
        ctx.addIssue({
          code: 'custom',
          path: [],
          message: `exactly one of ${fields.join(', ')} is required`,
          params: { template: 'exactlyOne', fields },
        });
      }
    },
    { when: payload => isObject(payload.value) },
  ) as unknown as T;
}

/**
 * True for a non-null, non-array object.
 *
 * @public
 */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
