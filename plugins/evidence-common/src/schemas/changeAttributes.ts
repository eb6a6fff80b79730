import { z } from 'zod';
import { boundedString, entityRefSchema, numberBetween } from './primitives';

/**
 * Kinds of change in the ledger.
 *
 * @public
 */
export const CHANGE_KINDS = [
  'deploy',
  'config',
  'feature-flag',
  'schema-migration',
  'infra',
] as const;

/**
 * A ledger change kind.
 *
 * @public
 */
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/**
 * Ledger statuses.
 *
 * @public
 */
export const CHANGE_STATUSES = [
  'started',
  'succeeded',
  'failed',
  'cancelled',
  'rolled-back',
] as const;

/**
 * A ledger change status.
 *
 * @public
 */
export type ChangeStatus = (typeof CHANGE_STATUSES)[number];

/**
 * Share of traffic or users exposed before and after the change, 0–100.
 *
 * @public
 */
export const exposureSchema = z.strictObject({
  from: numberBetween(0, 100),
  to: numberBetween(0, 100),
  strategy: z
    .enum(['canary', 'blue-green', 'progressive', 'rolling', 'all-at-once'])
    .optional(),
  analysis: z.boolean().optional(),
});

/** @public */
export type Exposure = z.infer<typeof exposureSchema>;

/**
 * CI tests, migration dry-run or reviewed plan that vouched for the change.
 *
 * @public
 */
export const verificationSchema = z.strictObject({
  status: z.enum(['passed', 'failed']),
  url: boundedString(2048).optional(),
});

/** @public */
export type Verification = z.infer<typeof verificationSchema>;

/**
 * Attributes of a deploy; the digest is stored as sent (scorecards judges mutability, R-16).
 *
 * @public
 */
export const deployAttrsSchema = z.strictObject({
  artifactDigest: boundedString(512),
  commitSha: boundedString(64).optional(),
  exposure: exposureSchema.optional(),
  verification: verificationSchema.optional(),
});

/** @public */
export type DeployAttrs = z.infer<typeof deployAttrsSchema>;

/**
 * Attributes of a configuration push.
 *
 * @public
 */
export const configAttrsSchema = z.strictObject({
  keys: z.array(boundedString(512)).min(1),
  scope: z.enum(['service', 'global']).optional(),
  exposure: exposureSchema.optional(),
  verification: verificationSchema.optional(),
});

/** @public */
export type ConfigAttrs = z.infer<typeof configAttrsSchema>;

/**
 * Attributes of a feature-flag change (flag types follow seed 27).
 *
 * @public
 */
export const flagAttrsSchema = z.strictObject({
  flagKey: boundedString(255),
  flagType: z.enum(['release', 'ops', 'experiment', 'permission', 'migration']),
  exposure: exposureSchema,
  guardrail: boundedString(2048).optional(),
});

/** @public */
export type FlagAttrs = z.infer<typeof flagAttrsSchema>;

/**
 * Attributes of a schema migration (expand → migrate → contract, seed 14).
 *
 * @public
 */
export const migrationAttrsSchema = z.strictObject({
  version: boundedString(256),
  phase: z.enum(['expand', 'migrate', 'contract']),
  reversible: z.boolean(),
  destructive: z.boolean(),
  verification: verificationSchema.optional(),
});

/** @public */
export type MigrationAttrs = z.infer<typeof migrationAttrsSchema>;

const planCount = z.number().int().min(0);

/**
 * Attributes of an infrastructure apply (plan counts from the plan's resource actions).
 *
 * @public
 */
export const infraAttrsSchema = z.strictObject({
  workspace: boundedString(255),
  plan: z.strictObject({
    add: planCount,
    change: planCount,
    destroy: planCount,
    replace: planCount,
  }),
  affectedEntities: z.array(entityRefSchema).optional(),
  verification: verificationSchema.optional(),
});

/** @public */
export type InfraAttrs = z.infer<typeof infraAttrsSchema>;

/**
 * The attribute schema for each change kind.
 *
 * @public
 */
export const changeAttributesSchemas = {
  deploy: deployAttrsSchema,
  config: configAttrsSchema,
  'feature-flag': flagAttrsSchema,
  'schema-migration': migrationAttrsSchema,
  infra: infraAttrsSchema,
} as const;

/**
 * Attribute type for each change kind.
 *
 * @public
 */
export interface ChangeAttributesByKind {
  deploy: DeployAttrs;
  config: ConfigAttrs;
  'feature-flag': FlagAttrs;
  'schema-migration': MigrationAttrs;
  infra: InfraAttrs;
}
