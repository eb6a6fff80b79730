import type {
  DatabaseTier,
  DataClassification,
  Environment,
} from '../constants';
import type { Transition } from '../schemas/requestSchemas';

// Normalized requests: trimmed, names lower-cased, refs fully qualified and lower-cased,
// defaults applied, set-valued arrays sorted, advanced fields (key, wait) removed (§4.2). This
// is what the ledger stores as `request_json` and what the fingerprint hashes.

/** @public */
export interface ServiceRequest {
  name: string;
  description: string;
  owner: string;
  system: string;
  tier: 1 | 2 | 3;
  oncall?: string;
  customerFacing: boolean;
  exposure: 'internal' | 'public';
  dataClassification: DataClassification;
  runbook: 'generate-stub' | 'existing-url' | 'none';
  runbookUrl?: string;
  sloAvailability: string;
  sloLatencyP95Ms: number;
  region: string;
}

/** @public */
export interface WorkerRequest
  extends Omit<ServiceRequest, 'exposure' | 'sloLatencyP95Ms'> {
  trigger: 'schedule' | 'queue';
  schedule?: string;
  queue?: string;
  concurrency: 'forbid' | 'replace';
  maxRuntimeMinutes: number;
}

/** @public */
export interface DatabaseRequest {
  name: string;
  component: string;
  environment: Environment;
  databaseTier: DatabaseTier;
  size: string;
  storageGiB: number;
  extraReadReplicas: number;
  engineVersion: string;
  /** Defaults to the component's first region (filled by the policy engine from facts). */
  region?: string;
  /** Defaults to the component's classification. */
  dataClassification?: DataClassification;
  /** Defaults to the owner group's `ops.example.com/cost-center`. */
  costCenter?: string;
  purpose: string;
  expiresOn?: string;
  additionalAccess: string[];
}

/** @public */
export interface LifecycleRequest {
  entity: string;
  transition: Transition;
  /** Free text; recorded, never hashed (§4.2). */
  reason: string;
  replacement?: string;
  sunsetOn?: string;
}

/** @public */
export type NormalizedRequest =
  | ({ kind: 'service' } & ServiceRequest)
  | ({ kind: 'worker' } & WorkerRequest)
  | ({ kind: 'database' } & DatabaseRequest)
  | ({ kind: 'lifecycle' } & LifecycleRequest);

/** @public */
export type RequestOf<K extends NormalizedRequest['kind']> = Extract<
  NormalizedRequest,
  { kind: K }
>;
