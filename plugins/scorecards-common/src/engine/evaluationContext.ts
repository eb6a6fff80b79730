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
import { formatAge } from '../evidence/formatAge';
import { evidenceEntry, missingEntry } from '../evidence/outcomes';
import {
  classifyEvidence,
  EvidenceRead,
  PickedFact,
  pickLatestFact,
} from '../evidence/readEvidence';
import { TelemetryPresence } from '../evidence/telemetryPresence';
import {
  EvidenceUsed,
  MissingEvidence,
  RawOutcome,
} from '../model/resultModel';

const NONE: PickedFact | null = null;

/** The per-evaluation CheckContext: indexes the inputs lazily and caches reads across checks. */
export class EvaluationContext implements CheckContext {
  readonly nowMs: number;
  /** Set when any read during the current check was clock-skewed (SR25). */
  skewSeen = false;
  private readonly picks = new Map<string, PickedFact | null>();
  private factsByKind: Map<string, EvidenceFact[]> | undefined;
  private readonly healthBySource = new Map<string, SourceHealth>();
  private collectionBySource: Map<string, EntityCollectionStatus> | undefined;
  private ownEvidence: EvidenceUsed | undefined;
  private snapshotEntry: EvidenceUsed | undefined;
  private presence: TelemetryPresence | undefined;
  private readonly snapshotAgeSeconds: number;

  constructor(
    readonly now: string,
    readonly entity: Entity,
    readonly subject: EntitySubject,
    readonly catalog: CatalogIndex,
    readonly config: ScorecardsConfig,
    private readonly facts: readonly EvidenceFact[],
    readonly ledger: readonly LedgerRecord[],
    readonly edges: readonly ObservedEdge[],
    sourceHealth: readonly SourceHealth[],
    private readonly collection: readonly EntityCollectionStatus[],
  ) {
    this.nowMs = Date.parse(now);
    for (const h of sourceHealth) this.healthBySource.set(h.source, h);
    this.snapshotAgeSeconds = Math.max(
      0,
      Math.floor((this.nowMs - catalog.refreshedAtMs) / 1000),
    );
  }

  sourceHealth(source: string): SourceHealth | undefined {
    return this.healthBySource.get(source);
  }

  private collectionFor(source: string): EntityCollectionStatus | undefined {
    if (!this.collectionBySource) {
      this.collectionBySource = new Map();
      for (const c of this.collection) {
        if (c.entityRef.toLowerCase() === this.subject.ref)
          this.collectionBySource.set(c.source, c);
      }
    }
    return this.collectionBySource.get(source);
  }

  evidence(
    kind: string,
    options?: { key?: string; maxAgeSeconds?: number },
  ): EvidenceRead {
    const key = options?.key;
    const cacheKey = key === undefined ? kind : `${kind}\u0000${key}`;
    let picked = this.picks.get(cacheKey);
    if (picked === undefined) {
      if (!this.factsByKind) {
        // One pass over the facts per evaluation; each kind is then read from its own list.
        this.factsByKind = new Map();
        for (const f of this.facts) {
          const list = this.factsByKind.get(f.kind);
          if (list) list.push(f);
          else this.factsByKind.set(f.kind, [f]);
        }
      }
      const candidates = this.factsByKind.get(kind);
      picked = candidates
        ? pickLatestFact(
            candidates,
            this.subject.ref,
            kind,
            key,
            this.config.maxClockSkewSeconds,
          ) ?? NONE
        : NONE;
      this.picks.set(cacheKey, picked);
    }
    const read = classifyEvidence({
      kind,
      key,
      picked: picked ?? undefined,
      nowMs: this.nowMs,
      maxAgeSeconds: options?.maxAgeSeconds,
      config: this.config,
      health: s => this.healthBySource.get(s),
      collection: s => this.collectionFor(s),
      joinKeyPresent:
        !kind.startsWith('repo.') || this.subject.repository !== null,
    });
    if (read.skewed) this.skewSeen = true;
    return read;
  }

  ownCatalogEvidence(): EvidenceUsed {
    this.ownEvidence ??= {
      source: 'catalog',
      kind: 'catalog',
      observedAt: this.now,
      ageSeconds: 0,
      fresh: true,
      freshForSeconds: 0,
      summary: `entity record of ${this.subject.ref}`,
    };
    return this.ownEvidence;
  }

  snapshotEvidence(): EvidenceUsed {
    this.snapshotEntry ??= {
      source: 'catalog',
      kind: 'catalog',
      observedAt: this.catalog.refreshedAt,
      ageSeconds: this.snapshotAgeSeconds,
      fresh: this.snapshotAgeSeconds <= this.config.catalogFreshForSeconds,
      freshForSeconds: this.config.catalogFreshForSeconds,
      summary: 'catalog snapshot (groups, systems, APIs, dependents)',
    };
    return this.snapshotEntry;
  }

  snapshotUnavailable(expected: string): RawOutcome | null {
    if (this.snapshotAgeSeconds <= this.config.catalogFreshForSeconds)
      return null;
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
    if (this.presence) return this.presence;
    const read = this.evidence('telemetry.presence');
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
      const seen = Date.parse(edge.lastSeen);
      if (this.nowMs - seen <= windowMs) freshEdges.push(edge);
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
          `${seriesAliases.length} series for ${this.subject.aliases.join(
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
    return call.type.evaluate(this, call.params);
  }
}
