import { RawJson } from '../service/rawJson';
import {
  ChangeRisk,
  CiRunInput,
  EntityCollectionStatus,
  FactRecord,
  ObservedEdge,
  SourceHealth,
  StoredChange,
  Warning,
  canonicalJson,
  edgeObservation,
  toIsoTimestamp,
} from '@internal/plugin-evidence-common';

/** Epoch ms from a bigint column (PostgreSQL returns bigint as a string). */
export function ms(value: unknown): number {
  return Number(value);
}

/** ISO text from a bigint column, or undefined for null. */
export function isoOrUndefined(value: unknown): string | undefined {
  return value === null || value === undefined
    ? undefined
    : toIsoTimestamp(Number(value));
}

/** Flags are stored as a comma list so they fit a short indexed column. */
export function joinFlags(flags: readonly string[]): string {
  return [...new Set(flags)].join(',');
}

export function splitFlags<T extends string>(value: unknown): T[] {
  return typeof value === 'string' && value ? (value.split(',') as T[]) : [];
}

// Optional members are omitted rather than null, as the records of evidence-common declare them.
function compact<T extends Record<string, unknown>>(value: T): T {
  for (const key of Object.keys(value)) {
    if (value[key] === undefined || value[key] === null) delete value[key];
  }
  return value;
}

export interface ChangeRow {
  id: string;
  subject: string;
  entity_ref: string | null;
  alias: string | null;
  resolution: string;
  kind: string;
  environment: string;
  environment_raw: string | null;
  ref: string;
  version: string | null;
  summary: string;
  actor_type: string;
  actor_id: string;
  source_system: string;
  external_id: string;
  source_url: string | null;
  started_ms: number | string;
  finished_ms: number | string | null;
  status: string;
  effective_ms: number | string;
  received_ms: number | string;
  updated_ms: number | string;
  rollback_of: string | null;
  rollback_of_ref: string | null;
  remediation_for: string | null;
  correlation_id: string | null;
  artifact_digest: string | null;
  attributes_json: string;
  flags: string;
  warnings_json: string;
  risk_json: string | null;
  idempotency_key: string;
  demo: boolean | number;
}

/** The sender's `rollbackOf` as stored in `rollback_of_ref` (an id string or a natural key). */
export function parseRollbackRef(
  row: Pick<ChangeRow, 'rollback_of_ref'>,
): string | { system: string; externalId: string } | undefined {
  return row.rollback_of_ref ? JSON.parse(row.rollback_of_ref) : undefined;
}

/** A change row as the API returns it; `entityRef` and `risk` stay null rather than absent. */
export function storedChange(row: ChangeRow): StoredChange {
  const rollbackRef = parseRollbackRef(row);
  const change = compact({
    id: row.id,
    alias: row.alias,
    subject: row.subject,
    resolution: row.resolution,
    kind: row.kind,
    environment: row.environment,
    environmentRaw: row.environment_raw,
    ref: row.ref,
    version: row.version,
    summary: row.summary,
    actor: { type: row.actor_type, id: row.actor_id },
    source: compact({
      system: row.source_system,
      externalId: row.external_id,
      url: row.source_url,
    }),
    startedAt: toIsoTimestamp(ms(row.started_ms)),
    finishedAt: isoOrUndefined(row.finished_ms),
    status: row.status,
    rollbackOf: row.rollback_of,
    rollbackOfRef: typeof rollbackRef === 'object' ? rollbackRef : undefined,
    remediationFor: row.remediation_for,
    correlationId: row.correlation_id,
    attributes: JSON.parse(row.attributes_json),
    receivedAt: toIsoTimestamp(ms(row.received_ms)),
    effectiveAt: toIsoTimestamp(ms(row.effective_ms)),
    updatedAt: toIsoTimestamp(ms(row.updated_ms)),
    flags: splitFlags(row.flags),
    idempotencyKey: row.idempotency_key,
    warnings: JSON.parse(row.warnings_json) as Warning[],
    demo: Boolean(row.demo),
  } as Record<string, unknown>);
  return {
    ...change,
    entityRef: row.entity_ref,
    risk: row.risk_json ? (JSON.parse(row.risk_json) as ChangeRisk) : null,
  } as unknown as StoredChange;
}

export interface FactRow {
  id: string;
  subject: string;
  entity_ref: string | null;
  resolution: string;
  source: string;
  kind: string;
  fact_key: string;
  value_json: string;
  value_fp: string;
  observed_ms: number | string;
  collected_ms: number | string;
  fresh_for_s: number;
  expires_ms: number | string;
  provenance_json: string | null;
  flags: string;
  demo: boolean | number;
  updated_ms: number | string;
}

/**
 * A fact as the read API sends it. With `rawValue`, the stored canonical JSON of the value is
 * kept unparsed (a `RawJson`), for responses that splice it (§9 bulk reads).
 */
export function factFromRow(
  row: FactRow,
  options?: { rawValue?: boolean },
): FactRecord {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    subject: row.subject,
    resolution: row.resolution as FactRecord['resolution'],
    source: row.source,
    kind: row.kind,
    key: row.fact_key,
    value: options?.rawValue
      ? new RawJson(row.value_json)
      : JSON.parse(row.value_json),
    valueFingerprint: row.value_fp,
    observedAt: toIsoTimestamp(ms(row.observed_ms)),
    collectedAt: toIsoTimestamp(ms(row.collected_ms)),
    freshForSeconds: Number(row.fresh_for_s),
    expiresAt: toIsoTimestamp(ms(row.expires_ms)),
    provenance: row.provenance_json ? JSON.parse(row.provenance_json) : {},
    flags: splitFlags(row.flags),
    demo: Boolean(row.demo),
  };
}

