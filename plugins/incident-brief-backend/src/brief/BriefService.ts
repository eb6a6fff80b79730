import type { StoredChange } from '@internal/plugin-evidence-common';
import type {
  EvidenceRead,
  EvidenceService,
} from '@internal/plugin-evidence-node';
import {
  assembleBrief,
  BlastRadiusOptions,
  BlastRadiusResult,
  ChangeRecord,
  computeBlastRadius,
  GraphIndex,
  IncidentBrief,
  lowestConfidence,
  MAX_LIMIT,
  OnCallAnswer,
  OnCallLookup,
  renderBriefMarkdown,
} from '@internal/plugin-incident-brief-common';
import { NotFoundError } from '@backstage/errors';
import { IncidentBriefOptions } from '../config';
import { GraphIndexStore } from '../graph/GraphIndexStore';
import { OnCallRouter } from '../oncall/OnCallRouter';
import { CatalogEntityCache } from './CatalogEntityCache';

/** Bound on lookup rounds: owner → parent chain (≤ 5) → escalation users, plus change subjects. */
const MAX_ROUNDS = 10;

/** Availability of an evidence read, as shown next to the data it fed. */
export type EvidenceAvailability =
  | { available: true; asOf: string }
  | { available: false; cause: string; since: string };

/** The JSON brief: the brief of incident-brief-common plus where its evidence stood. */
export type BriefResponse = IncidentBrief & {
  evidence: {
    ledger: EvidenceAvailability;
    catalogAsOf: string;
    observedEdgesAsOf: string;
  };
};

/** What a caller may vary per request (validated by the router). */
export interface BriefRequest {
  entityRef: string;
  at?: string;
  windowMs?: number;
  hops?: number;
  dependencyHops?: number;
}

/**
 * Gathers everything a brief needs — the live index, the catalog entities its rules read, the
 * ledger of the entity and its dependencies, on-call answers — and hands it to the pure
 * `assembleBrief`. Lookups and provider calls are asynchronous while the rules are synchronous,
 * so the assembly runs in rounds: whatever a round asked for and did not find is loaded, until a
 * round asks for nothing new (typically 3–4 rounds, each a batched catalog read).
 */
export class BriefService {
  constructor(
    private readonly deps: {
      store: GraphIndexStore;
      entities: CatalogEntityCache;
      evidence: EvidenceService;
      onCall: OnCallRouter;
      options: IncidentBriefOptions;
      now?: () => number;
    },
  ) {}

  /** Blast radius of one root (IB §3); throws `BlastRadiusInputError` for R12/R13/404. */
  async blastRadius(
    entityRef: string,
    options: BlastRadiusOptions,
  ): Promise<BlastRadiusResult> {
    const index = await this.deps.store.currentFor(entityRef);
    return computeBlastRadius(index, [entityRef], options, this.nowIso());
  }

