import type { EdgeInput, JsonValue } from '@internal/plugin-evidence-common';

/**
 * What collectors write through. Collectors never touch the database directly: the store
 * implements this interface, so a collector can be tested against an in-memory sink and the
 * store keeps the one set of write rules (natural keys, versions, clock) for pushed and
 * collected evidence alike.
 */
export interface CollectorSink {
  /** Upserts the latest value of a fact (same rules as a pushed fact, §3.5). */
  writeFact(fact: CollectedFact): Promise<void>;
  /** Upserts observed edges by natural key (source, client, server, connectionType). */
  writeEdges(
    source: string,
    edges: EdgeInput[],
    collectedAt: Date,
  ): Promise<void>;
  /** Records the outcome of one collector run for the source (§2.6). */
  recordSourceRun(run: SourceRun): Promise<void>;
  /** Records the per-entity outcome of a collector-driven source (§2.6). */
  recordCollectionStatus(status: CollectionStatusUpdate): Promise<void>;
  /**
   * When the edge source's last successful collection ended, as stored by
   * {@link CollectorSink.recordEdgeCollection}; undefined if it never succeeded. Stored rather than
   * kept in memory so a restart, or the next run on another replica, does not walk back 30 days.
   */
  lastEdgeCollection(source: string): Promise<Date | undefined>;
  /** Stores the end of a successful edge collection; the stored time only moves forward. */
  recordEdgeCollection(source: string, at: Date): Promise<void>;
}

/** A fact produced by a collector. */
export interface CollectedFact {
  entityRef: string;
  source: string;
  kind: string;
  key?: string;
  value: JsonValue;
  observedAt: Date;
  collectedAt: Date;
  provenance?: {
    url?: string;
    query?: string;
    commitSha?: string;
    etag?: string;
  };
}

/** One collector run's outcome for its source; `disabled` = the source is not configured. */
export interface SourceRun {
  source: string;
  outcome: 'ok' | 'degraded' | 'unavailable' | 'disabled';
  at: Date;
  error?: string;
}

/** Per-entity collection outcome. */
export interface CollectionStatusUpdate {
  entityRef: string;
  source: string;
  at: Date;
  succeeded: boolean;
  error?:
    | 'join-key-missing'
    | 'not-found'
    | 'access-denied'
    | 'timeout'
    | 'server-error'
    | 'unsupported-host';
  detail?: string;
}
