import { Entity } from '@backstage/catalog-model';
import { CatalogIndex } from '../catalog/catalogIndex';
import { EntitySubject } from '../catalog/entitySubject';
import { CheckContext, CompiledCall } from '../checks/checkType';
import { ScorecardsConfig } from '../config/scorecardsConfig';
import {
  EntityCollectionStatus,
  EvidenceFact,
  LedgerRecord,
  ObservedEdge,
  SourceHealth,
} from '../evidence/evidenceTypes';
import { entityRecordEvidence } from '../evidence/entityRecordEvidence';
import { formatAge } from '../evidence/formatAge';
import { joinStrings } from '../model/joinStrings';
import { parseInstantMs } from '../evidence/instant';
import { evidenceEntry, missingEntry } from '../evidence/outcomes';
import {
  classifyEvidence,
  EvidenceRead,
  indexLatestFacts,
  LatestFacts,
  PickedFact,
} from '../evidence/readEvidence';
import { TelemetryPresence } from '../evidence/telemetryPresence';
import {
  EvidenceUsed,
  MissingEvidence,
  RawOutcome,
} from '../model/resultModel';
import { checkedOutcome } from './outcomeShape';
import { isSnapshotFresh } from '../catalog/snapshotFreshness';
import { noteCheckTypeRun, stillHolds } from './timeLimits';
import {
  anyEvidenceHoldsCredentials,
  evidenceHoldsCredentials,
  listHoldsCredentials,
} from './credentialFreeInputs';

/**
 * Source health by source id for the last health list seen: the engine bench and the scorecards
 * backend pass one list to many evaluations; the catalog processor builds a new (short) list per
 * entity, for which a one-entry cache costs nothing, where a WeakMap entry per evaluation would
 * leave an ephemeron for the garbage collector each time. The processor's lists are copies of
 * the same health, so a new list equal to the last one, entry by entry, reuses its index:
 * comparing 13 entries is cheaper than building a map of them.
 */
let lastHealthList: readonly SourceHealth[] | undefined;
let lastHealthIndex: Map<string, SourceHealth> | undefined;

function healthIndex(
  sourceHealth: readonly SourceHealth[],
): Map<string, SourceHealth> {
  if (
    lastHealthIndex &&
    lastHealthList &&
    (sourceHealth === lastHealthList ||
      sameHealth(sourceHealth, lastHealthList))
  ) {
    lastHealthList = sourceHealth;
    return lastHealthIndex;
  }
  const index = new Map<string, SourceHealth>();
  for (const h of sourceHealth) index.set(h.source, h);
  lastHealthList = sourceHealth;
  lastHealthIndex = index;
  return index;
}

/** Whether two health lists hold the same entries (every field equal) in the same order. */
function sameHealth(
  a: readonly SourceHealth[],
  b: readonly SourceHealth[],
): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (
      x !== y &&
      (x.source !== y.source ||
        x.status !== y.status ||
        x.since !== y.since ||
        x.lastSuccessAt !== y.lastSuccessAt)
    )
      return false;
  }
  return true;
}

/** The entity's own ledger records (refs compared case-insensitively). */
function ledgerOf(
  records: readonly LedgerRecord[],
  ref: string,
): LedgerRecord[] {
  const own: LedgerRecord[] = [];
  for (let i = 0; i < records.length; i++) {
    const record = records[i];
    const recordRef = record.entityRef;
    if (recordRef === ref || recordRef?.toLowerCase() === ref) own.push(record);
  }
  return own;
}

/** The observed edges with the entity at either end. */
function edgesOf(edges: readonly ObservedEdge[], ref: string): ObservedEdge[] {
  const own: ObservedEdge[] = [];
  for (let i = 0; i < edges.length; i++) {
    const edge = edges[i];
    if (edge.from === ref || edge.to === ref) own.push(edge);
  }
  return own;
}