  /** The JSON brief (IB §6.1). */
  async brief(request: BriefRequest): Promise<BriefResponse> {
    const { entityRef } = request;
    const index = await this.deps.store.currentFor(entityRef);
    const now = this.nowIso();
    const at = request.at ?? now;
    // the root rules (kind, existence) are computeBlastRadius's: a zero-hop search applies them
    computeBlastRadius(index, [entityRef], { hops: 0, limit: 1 }, now);

    const dependencyHops =
      request.dependencyHops ?? this.deps.options.changes.dependencyHops;
    const scope = [
      entityRef,
      ...this.dependenciesOf(index, entityRef, dependencyHops, now),
    ];
    const ledgerRead = await this.deps.evidence.queryChanges({
      entityRefs: scope,
      from: new Date(
        Date.parse(at) - this.deps.options.changes.lookbackMs,
      ).toISOString(),
      to: at,
    });
    const ledger = ledgerRead.available
      ? ledgerRead.data.map(toChangeRecord)
      : [];

    await this.deps.entities.load(
      this.deps.entities.peek(entityRef) === undefined ? [entityRef] : [],
    );
    if (!this.deps.entities.peek(entityRef)) {
      throw new NotFoundError(`entity ${entityRef} not found`);
    }

    const answers = new Map<string, OnCallAnswer>();
    for (let round = 1; ; round++) {
      const missingEntities = new Set<string>();
      const missingSources = new Set<string>();
      const onCall: OnCallLookup = source => {
        const answer = answers.get(source);
        if (answer) return answer;
        missingSources.add(source);
        return { status: 'none' };
      };
      const brief = assembleBrief({
        entityRef,
        index,
        lookup: this.deps.entities.recordingLookup(missingEntities),
        onCall,
        ledger,
        at,
        now,
        generatedAt: now,
        windowMs: request.windowMs ?? this.deps.options.changes.windowMs,
        hops: request.hops ?? this.deps.options.blastRadius.defaultHops,
        dependencyHops,
        resolveAlias: alias => this.deps.store.resolveAlias(alias),
      });
      const done = missingEntities.size === 0 && missingSources.size === 0;
      if (done || round >= MAX_ROUNDS) {
        return this.withEvidenceStatus(brief, index, ledgerRead);
      }
      await Promise.all([
        this.deps.entities.load(missingEntities),
        ...[...missingSources].map(async source => {
          answers.set(
            source,
            await this.deps.onCall.answer(source, new Date(at)),
          );
        }),
      ]);
    }
  }

  /** The brief as markdown (IB §6.3), with a note when the ledger could not be read. */
  async markdown(request: BriefRequest): Promise<string> {
    const brief = await this.brief(request);
    let text = renderBriefMarkdown(brief);
    const ledger = brief.evidence.ledger;
    if (!ledger.available) {
      text += `\n_Change ledger unavailable (${ledger.cause} since ${ledger.since}): changes are unknown, not none._\n`;
    }
    return text;
  }

  private dependenciesOf(
    index: GraphIndex,
    entityRef: string,
    hops: number,
    now: string,
  ): string[] {
    const refs: string[] = [];
    let cursor: string | undefined;
    do {
      const page = computeBlastRadius(
        index,
        [entityRef],
        { direction: 'dependencies', hops, limit: MAX_LIMIT, cursor },
        now,
      );
      refs.push(...page.impacted.filter(i => i.resolved).map(i => i.ref));
      cursor = page.nextCursor;
    } while (cursor);
    return refs;
  }

  private withEvidenceStatus(
    brief: IncidentBrief,
    index: GraphIndex,
    ledgerRead: EvidenceRead<StoredChange[]>,
  ): BriefResponse {
    let result = brief;
    if (!ledgerRead.available) {
      // an unreadable ledger is unknown, not "no record": drop the coverage claims it would imply
      const confidence = { ...brief.confidence, changes: 'unknown' as const };
      result = {
        ...brief,
        missingEvidence: brief.missingEvidence.filter(
          m => !m.code.startsWith('LEDGER_'),
        ),
        confidence: {
          ...confidence,
          overall: lowestConfidence([
            confidence.owner,
            confidence.blastRadius,
            confidence.changes,
          ]),
        },
      };
    }
    return {
      ...result,
      evidence: {
        ledger: ledgerRead.available
          ? { available: true, asOf: ledgerRead.asOf }
          : {
              available: false,
              cause: ledgerRead.cause,
              since: ledgerRead.since,
            },
        catalogAsOf: index.asOf.catalog,
        observedEdgesAsOf: index.asOf.observedEdges,
      },
    };
  }

  private nowIso() {
    return new Date(this.deps.now?.() ?? Date.now()).toISOString();
  }
}

/** A stored ledger change in the shape the brief rules read (IB §4.1; evidence §2.3). */
function toChangeRecord(change: StoredChange): ChangeRecord {
  // same fields; the stored risk's modelVersion is a plain string in the evidence schema
  return change as unknown as ChangeRecord;
}
