import { normalizeEntityRef } from '../catalog/refs';
import { DatabaseTier, Environment, TIERS_BY_ENVIRONMENT } from '../constants';
import type { GoldenPathsConfig } from '../config';
import type {
  DatabaseRequestInput,
  LifecycleRequestInput,
  ServiceRequestInput,
  WorkerRequestInput,
} from '../schemas/requestSchemas';
import type {
  DatabaseRequest,
  LifecycleRequest,
  RequestOf,
  ServiceRequest,
  WorkerRequest,
} from './types';

// Defaults of §3 that need no catalog facts. Facts-derived defaults (a database's region,
// classification and cost centre come from its component and owner) are filled by the policy
// engine, which has the facts.

/** SLO availability default per tier (`ours`, §3.1). @public */
export const DEFAULT_SLO_BY_TIER: Record<1 | 2 | 3, string> = {
  1: '99.9',
  2: '99.5',
  3: '99.0',
};

/** Default worker schedule (§3.2). @public */
export const DEFAULT_SCHEDULE = '0 * * * *';

/** Default database tier of an environment (§3.3 "from environment"). */
export function defaultDatabaseTier(env: Environment): DatabaseTier {
  return TIERS_BY_ENVIRONMENT[env][0];
}

const ref = (value: string, kind: string) =>
  normalizeEntityRef(value, kind) ?? value;
const name = (value: string) => value.trim().toLocaleLowerCase('en-US');

function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

function serviceCommon(
  r: ServiceRequestInput | WorkerRequestInput,
  config: GoldenPathsConfig,
): Omit<ServiceRequest, 'exposure' | 'sloLatencyP95Ms'> {
  const tier = (r.tier ?? 2) as 1 | 2 | 3;
  const runbook = r.runbook ?? 'generate-stub';
  return {
    name: name(r.name),
    description: r.description,
    owner: ref(r.owner, 'group'),
    system: ref(r.system, 'system'),
    tier,
    ...(r.oncall ? { oncall: r.oncall } : {}),
    customerFacing: r.customerFacing ?? false,
    dataClassification: r.dataClassification ?? 'low',
    runbook,
    // A URL only means something with `existing-url`; a leftover form value is dropped.
    ...(runbook === 'existing-url' && r.runbookUrl
      ? { runbookUrl: r.runbookUrl }
      : {}),
    sloAvailability: r.sloAvailability ?? DEFAULT_SLO_BY_TIER[tier],
    region: r.region ?? config.policy.regions.offered[0],
  };
}

/** @public */
export function normalizeServiceRequest(
  r: ServiceRequestInput,
  config: GoldenPathsConfig,
): RequestOf<'service'> {
  return {
    kind: 'service',
    ...serviceCommon(r, config),
    exposure: r.exposure ?? 'internal',
    sloLatencyP95Ms: r.sloLatencyP95Ms ?? 300,
  };
}

/** @public */
export function normalizeWorkerRequest(
  r: WorkerRequestInput,
  config: GoldenPathsConfig,
): RequestOf<'worker'> {
  const trigger = r.trigger ?? 'schedule';
  const worker: WorkerRequest = {
    ...serviceCommon(r, config),
    trigger,
    // Only the field of the chosen trigger is kept: forms keep defaults of hidden fields.
    ...(trigger === 'schedule'
      ? { schedule: r.schedule ?? DEFAULT_SCHEDULE }
      : {}),
    ...(trigger === 'queue' && r.queue
      ? { queue: ref(r.queue, 'resource') }
      : {}),
    concurrency: r.concurrency ?? 'forbid',
    maxRuntimeMinutes: r.maxRuntimeMinutes ?? 30,
  };
  return { kind: 'worker', ...worker };
}

function newest(versions: readonly string[]): string {
  return [...versions].sort(
    (a, b) => Number(b) - Number(a) || b.localeCompare(a),
  )[0];
}

/** @public */
export function normalizeDatabaseRequest(
  r: DatabaseRequestInput,
  config: GoldenPathsConfig,
): RequestOf<'database'> {
  const environment = r.environment ?? 'dev';
  const databaseTier = r.databaseTier ?? defaultDatabaseTier(environment);
  const db: DatabaseRequest = {
    name: name(r.name),
    component: ref(r.component, 'component'),
    environment,
    databaseTier,
    size: r.size ?? config.database.tiers[databaseTier]?.sizes[0] ?? '',
    storageGiB: r.storageGiB ?? 20,
    extraReadReplicas: r.extraReadReplicas ?? 0,
    engineVersion: r.engineVersion ?? newest(config.database.engineVersions),
    ...(r.region ? { region: r.region } : {}),
    ...(r.dataClassification
      ? { dataClassification: r.dataClassification }
      : {}),
    ...(r.costCenter ? { costCenter: r.costCenter } : {}),
    purpose: r.purpose,
    ...(r.expiresOn ? { expiresOn: r.expiresOn } : {}),
    additionalAccess: sortedUnique(
      (r.additionalAccess ?? []).map(a => ref(a, 'component')),
    ),
  };
  return { kind: 'database', ...db };
}

/** @public */
export function normalizeLifecycleRequest(
  r: LifecycleRequestInput,
): RequestOf<'lifecycle'> {
  const lc: LifecycleRequest = {
    entity: ref(r.entity, 'component'),
    transition: r.transition,
    reason: r.reason,
    ...(r.replacement
      ? {
          replacement:
            r.replacement === 'none' ? 'none' : ref(r.replacement, 'component'),
        }
      : {}),
    ...(r.sunsetOn ? { sunsetOn: r.sunsetOn } : {}),
  };
  return { kind: 'lifecycle', ...lc };
}
