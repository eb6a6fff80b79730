import { z } from 'zod';
import { normalizeEntityRef } from '../catalog/refs';
import {
  COST_CENTER_PATTERN,
  DATABASE_TIERS,
  ENVIRONMENTS,
} from '../constants';
import {
  advancedFields,
  bool,
  dataClassification,
  entityRef,
  intBetween,
  isoDate,
  numericStringEnum,
  serviceTier,
  text,
} from './fields';

/** SLO availability menu (§3.1). @public */
export const SLO_AVAILABILITY = ['99.0', '99.5', '99.9', '99.95'] as const;

/** Runbook choices (§3.1). @public */
export const RUNBOOK_CHOICES = [
  'generate-stub',
  'existing-url',
  'none',
] as const;

/** Lifecycle transitions (§3.5, §7.1). @public */
export const TRANSITIONS = [
  'promote',
  'deprecate',
  'undeprecate',
  'archive',
  'unarchive',
  'delete',
] as const;

/** @public */
export type Transition = (typeof TRANSITIONS)[number];

// Fields T1 and T2 share (§3.2: "same parameters as T1 except …").
const serviceCommon = {
  name: z.string().trim(),
  description: text(10, 200),
  owner: entityRef('group'),
  system: entityRef('system'),
  tier: serviceTier.optional(),
  oncall: z.string().trim().optional(),
  customerFacing: bool.optional(),
  dataClassification: dataClassification.optional(),
  runbook: z.enum(RUNBOOK_CHOICES).optional(),
  runbookUrl: z.string().trim().optional(),
  sloAvailability: numericStringEnum(SLO_AVAILABILITY).optional(),
  region: z.string().trim().optional(),
  ...advancedFields,
};

const runbookUrlRequired = (
  r: { runbook?: string; runbookUrl?: string },
  ctx: z.RefinementCtx,
) => {
  if (r.runbook === 'existing-url' && !r.runbookUrl) {
    ctx.addIssue({
      code: 'custom',
      path: ['runbookUrl'],
      message: 'is required when runbook is existing-url',
    });
  }
};

/**
 * T1 `service-node-http` parameters (§3.1). Unknown fields are refused (GP-V02).
 *
 * @public
 */
export const serviceRequestSchema = z
  .strictObject({
    ...serviceCommon,
    exposure: z.enum(['internal', 'public']).optional(),
    sloLatencyP95Ms: intBetween(50, 5000).optional(),
  })
  .superRefine(runbookUrlRequired);

/**
 * T2 `worker-node` parameters (§3.2).
 *
 * @public
 */
export const workerRequestSchema = z
  .strictObject({
    ...serviceCommon,
    trigger: z.enum(['schedule', 'queue']).optional(),
    schedule: z.string().trim().optional(),
    queue: entityRef('resource').optional(),
    concurrency: z.enum(['forbid', 'replace']).optional(),
    maxRuntimeMinutes: intBetween(1, 240).optional(),
  })
  .superRefine((r, ctx) => {
    runbookUrlRequired(r, ctx);
    if (r.trigger === 'queue' && !r.queue) {
      ctx.addIssue({
        code: 'custom',
        path: ['queue'],
        message: 'is required when trigger is queue',
      });
    }
  });

/**
 * T3 `postgres-database` parameters (§3.3). Network exposure fields are refused earlier with
 * GP-D09, not here.
 *
 * @public
 */
export const databaseRequestSchema = z.strictObject({
  name: z.string().trim(),
  component: entityRef('component'),
  environment: z.enum(ENVIRONMENTS).optional(),
  databaseTier: z.enum(DATABASE_TIERS).optional(),
  size: z.string().trim().optional(),
  storageGiB: intBetween(1, 65536).optional(),
  extraReadReplicas: intBetween(0, 3).optional(),
  engineVersion: z
    .preprocess(v => (typeof v === 'number' ? String(v) : v), z.string().trim())
    .optional(),
  region: z.string().trim().optional(),
  dataClassification: dataClassification.optional(),
  costCenter: z
    .string()
    .trim()
    .regex(new RegExp(COST_CENTER_PATTERN))
    .optional(),
  purpose: text(20, 280),
  expiresOn: isoDate.optional(),
  additionalAccess: z.array(entityRef('component')).optional(),
  ...advancedFields,
});

/**
 * T5 `lifecycle-transition` parameters (§3.5).
 *
 * @public
 */
export const lifecycleRequestSchema = z.strictObject({
  entity: entityRef('component'),
  transition: z.enum(TRANSITIONS),
  reason: text(10, 500),
  // an entity (held to the catalog's rules, as every ref field) or `none` (G-D1)
  replacement: z
    .string()
    .trim()
    .refine(
      v => v === 'none' || normalizeEntityRef(v, 'component') !== undefined,
      { error: 'must be an entity ref or none' },
    )
    .optional(),
  sunsetOn: isoDate.optional(),
  ...advancedFields,
});

/** Raw (pre-default) request types. @public */
export type ServiceRequestInput = z.infer<typeof serviceRequestSchema>;
/** @public */
export type WorkerRequestInput = z.infer<typeof workerRequestSchema>;
/** @public */
export type DatabaseRequestInput = z.infer<typeof databaseRequestSchema>;
/** @public */
export type LifecycleRequestInput = z.infer<typeof lifecycleRequestSchema>;

/**
 * Request kinds with a schema in this package (T4 `library` is optional in the note and not
 * modelled yet).
 *
 * @public
 */
export type RequestKind = 'service' | 'worker' | 'database' | 'lifecycle';

/** @public */
export const requestSchemas = {
  service: serviceRequestSchema,
  worker: workerRequestSchema,
  database: databaseRequestSchema,
  lifecycle: lifecycleRequestSchema,
} as const;

/**
 * Fields an API caller might send to open a database to the network; each is refused with
 * GP-D09 instead of the generic GP-V02 (§3.3 module contract).
 *
 * @public
 */
export const NETWORK_EXPOSURE_FIELDS = [
  'publicAccess',
  'publiclyAccessible',
  'public',
  'exposure',
  'publicEndpoint',
  'allowedCidrs',
] as const;