/** The per-evaluation CheckContext: indexes the inputs lazily and caches reads across checks. */
export class EvaluationContext implements CheckContext {
  readonly nowMs: number;
  /** Set when any read during the current check was clock-skewed (SR25). */
  skewSeen = false;
  /**
   * Set once any text this context handed out (a fact read, the ledger, the edges, the health
   * list, collection statuses) holds URL credentials: from then on every outcome is redacted
   * (`credentialFreeInputs`). Never reset within an evaluation.
   */
  holdsCredentials: boolean;
  /** Facts indexed by kind and key (newest record of each), built on the first read. */
  private latest: LatestFacts | undefined;
  /**
   * Reads with a shortened window, by kind, window and key. A read depends only on the inputs,
   * so checks share it; plain and keyed reads are kept beside their facts in `latest`.
   */
  private windowedReads: Map<string, EvidenceRead> | undefined;
  /** The last plain read and its kind. */
  private lastKind: string | undefined = undefined;
  private lastRead: EvidenceRead | undefined = undefined;
  private readonly healthBySource: Map<string, SourceHealth>;
  private collectionBySource: Map<string, EntityCollectionStatus> | undefined;
  private ownEvidence: EvidenceUsed | undefined;
  private snapshotEntry: EvidenceUsed | undefined;
  private presence: TelemetryPresence | undefined;
  /** Whether the read behind `presence` was clock-skewed: every check reusing it notes SKEWED. */
  private presenceSkewed = false;
  /** The snapshot's age as shown (whole seconds) and whether it is fresh (to the millisecond). */
  private readonly snapshotAgeSeconds: number;
  private readonly snapshotFresh: boolean;
  /** The entity's own ledger records and observed edges, picked from the inputs on first read. */
  private ownLedger: LedgerRecord[] | undefined = undefined;
  private ownEdges: ObservedEdge[] | undefined = undefined;

  constructor(
    readonly now: string,
    readonly entity: Entity,
    readonly subject: EntitySubject,
    readonly catalog: CatalogIndex,
    readonly config: ScorecardsConfig,
    private readonly facts: readonly EvidenceFact[],
    /** Ledger records and observed edges as given; only those of the entity are read. */
    private readonly ledgerRecords: readonly LedgerRecord[],
    private readonly observedEdges: readonly ObservedEdge[],
    sourceHealth: readonly SourceHealth[],
    private readonly collection: readonly EntityCollectionStatus[],
    nowMs: number = parseInstantMs(now),
  ) {
    this.nowMs = nowMs;
    this.healthBySource = healthIndex(sourceHealth);
    // Looked at every time (13 entries): a reused index may stand for a list changed in place.
    this.holdsCredentials = listHoldsCredentials(sourceHealth);
    const snapshotAgeMs = this.nowMs - catalog.refreshedAtMs;
    this.snapshotAgeSeconds = Math.max(0, Math.floor(snapshotAgeMs / 1000));
    // Not noted as a time limit (`timeLimits`): the snapshot is refreshed every minute, and a
    // caller that reuses an evaluation across refreshes judges the current snapshot's freshness
    // itself (the catalog module's `EvaluationReuse`); noted, it would end every reuse 10 min
    // after the refresh the evaluation read.
    this.snapshotFresh = isSnapshotFresh(
      this.nowMs,
      catalog.refreshedAtMs,
      config.catalogFreshForSeconds * 1000,
    );
  }

  /** Ledger records of this entity (refs compared case-insensitively), picked on first read. */
  get ledger(): readonly LedgerRecord[] {
    if (this.ownLedger === undefined) {
      this.ownLedger = ledgerOf(this.ledgerRecords, this.subject.ref);
      if (anyEvidenceHoldsCredentials(this.ownLedger))
        this.holdsCredentials = true;
    }
    return this.ownLedger;
  }

  /** Observed edges with this entity at either end, picked on first read. */
  get edges(): readonly ObservedEdge[] {
    if (this.ownEdges === undefined) {
      this.ownEdges = edgesOf(this.observedEdges, this.subject.ref);
      if (anyEvidenceHoldsCredentials(this.ownEdges))
        this.holdsCredentials = true;
    }
    return this.ownEdges;
  }

  sourceHealth(source: string): SourceHealth | undefined {
    return this.healthBySource.get(source);
  }

