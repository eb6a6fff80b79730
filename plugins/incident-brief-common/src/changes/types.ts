/** Kinds of change in the ledger (§4.1). */
export type ChangeKind =
  | 'deploy'
  | 'config'
  | 'feature-flag'
  | 'schema-migration'
  | 'infra';
/** Statuses of a change; they only move forward (§4.2). */
export type ChangeStatus =
  | 'started'
  | 'succeeded'
  | 'failed'
  | 'cancelled'
  | 'rolled-back';

/** Staged exposure of a change, in percent of traffic or users. */
export interface Exposure {
  from: number;
  to: number;
  strategy?:
    | 'canary'
    | 'blue-green'
    | 'progressive'
    | 'rolling'
    | 'all-at-once';
  analysis?: boolean;
}
/** CI tests, migration dry-run or reviewed plan. */
export interface Verification {
  status: 'passed' | 'failed';
  url?: string;
}
/** Attributes of a deploy. */
export interface DeployAttrs {
  artifactDigest: string;
  commitSha?: string;
  exposure?: Exposure;
  verification?: Verification;
}
/** Attributes of a config push. */
export interface ConfigAttrs {
  keys: string[];
  scope?: 'service' | 'global';
  exposure?: Exposure;
  verification?: Verification;
}
/** Attributes of a feature-flag change. */
export interface FlagAttrs {
  flagKey: string;
  flagType: 'release' | 'ops' | 'experiment' | 'permission' | 'migration';
  exposure: Exposure;
  guardrail?: string;
}
/** Attributes of a schema migration. */
export interface MigrationAttrs {
  version: string;
  phase: 'expand' | 'migrate' | 'contract';
  reversible: boolean;
  destructive: boolean;
  verification?: Verification;
}
/** Attributes of an infrastructure apply. */
export interface InfraAttrs {
  workspace: string;
  plan: { add: number; change: number; destroy: number; replace: number };
  affectedEntities?: string[];
  verification?: Verification;
}

/** A change-ledger record as the evidence layer stores it (§4.1; evidence §2.3). */
export interface ChangeRecord {
  id: string;
  entityRef: string | null;
  alias?: string;
  resolution: 'resolved' | 'unresolved';
  kind: ChangeKind;
  environment: string;
  ref: string;
  version?: string;
  summary: string;
  actor: { type: 'user' | 'bot' | 'service-account' | 'scheduler'; id: string };
  source: { system: string; externalId: string; url?: string };
  startedAt: string;
  finishedAt?: string;
  status: ChangeStatus;
  rollbackOf?: string;
  remediationFor?: string;
  correlationId?: string;
  attributes:
    | DeployAttrs
    | ConfigAttrs
    | FlagAttrs
    | MigrationAttrs
    | InfraAttrs;
  receivedAt: string;
  effectiveAt: string;
  flags: ('SKEWED' | 'LATE' | 'ROLLBACK_TARGET_UNKNOWN')[];
  /** computed once at first receipt (§5); null until set */
  risk?: import('../risk/types').ChangeRisk | null;
}
