import { z } from 'zod';
import {
  CHANGE_KINDS,
  CHANGE_STATUSES,
  ChangeAttributesByKind,
  ChangeKind,
  changeAttributesSchemas,
} from './changeAttributes';
import {
  boundedString,
  lowerCasedString,
  httpUrl,
  entityRefSchema,
  exactlyOneOf,
  isObject,
  timestampSchema,
} from './primitives';
import { isUtcTimestamp, timestampMs } from '../time/timestamps';
import { canonicalJson } from '../canonicalJson';

/**
 * `source.system` of a change: lower-case tool id such as `github-actions` or `argocd`.
 *
 * @public
 */
export const SOURCE_SYSTEM_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/**
 * Natural key of a change: the sending system and its own id for the operation.
 *
 * @public
 */
export const changeNaturalKeySchema = z.strictObject({
  system: z.string().regex(SOURCE_SYSTEM_PATTERN),
  externalId: boundedString(255),
});

/** @public */
export type ChangeNaturalKey = z.infer<typeof changeNaturalKeySchema>;

/** The `rollback_of_ref` column's length: `rollbackOf` as canonical JSON. */
const MAX_ROLLBACK_REF_JSON = 640;

const changeBaseShape = z.strictObject({
  entityRef: entityRefSchema.optional(),
  alias: lowerCasedString(255).optional(),
  kind: z.enum(CHANGE_KINDS),
  environment: lowerCasedString(64, 'as sent').optional(),
  ref: boundedString(512),
  version: boundedString(256).optional(),
  summary: boundedString(200),
  actor: z.strictObject({
    type: z.enum(['user', 'bot', 'service-account', 'scheduler']),
    id: boundedString(255),
  }),
  source: z.strictObject({
    system: changeNaturalKeySchema.shape.system,
    externalId: changeNaturalKeySchema.shape.externalId,
    url: httpUrl(2048).optional(),
  }),
  startedAt: timestampSchema,
  finishedAt: timestampSchema.optional(),
  status: z.enum(CHANGE_STATUSES),
  // A ledger id or, for senders that only know their own ids, a natural key.
  rollbackOf: z
    .union([boundedString(255), changeNaturalKeySchema])
    // Stored as canonical JSON, where each control character takes six: 255 of them were
    // past the column's 640 and failed the write with a 500 on PostgreSQL.
    .superRefine((v, ctx) => {
      const length = canonicalJson(v).length;
      if (length > MAX_ROLLBACK_REF_JSON) {
        ctx.addIssue({
          code: 'custom',
          params: {
            template: 'storedJson',
            max: MAX_ROLLBACK_REF_JSON,
            length,
          },
        });
      }
    })
    .optional(),
  remediationFor: boundedString(255).optional(),
  correlationId: boundedString(255).optional(),
  attributes: z.record(z.string(), z.unknown()),
});

/**
 * Fields every change carries whatever its kind.
 *
 * @public
 */
export type ChangeInputBase = Omit<
  z.infer<typeof changeBaseShape>,
  'kind' | 'attributes'
>;

/**
 * Body of `POST /api/evidence/changes` (§3.3): attributes are typed by `kind`.
 *
 * @public
 */
export type ChangeInput = {
  [K in ChangeKind]: ChangeInputBase & {
    kind: K;
    attributes: ChangeAttributesByKind[K];
  };
}[ChangeKind];

const withAttributes = changeBaseShape.superRefine(
  (value, ctx) => {
    const kind = value.kind as ChangeKind;
    const parsed = changeAttributesSchemas[kind].safeParse(value.attributes);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        ctx.addIssue({
          ...issue,
          path: ['attributes', ...issue.path],
        } as Parameters<typeof ctx.addIssue>[0]);
      }
    }
  },
  {
    // Attributes are checked against their kind even when other fields failed, so the caller
    // learns about every problem in one round trip.
    when: ({ value }) =>
      isObject(value) &&
      (CHANGE_KINDS as readonly unknown[]).includes(value.kind) &&
      isObject(value.attributes),
  },
);

const withTimeOrder = withAttributes.superRefine(
  (value, ctx) => {
    if (timestampMs(value.finishedAt!) < timestampMs(value.startedAt)) {
      ctx.addIssue({
        code: 'custom',
        path: ['finishedAt'],
        message: 'finishedAt must not be before startedAt',
        params: { template: 'notBefore', other: 'startedAt' },
      });
    }
  },
  {
    when: ({ value }) =>
      isObject(value) &&
      isUtcTimestamp(value.startedAt) &&
      isUtcTimestamp(value.finishedAt),
  },
);

/**
 * zod schema of {@link ChangeInput}; unknown fields are refused.
 *
 * @public
 */
export const changeInputSchema = exactlyOneOf(withTimeOrder, [
  'entityRef',
  'alias',
]) as unknown as z.ZodType<ChangeInput>;
