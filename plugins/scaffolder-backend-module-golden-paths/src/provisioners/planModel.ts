import type { JsonObject } from '@backstage/types';
import {
  gpMessages,
  planDigest,
  type DatabaseEstimate,
  type DatabaseTier,
  type RuleResult,
} from '@internal/plugin-golden-paths-common';
import { randomUUID } from 'node:crypto';
import type {
  DatabasePlan,
  DatabasePlanEstimate,
  DatabasePlanRequest,
  DatabasePlanResource,
} from './DatabaseProvisioner';

// The module contract of golden-paths.md §3.3 and the plan-level policy P01–P06 of §4.9/§5,
// shared by every provisioner: a provisioner describes what it will do, this file says whether
// that is allowed and gives the plan its digest.

/** Plans live 30 minutes (`ours`, §4.9); apply refuses an older one with GP-P07. */
export const PLAN_TTL_MINUTES = 30;

/** Backup retention minimum per tier, days (§3.3 module contract, `ours`). */
export const BACKUP_RETENTION_DAYS: Record<DatabaseTier, number> = {
  dev: 1,
  staging: 7,
  'production-standard': 14,
  'production-critical': 35,
};

/** HA and replicas per tier (C15 price-book tiers). */
export const TIER_SHAPE: Record<
  DatabaseTier,
  { multiAz: boolean; replicas: number }
> = {
  dev: { multiAz: false, replicas: 0 },
  staging: { multiAz: false, replicas: 0 },
  'production-standard': { multiAz: true, replicas: 1 },
  'production-critical': { multiAz: true, replicas: 2 },
};

/** Maintenance window per tier (UTC; production on the quietest hour of the week). */
export const MAINTENANCE_WINDOW: Record<DatabaseTier, string> = {
  dev: 'sun:02:00-sun:03:00',
  staging: 'sun:02:00-sun:03:00',
  'production-standard': 'sun:04:00-sun:05:00',
  'production-critical': 'sun:04:00-sun:05:00',
};

/** Tags every database carries (§3.3). */
export const REQUIRED_TAGS = [
  'owner',
  'cost-center',
  'environment',
  'data-classification',
  'request-key',
] as const;

/** PostgreSQL identifier of a Resource name: `cart-db-dev` → `cart_db_dev`. */
export function pgIdentifier(resourceName: string): string {
  return resourceName.replace(/-/g, '_');
}

/** The application role of a database: `<id>_app`. */
export function appRoleName(identifier: string): string {
  return `${identifier}_app`;
}

/** `resource:default/<name>-<environment>`. */
export function resourceRefOf(resourceName: string): string {
  return `resource:default/${resourceName}`;
}

/** The estimate of a destroy plan: it costs nothing and reads no price book. */
export const DESTROY_ESTIMATE: Readonly<DatabasePlanEstimate> = {
  sku: '',
  instances: 0,
  computeMonthly: '0.00',
  storageMonthly: '0.00',
  total: '0.00',
  threshold: '0.00',
  maxMonthly: '0.00',
  overThreshold: false,
  overLimit: false,
  priceBookVersion: 'n/a',
};

/** The plan's view of a C15 estimate (only successful estimates reach a provisioner). */
export function planEstimate(
  e: Extract<DatabaseEstimate, { ok: true }>,
): DatabasePlanEstimate {
  return {
    sku: e.sku,
    instances: e.instances,
    computeMonthly: e.computeMonthly,
    storageMonthly: e.storageMonthly,
    total: e.total,
    threshold: e.threshold,
    maxMonthly: e.maxMonthly,
    overThreshold: e.overThreshold,
    overLimit: e.overLimit,
    priceBookVersion: e.priceBookVersion,
  };
}

/**
 * The module variables of a request (§3.3): intent from the form, everything else from the
 * tier. Encryption on, no public endpoint, deletion protection on in prod, tier backups, HA and
 * replicas, the required tags. Never a secret.
 */
export function moduleVariables(req: DatabasePlanRequest): JsonObject {
  const r = req.request;
  const identifier = pgIdentifier(req.resourceName);
  const shape = TIER_SHAPE[r.databaseTier];
  const tags: Record<string, string> = {
    owner: req.owner,
    environment: r.environment,
    'request-key': req.requestKey,
  };
  if (r.costCenter) tags['cost-center'] = r.costCenter;
  if (r.dataClassification) tags['data-classification'] = r.dataClassification;
  return {
    identifier,
    role: appRoleName(identifier),
    engine: 'postgres',
    engineVersion: r.engineVersion,
    size: r.size,
    priceBookSku: req.estimate.sku,
    storageGiB: r.storageGiB,
    environment: r.environment,
    databaseTier: r.databaseTier,
    region: r.region ?? '',
    storageEncrypted: true,
    publiclyAccessible: false,
    deletionProtection: r.environment === 'prod',
    backupRetentionDays: BACKUP_RETENTION_DAYS[r.databaseTier],
    multiAz: shape.multiAz,
    readReplicas: shape.replicas + r.extraReadReplicas,
    maintenanceWindow: MAINTENANCE_WINDOW[r.databaseTier],
    tags,
  };
}

