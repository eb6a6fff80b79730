import {
  BUILTIN_EVIDENCE_KINDS,
  EdgeInput,
  FactRecord,
  fingerprint,
  mergeEdgeObservation,
  ObservedEdgeRecord,
} from '@internal/plugin-evidence-common';
import type {
  CollectedFact,
  CollectionStatusUpdate,
  CollectorSink,
  SourceRun,
} from '../CollectorSink';

/** A stored fact as the in-memory sink keeps it. */
export interface StoredTestFact extends CollectedFact {
  /** Number of value versions (history rows) written for this key. */
  versions: number;
}

/**
 * A CollectorSink for tests that applies the store's write rules in the small: a new value is a
 * new version, an equal value only advances `observedAt` (re-confirmation), edges merge by
 * natural key.
 */
export class InMemoryCollectorSink implements CollectorSink {
  readonly facts = new Map<string, StoredTestFact>();
  readonly edges = new Map<string, ObservedEdgeRecord>();
  readonly sourceRuns: SourceRun[] = [];
  readonly collection = new Map<string, CollectionStatusUpdate>();
  /** Edge source → end of its last successful collection (ms), as the store keeps it. */
  readonly edgeCollections = new Map<string, number>();
  /** Every call, in order, to assert that nothing was written. */
  readonly writes: { method: string; at: Date }[] = [];

  async writeFact(fact: CollectedFact): Promise<void> {
    this.writes.push({ method: 'writeFact', at: fact.collectedAt });
    const key = factKey(fact.entityRef, fact.source, fact.kind, fact.key);
    const stored = this.facts.get(key);
    if (stored && fingerprint(stored.value) === fingerprint(fact.value)) {
      this.facts.set(key, { ...stored, ...fact, versions: stored.versions });
      return;
    }
    this.facts.set(key, { ...fact, versions: (stored?.versions ?? 0) + 1 });
  }

  async writeEdges(
    source: string,
    edges: EdgeInput[],
    collectedAt: Date,
  ): Promise<void> {
    this.writes.push({ method: 'writeEdges', at: collectedAt });
    for (const edge of edges) {
      const record: ObservedEdgeRecord = {
        ...edge,
        source,
        firstSeen: edge.firstSeen ?? edge.lastSeen,
      };
      const key = `${source}|${edge.client}|${edge.server}|${edge.connectionType}`;
      const stored = this.edges.get(key);
      this.edges.set(
        key,
        stored ? mergeEdgeObservation(stored, record) : record,
      );
    }
  }

  async recordSourceRun(run: SourceRun): Promise<void> {
    this.sourceRuns.push(run);
  }

  async recordCollectionStatus(status: CollectionStatusUpdate): Promise<void> {
    this.collection.set(`${status.entityRef}|${status.source}`, status);
  }

  async lastEdgeCollection(source: string): Promise<Date | undefined> {
    const at = this.edgeCollections.get(source);
    return at === undefined ? undefined : new Date(at);
  }

  async recordEdgeCollection(source: string, at: Date): Promise<void> {
    const stored = this.edgeCollections.get(source) ?? 0;
    this.edgeCollections.set(source, Math.max(stored, at.getTime()));
  }

  /** The latest fact of a key, if any. */
  fact(
    entityRef: string,
    source: string,
    kind: string,
    key?: string,
  ): StoredTestFact | undefined {
    return this.facts.get(factKey(entityRef, source, kind, key));
  }

  /** The last recorded collection status of an entity for a source. */
  status(entityRef: string, source: string) {
    return this.collection.get(`${entityRef}|${source}`);
  }

  /** The last source run recorded. */
  lastRun(): SourceRun | undefined {
    return this.sourceRuns[this.sourceRuns.length - 1];
  }
}

function factKey(
  entityRef: string,
  source: string,
  kind: string,
  key = '',
): string {
  return `${entityRef}|${source}|${kind}|${key}`;
}

/** A collected fact as the evidence store would return it, for evaluating freshness in tests. */
export function toFactRecord(fact: StoredTestFact): FactRecord {
  const window = BUILTIN_EVIDENCE_KINDS.find(
    k => k.id === fact.kind,
  )!.freshForSeconds;
  return {
    id: 'x',
    entityRef: fact.entityRef,
    subject: fact.entityRef,
    resolution: 'resolved',
    source: fact.source,
    kind: fact.kind,
    key: fact.key ?? '',
    value: fact.value,
    valueFingerprint: '',
    observedAt: fact.observedAt.toISOString(),
    collectedAt: fact.collectedAt.toISOString(),
    freshForSeconds: window,
    expiresAt: new Date(
      fact.observedAt.getTime() + window * 1000,
    ).toISOString(),
    provenance: {},
    flags: [],
    demo: false,
  };
}