export interface EdgeRow {
  id: string;
  source: string;
  client: string;
  server: string;
  connection_type: string;
  client_ref: string | null;
  server_ref: string | null;
  dependent_ref: string | null;
  dependency_ref: string | null;
  interaction: string;
  alias_conflict: boolean | number;
  first_seen_ms: number | string;
  last_seen_ms: number | string;
  collected_ms: number | string;
  rpm: number | null;
  error_ratio: number | null;
  seq: number | string;
  demo: boolean | number;
  /** Server clock when the row was last written (the `GET /entities/changed` feed). */
  updated_ms?: number | string | null;
}

export function edgeFromRow(
  row: EdgeRow,
  asOf: string,
  freshForSeconds: number,
): ObservedEdge {
  const lastSeen = toIsoTimestamp(ms(row.last_seen_ms));
  const unmapped: ('client' | 'server')[] = [];
  if (row.client_ref === null) unmapped.push('client');
  if (row.server_ref === null) unmapped.push('server');
  const edge: ObservedEdge = {
    id: row.id,
    source: row.source,
    client: row.client,
    server: row.server,
    connectionType: row.connection_type as ObservedEdge['connectionType'],
    firstSeen: toIsoTimestamp(ms(row.first_seen_ms)),
    lastSeen,
    clientRef: row.client_ref,
    serverRef: row.server_ref,
    dependentRef: row.dependent_ref,
    dependencyRef: row.dependency_ref,
    interaction: row.interaction as ObservedEdge['interaction'],
    observation:
      edgeObservation(lastSeen, asOf, { freshForSeconds }) === 'fresh'
        ? 'fresh'
        : 'stale',
    unmapped,
    aliasConflict: Boolean(row.alias_conflict),
    collectedAt: toIsoTimestamp(ms(row.collected_ms)),
    demo: Boolean(row.demo),
  };
  if (row.rpm !== null) edge.requestsPerMinute = Number(row.rpm);
  if (row.error_ratio !== null) edge.errorRatio = Number(row.error_ratio);
  return edge;
}

export interface CiRunRow {
  id: string;
  provider: string;
  run_id: string;
  attempt: number;
  subject: string;
  entity_ref: string | null;
  resolution: string;
  repository: string | null;
  workflow: string;
  branch: string;
  is_default_branch: boolean | number;
  commit_sha: string;
  event: string | null;
  status: string;
  conclusion: string | null;
  queued_ms: number | string | null;
  started_ms: number | string | null;
  finished_ms: number | string | null;
  failure_domain: string | null;
  correlation_id: string | null;
  url: string | null;
  flags: string;
  received_ms: number | string;
  updated_ms: number | string;
  demo: boolean | number;
}

/** A stored CI run as the API returns it. */
export type StoredCiRun = CiRunInput & {
  id: string;
  subject: string;
  entityRef: string | null;
  resolution: 'resolved' | 'unresolved';
  flags: string[];
  receivedAt: string;
  updatedAt: string;
  demo: boolean;
};

export function ciRunFromRow(row: CiRunRow): StoredCiRun {
  const run = compact({
    id: row.id,
    subject: row.subject,
    resolution: row.resolution,
    repository: row.repository ?? undefined,
    provider: row.provider,
    runId: row.run_id,
    attempt: Number(row.attempt),
    workflow: row.workflow,
    branch: row.branch,
    defaultBranch: Boolean(row.is_default_branch),
    commitSha: row.commit_sha,
    event: row.event ?? undefined,
    status: row.status,
    conclusion: row.conclusion ?? undefined,
    queuedAt: isoOrUndefined(row.queued_ms),
    startedAt: isoOrUndefined(row.started_ms),
    finishedAt: isoOrUndefined(row.finished_ms),
    failureDomain: row.failure_domain ?? undefined,
    correlationId: row.correlation_id ?? undefined,
    url: row.url ?? undefined,
    flags: splitFlags(row.flags),
    receivedAt: toIsoTimestamp(ms(row.received_ms)),
    updatedAt: toIsoTimestamp(ms(row.updated_ms)),
    demo: Boolean(row.demo),
  } as Record<string, unknown>);
  return { ...run, entityRef: row.entity_ref } as unknown as StoredCiRun;
}

export interface HealthRow {
  source: string;
  status: string;
  since_ms: number | string;
  last_attempt_ms: number | string | null;
  last_success_ms: number | string | null;
  last_error: string | null;
  demo: boolean | number;
}

export function healthFromRow(row: HealthRow): SourceHealth {
  const health: SourceHealth = {
    source: row.source,
    status: row.status as SourceHealth['status'],
    since: toIsoTimestamp(ms(row.since_ms)),
    lastSuccessAt: isoOrUndefined(row.last_success_ms) ?? null,
    lastAttemptAt: isoOrUndefined(row.last_attempt_ms) ?? null,
  };
  if (row.last_error) health.lastError = row.last_error;
  return health;
}

export interface CollectionRow {
  entity_ref: string;
  source: string;
  last_attempt_ms: number | string;
  last_success_ms: number | string | null;
  error: string | null;
  detail: string | null;
  /** Server clock when the row was last written (the `GET /entities/changed` feed). */
  updated_ms?: number | string | null;
}

export function collectionFromRow(row: CollectionRow): EntityCollectionStatus {
  const status: EntityCollectionStatus = {
    entityRef: row.entity_ref,
    source: row.source,
    lastAttemptAt: toIsoTimestamp(ms(row.last_attempt_ms)),
    lastSuccessAt: isoOrUndefined(row.last_success_ms) ?? null,
  };
  if (row.error) status.error = row.error as EntityCollectionStatus['error'];
  if (row.detail) status.detail = row.detail;
  return status;
}

/** Canonical JSON for a stored JSON column. */
export function jsonColumn(value: unknown): string {
  return canonicalJson(value as never);
}
