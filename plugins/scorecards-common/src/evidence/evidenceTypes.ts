import { CollectionError } from '../model/resultModel';

/**
 * One evidence record as the engine reads it (scorecards §2.5). A structural subset of the
 * evidence store's FactRecord, defined here so the engine does not depend on evidence-common.
 * `key` is set for keyed kinds (`link.status` by URL, `oncall.schedule` by route).
 */
export interface EvidenceFact {
  entityRef: string | null;
  source: string;
  kind: string;
  key?: string;
  value: unknown;
  observedAt: string;
  collectedAt: string;
  freshForSeconds: number;
}

/** Health of one evidence source (collector or push channel). */
export interface SourceHealth {
  source: string;
  status: 'ok' | 'degraded' | 'unavailable' | 'disabled';
  since: string;
  lastSuccessAt: string | null;
}

/** Last collection attempt of a source for one entity. */
export interface EntityCollectionStatus {
  entityRef: string;
  source: string;
  lastAttemptAt: string;
  lastSuccessAt: string | null;
  error?: CollectionError;
}

/** Exposure of a change (incident-brief §4.1). */
export interface ChangeExposure {
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

/** The fields of a change-ledger record (incident-brief §4.1) that checks read. */
export interface LedgerRecord {
  id: string;
  entityRef: string | null;
  kind: 'deploy' | 'config' | 'feature-flag' | 'schema-migration' | 'infra';
  environment: string;
  status: 'started' | 'succeeded' | 'failed' | 'cancelled' | 'rolled-back';
  version?: string;
  startedAt: string;
  /**
   * When the change took effect by the store's clock rules (evidence §3.8): `startedAt`, or its
   * receipt time when `startedAt` was too far ahead of it (SKEWED). Absent from older inputs.
   */
  effectiveAt?: string;
  finishedAt?: string;
  rollbackOf?: string;
  attributes?: { artifactDigest?: string; exposure?: ChangeExposure };
}

/**
 * When a ledger record happened, for the checks: its finish, else when it took effect. Not
 * `startedAt` as sent: the store keeps a clock that ran ahead there (SKEWED), and a deploy
 * "started" a year from now would count as recent for a year.
 */
export function recordTime(record: LedgerRecord): string {
  return record.finishedAt ?? record.effectiveAt ?? record.startedAt;
}

/**
 * An observed call between two entities, already normalized the incident-brief way
 * (messaging edges point consumer → producer). An end whose telemetry name maps to no
 * entity has a null ref and keeps its name.
 */
export interface ObservedEdge {
  from: string | null;
  to: string | null;
  fromName?: string;
  toName?: string;
  interaction?: 'sync' | 'async';
  lastSeen: string;
  source: string;
}
