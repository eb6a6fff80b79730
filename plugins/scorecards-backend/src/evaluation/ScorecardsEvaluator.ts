import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import type { EvidenceService } from '@internal/plugin-evidence-node';
import { FailureLog } from '@internal/suite-node';
import {
  CompiledStandard,
  EntityEvaluation,
  EvaluationSummary,
  UnscoredEvaluation,
  closeRetiredWaivers,
  EXPIRED_WAIVER_NOTE_DAYS,
  computeCampaignProgress,
  entityRefOf,
  evaluateEntity,
  hashEntity,
  isScoredKind,
  normalizeEntityRef,
  SourceHealth,
  withoutRefs,
  catalogIndexView,
} from '@internal/plugin-scorecards-common';
import type { CatalogIndex } from '@internal/plugin-scorecards-common';
import { ScorecardsStore } from '../database/ScorecardsStore';
import { CatalogSnapshot, LoadedSnapshot } from './CatalogSnapshot';
import {
  historyOf,
  RecordInput,
  RecordOptions,
  RecordOutcome,
  recordEvaluations,
  storedResultHash,
} from './recordEvaluation';
import { readEvaluationEvidence } from '@internal/plugin-scorecards-node';
import { closeWaiversOfDeletedEntities } from '../history/deletedEntities';

const BATCH = 200;
const MAX_PARENT_DEPTH = 5;

/** Owner group and parents: their keyed on-call facts are read for routing checks. */
function relatedRefs(entity: Entity, snapshot: LoadedSnapshot): string[] {
  const owner = normalizeEntityRef(
    (entity.spec as Record<string, unknown> | undefined)?.owner,
    'group',
    entity.metadata.namespace ?? 'default',
  );
  if (!owner) return [];
  const chain = [owner];
  let current: string | null = owner;
  for (let depth = 0; depth < MAX_PARENT_DEPTH && current; depth++) {
    current = snapshot.index.parentOf(current);
    if (current && !chain.includes(current)) chain.push(current);
  }
  return chain;
}

/** Summary of one scheduled evaluation pass. */
export interface PassReport {
  evaluated: number;
  changed: number;
  transitions: number;
  removed: number;
  waiversExpired: number;
  /** Pending or active waivers of retired checks (SR30). */
  waiversClosed: number;
  /** Pending or active waivers of entities no longer in the catalog (§2.8). */
  waiversClosedDeleted: number;
}

/**
 * Evaluates entities on request and on schedule from evidence, the catalog snapshot and the
 * stored waivers, and records history only when something changed (§2.10, SR22).
 */
export class ScorecardsEvaluator {
  constructor(
    private readonly options: {
      standard: CompiledStandard;
      evidence: EvidenceService;
      snapshot: CatalogSnapshot;
      store: ScorecardsStore;
      logger: LoggerService;
      /** How results are written as history (`scorecards.history.settleMinutes`); default none. */
      history?: RecordOptions;
    },
  ) {
    this.unknownChecks = new FailureLog(options.logger, {
      remindEveryMs: 86_400_000,
    });
  }

  /** Waivers of checks the standard does not define: said when found, then once a day. */
  private readonly unknownChecks: FailureLog;

  /**
   * Records evaluations as latest results and transitions (`recordEvaluations`) with this
   * backend's history settings: the scheduled pass and the results intake both write here.
   */
  record(inputs: readonly RecordInput[]): Promise<RecordOutcome[]> {
    return recordEvaluations(this.options.store, inputs, this.options.history);
  }

  get standard(): CompiledStandard {
    return this.options.standard;
  }

  /** Evaluates one entity now, with every stored waiver (the engine applies only active ones). */
  async evaluate(
    entity: Entity,
    now: string,
    snapshot: LoadedSnapshot,
    /**
     * Refs the caller may not read: their evidence is not read and the catalog the engine reads
     * lacks them (as for a caller of the catalog API).
     */
    withheld?: ReadonlySet<string>,
    /** Given, every ref the evaluation looks up in the catalog, or is answered, is added. */
    seen?: Set<string>,
  ): Promise<EntityEvaluation | UnscoredEvaluation> {
    return (await this.evaluateDetailed(entity, now, snapshot, withheld, seen))
      .evaluation;
  }

  /** The owner group and its parents, whose evidence an evaluation of `entity` reads. */
  ownerChainOf(entity: Entity, snapshot: LoadedSnapshot): string[] {
    return relatedRefs(entity, snapshot);
  }

