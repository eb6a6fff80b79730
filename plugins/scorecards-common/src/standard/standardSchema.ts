import { z } from 'zod';
import { ROLLOUT_PHASES, SCORED_KINDS, THEMES } from '../model/checkModel';
import { zonedDateProblem } from '../model/isoDates';

/**
 * An ISO-8601 date or zoned instant (see `zonedDateProblem`): rollout dates, `retiresAt` and
 * changelog dates must mean the same instant on every server. YAML loaders turn unquoted dates
 * into Date objects, so both are accepted and normalized to a string.
 */
export const instantSchema = z
  .union([z.string(), z.date()])
  .transform((value, ctx) => {
    const text = value instanceof Date ? value.toISOString() : value.trim();
    const problem = zonedDateProblem(text);
    if (problem !== null) {
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    return text;
  });

/** Check ids: kebab-case, never reused for another meaning. */
export const CHECK_ID_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Longest check id: the scorecards backend stores ids in `varchar(128)` columns (transitions,
 * waivers), which PostgreSQL enforces; a longer id would fail every write naming the check.
 */
export const MAX_CHECK_ID_LENGTH = 128;

const levelIdSchema = z.enum(['L0', 'L1', 'L2', 'L3']);

/** One context clause of a contextual check (scorecards §2.3). */
export const contextClauseSchema = z.union([
  z.strictObject({ customerFacing: z.literal(true) }),
  z.strictObject({ dataDomains: z.array(z.string()).min(1) }),
  z.strictObject({ providesApis: z.literal(true) }),
  z.strictObject({ resourceTypes: z.array(z.string()).min(1) }),
]);

/** A check definition as written in a standard file (scorecards §2.2). */
export const checkDefinitionSchema = z.strictObject({
  id: z
    .string()
    .max(
      MAX_CHECK_ID_LENGTH,
      `must be at most ${MAX_CHECK_ID_LENGTH} characters`,
    )
    .regex(CHECK_ID_PATTERN, 'must be kebab-case'),
  version: z.number().int().min(1),
  title: z.string().min(1),
  theme: z.enum(THEMES),
  owner: z.string().min(1),
  rationale: z.string().min(1),
  evidence: z.array(z.string()),
  type: z.string().min(1),
  params: z.unknown().optional(),
  class: z.enum(['required', 'recommended', 'contextual']),
  level: levelIdSchema.optional(),
  severity: z.enum(['critical', 'high', 'medium', 'low']),
  appliesTo: z.strictObject({
    kinds: z.array(z.enum(SCORED_KINDS)).min(1),
    types: z.array(z.string()).optional(),
    lifecycles: z.array(z.string()).optional(),
    tiers: z
      .array(
        z.union([
          z.literal(1),
          z.literal(2),
          z.literal(3),
          z.literal('unknown'),
        ]),
      )
      .optional(),
  }),
  context: z
    .strictObject({ anyOf: z.array(contextClauseSchema).min(1) })
    .optional(),
  rollout: z
    .array(
      z.strictObject({ phase: z.enum(ROLLOUT_PHASES), from: instantSchema }),
    )
    .min(1),
  gateOnUnknown: z.enum(['warn', 'block']).optional(),
  waiver: z
    .strictObject({
      allowed: z.boolean().default(true),
      maxDays: z.number().int().optional(),
    })
    .optional(),
  remediation: z.strictObject({
    summary: z.string().min(1),
    url: z.string().optional(),
    templateRef: z.string().optional(),
  }),
  platformCapability: z.string().optional(),
  retiresAt: instantSchema.optional(),
  supersedes: z.string().optional(),
});

/** The standard file (scorecards §2.2): checks and levels as versioned data. */
export const standardFileSchema = z.strictObject({
  standard: z.strictObject({
    id: z.string().min(1),
    version: z.number().int().min(1),
    owner: z.string().min(1),
  }),
  levels: z
    .array(
      z.strictObject({
        id: levelIdSchema,
        title: z.string().min(1),
        summary: z.string(),
      }),
    )
    .min(1),
  checks: z.array(z.unknown()),
  changelog: z
    .array(
      z.strictObject({
        version: z.number().int().min(1),
        date: instantSchema,
        entries: z.array(
          z.strictObject({
            checkId: z.string(),
            change: z.string(),
            actionRequired: z.string(),
            effectiveFrom: instantSchema,
          }),
        ),
      }),
    )
    .default([]),
});

/** A check definition after schema validation. */
export type CheckDefinition = z.output<typeof checkDefinitionSchema>;
/** A check definition as an author writes it. */
export type CheckDefinitionInput = z.input<typeof checkDefinitionSchema>;
/** A context clause. */
export type ContextClause = z.output<typeof contextClauseSchema>;
/** A standard file as an author writes it (checks as definitions). */
export type StandardFile = Omit<
  z.input<typeof standardFileSchema>,
  'checks'
> & {
  checks: CheckDefinitionInput[];
};
