/** Kinds that are nodes of the dependency graph (§2.4). */
export type GraphNodeKind = 'component' | 'resource' | 'api' | 'system';

/** One node of the index (§2.6). */
export interface GraphNode {
  id: number;
  ref: string;
  kind: GraphNodeKind;
  title: string;
  owner: string | null;
  system: string | null;
  lifecycle: string | null;
  tier: 1 | 2 | 3 | null;
  customerFacing: boolean | null;
  entryPoints: string[];
  regions: string[];
  dataDomains: string[];
  aliases: string[];
  resourceType?: string;
  telemetryPresence: boolean;
  /** false for refs named by a relation but absent from the catalog, and for APIs without a provider. */
  resolved: boolean;
}

/**
 * What a search sorts, counts and lists an entity by: a {@link GraphNode} without its lists,
 * aliases and telemetry presence, which cost a decode each (`GraphIndex.summary`).
 */
export type GraphNodeSummary = Pick<
  GraphNode,
  | 'ref'
  | 'kind'
  | 'title'
  | 'owner'
  | 'system'
  | 'lifecycle'
  | 'tier'
  | 'customerFacing'
  | 'resolved'
>;

/** Evidence of a logical edge. */
export type EdgeEvidence = 'declared' | 'observed' | 'both';
/** Observation state of a logical edge at `now`. */
export type EdgeObservation = 'fresh' | 'stale' | 'none' | 'unverifiable';
/** Drift between declaration and observation. */
export type EdgeDrift = 'undeclared' | 'unobserved' | null;
/** Whether a dependency fails its dependents at once (`sync`) or behind a queue (`async`). */
export type EdgeInteraction = 'sync' | 'async';

/** A logical edge `from → to` (dependent → dependency), classified at `now` (§2.6). */
export interface LogicalEdge {
  from: number;
  to: number;
  reasons: string[];
  evidence: EdgeEvidence;
  observation: EdgeObservation;
  lastSeen?: string;
  interaction: EdgeInteraction;
  drift: EdgeDrift;
  explainedBy?: string;
}

/** Connection types of the service-graph metric. */
export type ConnectionType =
  | ''
  | 'messaging_system'
  | 'database'
  | 'virtual_node';

/** An observed edge as the evidence layer stores it (incident-brief §2.5, evidence §2.4). */
export interface ObservedEdgeRecord {
  client: string;
  server: string;
  connectionType: ConnectionType;
  firstSeen: string;
  lastSeen: string;
  requestsPerMinute?: number;
  errorRatio?: number;
  source: string;
}

/** A telemetry name seen next to an entity that maps to no entity (R16). */
export interface UnmappedTelemetry {
  /** the mapped side */
  ref: string;
  name: string;
  /** `callee`: the entity called the unmapped name; `caller`: the unmapped name called the entity. */
  role: 'callee' | 'caller';
  lastSeen: string;
}

/** An alias claimed by more than one entity; void for all of them (R14). */
export interface AliasConflict {
  alias: string;
  refs: string[];
}

/** Freshness windows and async resource types (`incidentBrief.*` config, §6.5). */
export interface GraphIndexOptions {
  /** observed edge is fresh while `now − lastSeen ≤ freshForMs`; default 24 h */
  freshForMs?: number;
  /** observed edge is kept (stale) while `now − lastSeen ≤ retainForMs`; default 30 d */
  retainForMs?: number;
  /** Resource `spec.type`s whose dependents are impacted asynchronously; default queue, topic, stream */
  asyncResourceTypes?: string[];
}

/** Defaults of {@link GraphIndexOptions} (`ours`). */
export const DEFAULT_GRAPH_OPTIONS: Required<GraphIndexOptions> = {
  freshForMs: 24 * 3600_000,
  retainForMs: 30 * 24 * 3600_000,
  asyncResourceTypes: ['queue', 'topic', 'stream'],
};