  private collectionFor(source: string): EntityCollectionStatus | undefined {
    if (this.collection.length === 0) return undefined;
    if (!this.collectionBySource) {
      this.collectionBySource = new Map();
      for (const c of this.collection) {
        if (c.entityRef.toLowerCase() === this.subject.ref) {
          this.collectionBySource.set(c.source, c);
          if (evidenceHoldsCredentials(c)) this.holdsCredentials = true;
        }
      }
    }
    return this.collectionBySource.get(source);
  }

  private classify(
    kind: string,
    key: string | undefined,
    picked: PickedFact | undefined,
    maxAgeSeconds: number | undefined,
  ): EvidenceRead {
    // Once per slot: every text of a fact reaches checks through here.
    if (picked !== undefined && evidenceHoldsCredentials(picked.fact))
      this.holdsCredentials = true;
    const source =
      picked?.fact.source ?? this.config.evidenceSources[kind] ?? 'unknown';
    return classifyEvidence(
      kind,
      key,
      source,
      picked,
      this.nowMs,
      maxAgeSeconds,
      this.config,
      this.healthBySource.get(source),
      this.collectionFor(source),
      // Only asked when no record exists, so the kind's text is looked at only then.
      picked !== undefined ||
        this.subject.repository !== null ||
        !kind.startsWith('repo.'),
    );
  }

  evidence(
    kind: string,
    options?: { key?: string; maxAgeSeconds?: number },
  ): EvidenceRead {
    const key = options?.key;
    const maxAge = options?.maxAgeSeconds;
    let read: EvidenceRead | undefined;
    if (maxAge === undefined && key === undefined && kind === this.lastKind) {
      // Checks that read the same kind often run one after another (the parts of a combinator).
      read = this.lastRead!;
    } else if (maxAge === undefined) {
      const latest = this.latestFacts();
      const slot = latest.slot(kind, key);
      read = slot.read;
      if (read === undefined) {
        read = this.classify(kind, key, latest.picked(slot), undefined);
        slot.read = read;
      }
      if (key === undefined) {
        this.lastKind = kind;
        this.lastRead = read;
      }
    } else {
      const slot =
        key === undefined
          ? `${kind}\u0000${maxAge}`
          : `${kind}\u0000${maxAge}\u0000${key}`;
      this.windowedReads ??= new Map();
      read = this.windowedReads.get(slot);
      if (!read) {
        read = this.classify(
          kind,
          key,
          this.latestFacts().get(kind, key),
          maxAge,
        );
        this.windowedReads.set(slot, read);
      }
    }
    if (read.skewed) this.skewSeen = true;
    return read;
  }

  /** The entity's facts, newest record of each kind (and key); one pass indexes them all. */
  private latestFacts(): LatestFacts {
    this.latest ??= indexLatestFacts(
      this.facts,
      this.subject.ref,
      this.config.maxClockSkewSeconds,
      this.nowMs,
    );
    return this.latest;
  }

  ownCatalogEvidence(): EvidenceUsed {
    this.ownEvidence ??= entityRecordEvidence(this.subject.ref, this.now);
    return this.ownEvidence;
  }

  snapshotEvidence(): EvidenceUsed {
    this.snapshotEntry ??= {
      source: 'catalog',
      kind: 'catalog',
      observedAt: this.catalog.refreshedAt,
      ageSeconds: this.snapshotAgeSeconds,
      fresh: this.snapshotFresh,
      freshForSeconds: this.config.catalogFreshForSeconds,
      summary: 'catalog snapshot (groups, systems, APIs, dependents)',
    };
    return this.snapshotEntry;
  }

  snapshotUnavailable(expected: string): RawOutcome | null {
    if (this.snapshotFresh) return null;
    const hint = `catalog snapshot was refreshed ${formatAge(
      this.snapshotAgeSeconds,
    )} ago; window ${formatAge(this.config.catalogFreshForSeconds)}`;
    return {
      state: 'unknown',
      reason: 'SOURCE_UNAVAILABLE',
      message: `Cannot decide: ${hint}; expected ${expected}.`,
      expected,
      found: 'stale catalog snapshot',
      evidence: [this.ownCatalogEvidence()],
      missing: [
        {
          source: 'catalog',
          kind: 'catalog',
          cause: 'source-unavailable',
          ageSeconds: this.snapshotAgeSeconds,
          freshForSeconds: this.config.catalogFreshForSeconds,
          hint,
        },
      ],
    };
  }

