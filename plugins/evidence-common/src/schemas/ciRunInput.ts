import { z } from 'zod';
import {
  MAX_INTEGER_COLUMN,
  boundedString,
  lowerCasedWithin,
  httpUrl,
  integerBetween,
  storableString,
  entityRefSchema,
  exactlyOneOf,
  isObject,
  timestampSchema,
} from './primitives';

/**
 * Repository names as CI runs give them: `<host>/<owner>/<repo>`.
 *
 * @public
 */
export const REPOSITORY_PATTERN = /^[^/\s]+\/[^/\s]+\/[^/\s]+$/;

/**
 * CI run conclusions (GitHub Actions vocabulary).
 *
 * @public
 */
export const CI_CONCLUSIONS = [
  'success',
  'failure',
  'cancelled',
  'skipped',
  'timed_out',
  'neutral',
] as const;

/**
 * CI run statuses, in the only order a run may move through them.
 *
 * @public
 */
export const CI_STATUSES = ['queued', 'in_progress', 'completed'] as const;

/**
 * Where a failed run failed (16, 81).
 *
 * @public
 */
export const CI_FAILURE_DOMAINS = [
  'source',
  'build',
  'test',
  'artifact',
  'policy',
  'environment',
  'deploy',
  'dependency',
  'verification',
] as const;

const ciRunShape = z.strictObject({
  entityRef: entityRefSchema.optional(),
  // the pattern's `[^/\s]` lets U+0000 through, which the `repository` column cannot hold
  repository: lowerCasedWithin(
    storableString(z.string().max(255).regex(REPOSITORY_PATTERN)),
    255,
  ).optional(),
  provider: boundedString(32),
  runId: boundedString(255),
  attempt: integerBetween(1, MAX_INTEGER_COLUMN),
  workflow: boundedString(255),
  branch: boundedString(255),
  defaultBranch: z.boolean(),
  commitSha: boundedString(64),
  event: boundedString(32).optional(),
  status: z.enum(CI_STATUSES),
  conclusion: z.enum(CI_CONCLUSIONS).optional(),
  queuedAt: timestampSchema.optional(),
  startedAt: timestampSchema.optional(),
  finishedAt: timestampSchema.optional(),
  failureDomain: z.enum(CI_FAILURE_DOMAINS).optional(),
  correlationId: boundedString(255).optional(),
  url: httpUrl(2048).optional(),
});

const withConclusionRule = ciRunShape.superRefine(
  (value, ctx) => {
    const completed = value.status === 'completed';
    if (completed && value.conclusion === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['conclusion'],
        message: 'conclusion is required',
        params: { template: 'required' },
      });
    }
    if (!completed && value.conclusion !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['conclusion'],
        message: 'conclusion is only allowed when status is completed',
        params: { template: 'onlyWhen', condition: 'status is completed' },
      });
    }
  },
  { when: ({ value }) => isObject(value) },
);

/**
 * zod schema of {@link CiRunInput} (§2.5): `conclusion` is required iff the run completed.
 *
 * @public
 */
export const ciRunInputSchema = exactlyOneOf(withConclusionRule, [
  'entityRef',
  'repository',
]);

/**
 * Body of `POST /api/evidence/ci-runs` (§2.5).
 *
 * @public
 */
export type CiRunInput = z.infer<typeof ciRunShape>;
