import { z } from 'zod';
import { canonicalJson, CanonicalJsonError } from '../canonicalJson';
import { utf8ByteLength } from '../fingerprint';
import { JsonValue } from '../json/jsonValue';
import {
  MAX_INTEGER_COLUMN,
  boundedString,
  lowerCasedString,
  integerBetween,
  storableString,
  provenanceUrl,
  entityRefSchema,
  exactlyOneOf,
  timestampSchema,
} from './primitives';

/**
 * Default `evidence.ingest.maxValueBytes` (64 KiB of canonical JSON).
 *
 * @public
 */
export const DEFAULT_MAX_VALUE_BYTES = 65536;

/**
 * Pattern of a fact source id (collector id or pushing system).
 *
 * @public
 */
export const FACT_SOURCE_PATTERN = /^[a-z][a-z0-9-]{1,63}$/;

/**
 * Pattern of an evidence kind id such as `repo.files` or `slo.status`.
 *
 * @public
 */
export const FACT_KIND_PATTERN = /^[a-z][a-z0-9]*(\.[a-z0-9-]+)+$/;

/**
 * A JSON value whose canonical form fits in `maxBytes` (§3.1 limit on `value`).
 *
 * @public
 */
export function jsonValueSchema(maxBytes: number = DEFAULT_MAX_VALUE_BYTES) {
  return z.unknown().superRefine((value, ctx) => {
    if (value === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: 'required',
        params: { template: 'required' },
      });
      return;
    }
    let text: string;
    try {
      text = canonicalJson(value);
    } catch (e) {
      ctx.addIssue({
        code: 'custom',
        message: (e as Error).message,
        params: { template: 'json', reason: (e as CanonicalJsonError).message },
      });
      return;
    }
    const bytes = utf8ByteLength(text);
    if (bytes > maxBytes) {
      ctx.addIssue({
        code: 'custom',
        message: 'value too large',
        params: { template: 'valueSize', max: maxBytes, bytes },
      });
    }
  }) as unknown as z.ZodType<JsonValue>;
}

/**
 * Builds the {@link FactInput} schema for a configured value size limit.
 *
 * @public
 */
export function createFactInputSchema(
  options: { maxValueBytes?: number } = {},
) {
  return exactlyOneOf(
    z.strictObject({
      entityRef: entityRefSchema.optional(),
      alias: lowerCasedString(255).optional(),
      source: z.string().regex(FACT_SOURCE_PATTERN),
      kind: z.string().max(64).regex(FACT_KIND_PATTERN),
      key: storableString(z.string().max(512)).optional(),
      value: jsonValueSchema(options.maxValueBytes),
      observedAt: timestampSchema,
      // Also at most the kind's window (validateFactRules); this is its column's range.
      freshForSeconds: integerBetween(1, MAX_INTEGER_COLUMN).optional(),
      provenance: z
        .strictObject({
          url: provenanceUrl(2048).optional(),
          commitSha: boundedString(64).optional(),
          runId: boundedString(255).optional(),
        })
        .optional(),
    }),
    ['entityRef', 'alias'],
  );
}

/**
 * zod schema of {@link FactInput} with the default 64 KiB value limit; registry-dependent rules
 * (registered kind, reserved source, window, history) are in `validateFactRules`.
 *
 * @public
 */
export const factInputSchema = createFactInputSchema();

/**
 * Body of `POST /api/evidence/facts` (§3.3).
 *
 * @public
 */
export type FactInput = z.infer<typeof factInputSchema>;