  telemetryPresence(): TelemetryPresence {
    if (this.presence) {
      // The read is not repeated, so its skew is noted here for each check reusing it (SR25).
      if (this.presenceSkewed) this.skewSeen = true;
      return this.presence;
    }
    const read = this.evidence('telemetry.presence');
    this.presenceSkewed = read.skewed;
    const seriesAliases: string[] = [];
    if (read.state === 'fresh') {
      const series =
        (read.value as { series?: { alias?: string }[] } | undefined)?.series ??
        [];
      for (const s of series) {
        const alias = (s.alias ?? '').toLowerCase();
        if (
          this.subject.aliases.includes(alias) &&
          !seriesAliases.includes(alias)
        )
          seriesAliases.push(alias);
      }
    }
    const windowMs = this.config.observedEdgeFreshForSeconds * 1000;
    const freshEdges: ObservedEdge[] = [];
    let newestMs = Number.NEGATIVE_INFINITY;
    let newest: ObservedEdge | undefined;
    for (const edge of this.edges) {
      const seen = parseInstantMs(edge.lastSeen);
      if (
        stillHolds(this.nowMs - seen <= windowMs, this.nowMs, seen + windowMs)
      )
        freshEdges.push(edge);
      if (seen > newestMs) {
        newestMs = seen;
        newest = edge;
      }
    }
    const evidence: EvidenceUsed[] = [];
    const missing: MissingEvidence[] = [];
    if (read.observedAt)
      evidence.push(
        evidenceEntry(
          read,
          `${seriesAliases.length} series for ${joinStrings(
            this.subject.aliases,
            ', ',
          )}`,
        ),
      );
    const edgeSource =
      newest?.source ??
      this.config.evidenceSources['observed.edges'] ??
      'prometheus';
    const edgeHealth = this.healthBySource.get(edgeSource);
    const edgeAge = newest
      ? Math.max(0, Math.floor((this.nowMs - newestMs) / 1000))
      : null;
    if (newest) {
      evidence.push({
        source: edgeSource,
        kind: 'observed.edges',
        observedAt: newest.lastSeen,
        ageSeconds: edgeAge ?? 0,
        fresh: freshEdges.length > 0,
        freshForSeconds: this.config.observedEdgeFreshForSeconds,
        summary: `${freshEdges.length} fresh observed edge(s) of ${this.edges.length}`,
      });
    }
    let state: TelemetryPresence['state'];
    if (seriesAliases.length > 0 || freshEdges.length > 0) state = 'present';
    else if (read.state === 'fresh') state = 'absent';
    else {
      state = 'unknown';
      missing.push(missingEntry(read));
      const down =
        edgeHealth &&
        (edgeHealth.status === 'unavailable' ||
          edgeHealth.status === 'disabled');
      if (newest || down) {
        missing.push({
          source: edgeSource,
          kind: 'observed.edges',
          cause: down ? 'source-unavailable' : 'stale',
          ...(edgeAge !== null ? { ageSeconds: edgeAge } : {}),
          freshForSeconds: this.config.observedEdgeFreshForSeconds,
          hint: `observed edges from ${edgeSource} ${
            edgeAge !== null
              ? `were last seen ${formatAge(edgeAge)} ago`
              : 'were never seen'
          }; window ${formatAge(this.config.observedEdgeFreshForSeconds)}${
            down
              ? `; source ${edgeHealth?.status} since ${edgeHealth?.since}`
              : ''
          }`,
        });
      }
    }
    this.presence = { state, seriesAliases, freshEdges, evidence, missing };
    return this.presence;
  }

  run(call: CompiledCall): RawOutcome {
    noteCheckTypeRun(call.type);
    // A malformed child outcome throws here, so the enclosing check becomes CHECK_ERROR (SR33).
    return checkedOutcome(call.type.id, call.type.evaluate(this, call.params));
  }
}
