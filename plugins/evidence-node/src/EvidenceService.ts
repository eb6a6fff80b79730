import type {
  ChangeInput,
  ChangeRisk,
  EntityCollectionStatus,
  FactInput,
  FactRecord,
  ObservedEdge,
  SourceHealth,
  StoredChange,
  LedgerView,
} from '@internal/plugin-evidence-common';

/** What a bulk read includes for each entity (evidence §5.1). */
export type EvidenceInclude =
  | 'facts'
  | 'collection'
  | 'edges'
  | 'ledger'
  | 'ledgerSummary';

/** Why a read could not be answered. Reads never reject; consumers treat this as unknown. */
export type EvidenceUnavailableCause =
  | 'timeout'
  | 'circuit-open'
  | 'network'
  | 'server-error'
  | 'client-error';

/** The outcome of every read: data with the time it was true, or why there is none. */
export type EvidenceRead<T> =
  | { available: true; asOf: string; data: T }
  | { available: false; cause: EvidenceUnavailableCause; since: string };

/** Coverage and recency of one entity's change ledger (evidence §5.1). */
export interface LedgerSummary {
  coverage: Record<string, { firstAt: string; lastAt: string; count: number }>;
  lastChange: StoredChange | null;
  lastSucceededDeploy: StoredChange | null;
  recent30d: number;
}

/** Everything known about one entity in a bulk read. */
export interface EntityEvidence {
  facts: FactRecord[];
  collection: EntityCollectionStatus[];
  edges?: { outgoing: ObservedEdge[]; incoming: ObservedEdge[] };
  ledger?: StoredChange[];
  ledgerSummary?: LedgerSummary;
  restricted?: true;
}

/** Change-ledger query: changes whose active interval intersects [from, to]. */
export interface ChangeQuery {
  entityRefs: string[];
  from: string;
  to: string;
  environment?: string;
  kinds?: string[];
  statuses?: string[];
}

/** Observed-edge query for one entity. */
export interface EdgeQuery {
  entityRef: string;
  direction?: 'outgoing' | 'incoming' | 'both';
  includeStale?: boolean;
  since?: string;
}

/** Per-item outcome of a batch write (evidence §3.3). */
export interface BatchItemResult {
  index: number;
  idempotencyKey: string;
  status: 200 | 201 | 400 | 409;
  replayed?: true;
  id?: string;
  warnings?: { code: string; message: string; field?: string }[];
  error?: { code: string; message: string; field?: string };
}

/** Result of a batch write. */
export interface BatchResult {
  results: BatchItemResult[];
  summary: {
    created: number;
    updated: number;
    unchanged: number;
    replayed: number;
    failed: number;
  };
}

/** The answer of `changedEntities`. */
export interface ChangedEntities {
  refs: string[];
  /** The next poll's `since` (minus a margin for slow commits). */
  until: string;
  /**
   * Per listed ref, a mark for each row written behind it (`<kind>:<row>@<ms>`, the row and its
   * write stamp): a ref read whole after an answer listed a mark has that write, and need not
   * be read again when an overlapping poll lists it again. Absent from older stores, from a
   * first read and when too many rows were written: every listed ref is then read.
   */
  marks?: Record<string, string[]>;
}

/**
 * How backend plugins and catalog modules read and write evidence. Reads are batched,
 * cached and guarded by a timeout and circuit breaker, and never reject: an outage becomes
 * `available: false`, which consumers evaluate as unknown. Writes reject on failure.
 */
export interface EvidenceService {
  /**
   * Bulk read of facts, collection status and optional edges/ledger for many refs. `data` is
   * keyed by the normalized ref (trimmed, lower-cased); a ref that is not a full
   * `kind:namespace/name` ref has no evidence and is absent from it. `asOf` is when the oldest part of the answer was read.
   */
  readEntities(
    refs: string[],
    options?: {
      kinds?: string[];
      include?: EvidenceInclude[];
      /** false: neither answered from nor kept in the client's cache (bulk mirror reads). */
      cache?: boolean;
      /**
       * With `ledger`: the store may answer of each ledger only the newest `perClass` changes per
       * environment, kind, status and rollback-or-not, and the newest change of each of the
       * `artifacts` newest artifacts deployed (a superset of scorecards' `compactLedger`); a
       * long history is then neither read nor sent. An implementation may ignore it.
       */
      ledgerView?: LedgerView;
    },
  ): Promise<EvidenceRead<Map<string, EntityEvidence>>>;
  /**
   * Refs whose evidence was written after `since` (epoch ms as a string, the `until` of the
   * previous answer; omitted: every ref with evidence). For consumers that keep a local mirror
   * of the store. Optional so that older implementations and test fakes stay valid; callers
   * fall back to per-entity reads without it.
   */
  changedEntities?(since?: string): Promise<EvidenceRead<ChangedEntities>>;
  /** Changes in a time window for a set of entities (ledger cache ≤ 5 s). */
  queryChanges(query: ChangeQuery): Promise<EvidenceRead<StoredChange[]>>;
  /**
   * Ledger summary per entity (coverage per change kind, kept beyond the ledger's retention;
   * last change; last succeeded deploy; changes in 30 days), optionally of one environment.
   * Batched and cached per ref like `readEntities` (ledger cache ≤ 5 s); `data` is keyed by
   * the normalized ref (trimmed, lower-cased), and a ref that is not a full ref, or that the
   * backend withholds, is absent from it. With `at` (a UTC ISO timestamp, e.g. an incident time
   * in the past) the last change and last succeeded deploy are those of that instant and the
   * 30 days counted are the 30 before it.
   */
  changeSummary(
    refs: string[],
    options?: { environment?: string; at?: string },
  ): Promise<EvidenceRead<Map<string, LedgerSummary>>>;
  /** Observed edges of one entity, with freshness computed at read time. */
  observedEdges(query: EdgeQuery): Promise<EvidenceRead<ObservedEdge[]>>;
  /**
   * Edges upserted or removed since a cursor; `reset` asks the caller for a full read. A page
   * may hold removals only (`edges: []`) while `hasMore` says further pages follow.
   */
  edgeChanges(cursor?: string): Promise<
    EvidenceRead<{
      edges: ObservedEdge[];
      removed: string[];
      cursor: string;
      hasMore: boolean;
      reset: boolean;
    }>
  >;
  /** Health of every evidence source. */
  sourceHealth(): Promise<EvidenceRead<SourceHealth[]>>;
  /**
   * The repository path globs the evidence store collects into `repo.files` (config
   * `evidence.repo.paths`, default the list of evidence §4.2, plus `evidence.repo.extraPaths`):
   * a path none of them matches is never in a listing. No call.
   */
  collectedRepoPaths(): string[];
  /** Writes facts in one batch; invalidates the cached reads of the refs written. */
  writeFacts(
    items: (FactInput & { idempotencyKey: string })[],
  ): Promise<BatchResult>;
  /** Writes ledger changes in one batch; invalidates cached ledger reads. */
  writeChanges(
    items: (ChangeInput & { idempotencyKey: string })[],
  ): Promise<BatchResult>;
  /** Sets the write-once risk of a change (only the incident-brief plugin may). */
  setChangeRisk(id: string, risk: ChangeRisk): Promise<void>;
}