/**
 * P01–P06 on the plan a provider will actually carry out (§4.9; 44, 63). Every rule is reported
 * (pass or deny) so the audit record lists them; P07 is checked at apply.
 */
export function evaluatePlanPolicy(plan: {
  variables: JsonObject;
  changes: DatabasePlan['changes'];
  resourceName: string;
}): RuleResult[] {
  const v = plan.variables;
  const resource = plan.resourceName;
  const tier = String(v.databaseTier) as DatabaseTier;
  const out: RuleResult[] = [];
  const check = (
    n: 1 | 2 | 3 | 4 | 5 | 6,
    ok: boolean,
    violation: () => string,
  ) =>
    out.push(
      ok
        ? { id: `GP-P0${n}`, outcome: 'pass' }
        : {
            id: `GP-P0${n}`,
            outcome: 'deny',
            message: gpMessages.p({ n, resource, violation: violation() }),
          },
    );

  check(1, v.storageEncrypted === true, () => 'stores data unencrypted');
  const minimum = BACKUP_RETENTION_DAYS[tier] ?? 1;
  const days =
    typeof v.backupRetentionDays === 'number' ? v.backupRetentionDays : 0;
  check(
    2,
    days >= minimum,
    () => `keeps backups ${days} days, below the ${tier} minimum of ${minimum}`,
  );
  check(
    3,
    v.environment !== 'prod' || v.deletionProtection === true,
    () => 'has deletion protection off',
  );
  check(
    4,
    v.publiclyAccessible === false,
    () => 'would be publicly accessible',
  );
  const tags = (v.tags ?? {}) as Record<string, unknown>;
  const missing = REQUIRED_TAGS.filter(
    t => typeof tags[t] !== 'string' || !(tags[t] as string).trim(),
  );
  check(5, missing.length === 0, () => `lacks tags ${missing.join(', ')}`);
  const destructive = plan.changes.destroy + plan.changes.replace;
  check(
    6,
    destructive === 0,
    () => `would destroy or replace ${destructive} existing resources`,
  );
  return out;
}

/** The deny lines of a plan's policy, in rule order (the `InputError` text). */
export function planRefusal(
  plan: Pick<DatabasePlan, 'policy'>,
): string | undefined {
  const lines = plan.policy
    .filter(r => r.outcome === 'deny')
    .sort((a, b) => a.id.localeCompare(b.id))
    .map(r => r.message ?? r.id);
  return lines.length ? lines.join('\n') : undefined;
}

/** Counts of a resource list. */
export function countChanges(
  resources: readonly DatabasePlanResource[],
): DatabasePlan['changes'] {
  const n = (a: DatabasePlanResource['action']) =>
    resources.filter(r => r.action === a).length;
  return {
    add: n('create'),
    change: n('update'),
    destroy: n('delete'),
    replace: n('replace'),
  };
}

/**
 * Finishes a provider's plan: policy P01–P06, the estimate, id, timestamps and digest. The
 * digest is golden-paths-common's `planDigest`, so the approval inbox and the apply step compute
 * the same value.
 */
export function completePlan(
  draft: {
    provisioner: string;
    module: { source: string; version: string };
    variables: JsonObject;
    resources: DatabasePlanResource[];
    stateSerial?: number;
    resourceName: string;
    expected: DatabasePlan['expected'];
  },
  estimate: DatabasePlanEstimate,
  now: Date,
): DatabasePlan {
  const changes = countChanges(draft.resources);
  const policy = evaluatePlanPolicy({
    variables: draft.variables,
    changes,
    resourceName: draft.resourceName,
  });
  const body = {
    provisioner: draft.provisioner,
    module: draft.module,
    variables: draft.variables,
    changes,
    resources: draft.resources,
    ...(draft.stateSerial !== undefined
      ? { stateSerial: draft.stateSerial }
      : {}),
    policy,
    estimate,
  };
  return {
    planId: `plan_${randomUUID()}`,
    planDigest: planDigest(body),
    createdAt: now.toISOString(),
    expiresAt: new Date(
      now.getTime() + PLAN_TTL_MINUTES * 60_000,
    ).toISOString(),
    ...body,
    resourceName: draft.resourceName,
    expected: draft.expected,
  };
}

/** The digest of a plan as received (recomputed, never trusted from the input). */
export function digestOf(plan: DatabasePlan): string {
  return planDigest(plan);
}

/** True when a plan changes nothing (everything exists already, created by this request). */
export function isNoOp(plan: Pick<DatabasePlan, 'changes'>): boolean {
  const c = plan.changes;
  return c.add + c.change + c.destroy + c.replace === 0;
}