  /**
   * `evaluate`, plus the `firstSeenAt` the evaluation used: the stored one, or `now` for an
   * entity the backend has not seen yet (it is new for every `enforce-new` phase, SR28).
   * Used by `GET /entities/…`, `POST /evaluate` (dry run) and `GET /gate` alike.
   */
  async evaluateDetailed(
    entity: Entity,
    now: string,
    snapshot: LoadedSnapshot,
    withheld?: ReadonlySet<string>,
    seen?: Set<string>,
  ): Promise<{
    evaluation: EntityEvaluation | UnscoredEvaluation;
    firstSeenAt: string;
    /** The source health the evaluation was made with (empty for unscored kinds). */
    sourceHealth: SourceHealth[];
  }> {
    const ref = entityRefOf(entity);
    if (!isScoredKind(entity.kind)) {
      return {
        evaluation: { entityRef: ref, scored: false },
        firstSeenAt: now,
        sourceHealth: [],
      };
    }
    const { store, evidence, standard } = this.options;
    const [waivers, latest] = await Promise.all([
      store.listWaivers({ entityRef: ref }),
      store.getLatest(ref),
    ]);
    const inputs = await readEvaluationEvidence(
      evidence,
      [ref, ...relatedRefs(entity, snapshot)].filter(r => !withheld?.has(r)),
      standard.config,
    );
    // An entity back under a ref that left the catalog is not new (SR28), before its first
    // results are stored too.
    const firstSeenAt =
      latest?.firstSeenAt ??
      (await store.departedFirstSeen([ref], now)).get(ref) ??
      now;
    const evaluation = evaluateEntity({
      now,
      entity,
      // Withheld refs are absent from the catalog it reads too, as the catalog answers a caller
      // who may not read them: their existence, members and annotations are not shown either.
      catalog: recordingRefs(
        withheld?.size ? withoutRefs(snapshot.index, withheld) : snapshot.index,
        seen,
      ),
      standard,
      ...inputs,
      waivers,
      firstSeenAt,
      previous: latest?.evaluation.results,
    });
    return { evaluation, firstSeenAt, sourceHealth: inputs.sourceHealth };
  }

  /**
   * Re-evaluates every scored entity of the catalog, writes a latest row and transitions only
   * for entities whose results, level or declaration changed, expires waivers and records
   * today's campaign progress.
   */
  async runPass(now: string): Promise<PassReport> {
    const { store, evidence, standard, snapshot: source } = this.options;
    const waiversExpired = await store.expireWaivers(now);
    const waiversClosed = await this.closeRetiredWaivers(now);
    const snapshot = await source.refresh();
    const scored = snapshot.entities.filter(e => isScoredKind(e.kind));
    // Expired ones only as long as the engine notes them (WAIVER_EXPIRED), not every one ever.
    const waivers = await store.listWaivers({
      statuses: ['pending', 'active', 'expired'],
      expiredSince: new Date(
        Date.parse(now) - EXPIRED_WAIVER_NOTE_DAYS * 86_400_000,
      ).toISOString(),
    });
    const report: PassReport = {
      evaluated: 0,
      changed: 0,
      transitions: 0,
      removed: 0,
      waiversExpired,
      waiversClosed,
      waiversClosedDeleted: 0,
    };
    const evaluations: EntityEvaluation[] = [];
    for (let i = 0; i < scored.length; i += BATCH) {
      const chunk = scored.slice(i, i + BATCH);
      const refs = chunk.flatMap(e => [
        entityRefOf(e),
        ...relatedRefs(e, snapshot),
      ]);
      const inputs = await readEvaluationEvidence(
        evidence,
        refs,
        standard.config,
      );
      // Per chunk: the full stored result sets of a large catalog need not be in memory at once.
      const latestByRef = await store.getLatestMany(chunk.map(entityRefOf));
      const changed: RecordInput[] = [];
      for (const entity of chunk) {
        const ref = entityRefOf(entity);
        const previous = latestByRef.get(ref);
        let evaluation;
        try {
          evaluation = evaluateEntity({
            now,
            entity,
            catalog: snapshot.index,
            standard,
            ...inputs,
            waivers,
            firstSeenAt: previous?.firstSeenAt ?? now,
            previous: previous?.evaluation.results,
          });
        } catch (e) {
          this.options.logger.warn(
            `scorecards: evaluation of ${ref} failed: ${(e as Error).message}`,
          );
          continue;
        }
        if (!evaluation.scored) continue;
        report.evaluated++;
        evaluations.push(evaluation);
        // The pass's own read of "latest" settles the common case (nothing changed) without a
        // transaction; the rest goes through the code path POST /internal/results uses too,
        // one transaction per chunk.
        const history = historyOf(evaluation, hashEntity(entity));
        if (previous && storedResultHash(previous) === history.resultHash)
          continue;
        changed.push({
          evaluation,
          entityHash: history.snapshot.entityHash,
          at: now,
          history,
        });
      }
      for (const outcome of await this.record(changed)) {
        if (outcome.status !== 'written') continue;
        report.changed++;
        report.transitions += outcome.transitions;
      }
    }
    const present = new Set(scored.map(e => entityRefOf(e)));
    if (present.size === 0) {
      // An empty catalog answer is far likelier an outage than a deletion of everything.
      this.options.logger.warn(
        'scorecards: the catalog snapshot has no scored entities; nothing removed from latest, no waiver closed',
      );
    } else {
      report.removed = await store.removeLatestExcept(
        present,
        snapshot.index.refreshedAtMs,
      );
      report.waiversClosedDeleted = await closeWaiversOfDeletedEntities({
        store,
        catalog: snapshot,
        now,
        logger: this.options.logger,
      });
    }
    await this.recordCampaignProgress(now, snapshot, evaluations);
    return report;
  }

  /**
   * SR30: a retired check is not evaluated, and its pending and active waivers close as
   * `revoked` with the reason `check retired`; its history stays. Waivers of a check the standard
   * does not define are kept and named in a warning (a rename is the likely cause).
   */
  private async closeRetiredWaivers(now: string): Promise<number> {
    const { store, standard } = this.options;
    const open = await store.listWaivers({ statuses: ['pending', 'active'] });
    let closed = 0;
    for (const waiver of closeRetiredWaivers(open, standard, now)) {
      const moved = await store.updateWaiver(waiver.id, ['pending', 'active'], {
        status: 'revoked',
        revoked_at: now,
        revoked_by: 'plugin:scorecards',
        decision_reason: waiver.closeReason,
      });
      if (moved) closed++;
    }
    if (closed > 0) {
      this.options.logger.info(
        `scorecards: closed ${closed} waiver(s) of retired checks`,
      );
    }
    const unknown = [
      ...new Set(
        open.filter(w => !standard.byId.has(w.checkId)).map(w => w.checkId),
      ),
    ].sort();
    if (unknown.length > 0) {
      this.unknownChecks.failed(
        'waivers',
        `scorecards: open waivers name checks ${standard.id}@${
          standard.version
        } does not define (${unknown.join(
          ', ',
        )}): renamed or deleted in place? They apply to nothing and are kept; a check leaves the standard through retiresAt (§2.2), or revoke them`,
      );
    } else {
      this.unknownChecks.recovered(
        'waivers',
        'scorecards: every open waiver names a check of the standard again',
      );
    }
    return closed;
  }

  private async recordCampaignProgress(
    now: string,
    snapshot: LoadedSnapshot,
    evaluations: EntityEvaluation[],
  ): Promise<void> {
    const { store } = this.options;
    const campaigns = await store.listCampaigns();
    if (campaigns.length === 0) return;
    const entities = campaignEntities(evaluations, snapshot);
    for (const campaign of campaigns) {
      if (campaign.state !== 'active') continue;
      const progress = computeCampaignProgress(campaign, entities, now);
      await store.upsertCampaignPoint(
        campaign.id,
        now.slice(0, 10),
        progress.totals.done,
      );
    }
  }
}

/** Owner, System and Domain of each evaluated entity, from the snapshot. */
export function campaignEntities<E extends EvaluationSummary>(
  evaluations: readonly E[],
  snapshot: LoadedSnapshot,
) {
  return evaluations.map(evaluation => {
    const entity = snapshot.byRef.get(evaluation.entityRef);
    const spec = (entity?.spec ?? {}) as Record<string, unknown>;
    const ns = entity?.metadata.namespace ?? 'default';
    const owner = normalizeEntityRef(spec.owner, 'group', ns);
    const system =
      entity?.kind === 'System'
        ? evaluation.entityRef
        : normalizeEntityRef(spec.system, 'system', ns);
    const systemEntity = system ? snapshot.byRef.get(system) : undefined;
    // A relative `spec.domain` is in the namespace of the System that declares it, not of the
    // entity that is part of it: a Component in `team-a` of `system:default/checkout` belongs
    // to the checkout System's domain `domain:default/commerce`.
    const domain = normalizeEntityRef(
      (systemEntity?.spec as Record<string, unknown> | undefined)?.domain,
      'domain',
      systemEntity?.metadata.namespace ?? 'default',
    );
    return {
      evaluation,
      kind: entity?.kind ?? evaluation.entityRef.split(':')[0],
      type: typeof spec.type === 'string' ? spec.type : undefined,
      owner,
      system,
      domain,
    };
  });
}

/**
 * `index`, adding to `seen` every ref looked up and every ref a lookup answers (without
 * `seen`, `index` itself).
 */
function recordingRefs(index: CatalogIndex, seen?: Set<string>): CatalogIndex {
  if (!seen) return index;
  return catalogIndexView(index, {
    get: ref => {
      seen.add(ref);
      return index.get(ref);
    },
    list: lookup => ref => {
      seen.add(ref);
      const refs = lookup(ref);
      for (const r of refs) seen.add(r);
      return refs;
    },
    parentOf: ref => {
      seen.add(ref);
      const parent = index.parentOf(ref);
      if (parent !== null) seen.add(parent);
      return parent;
    },
  });
}
