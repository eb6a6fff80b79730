import { isUniqueViolation } from '@internal/suite-node';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  CI_SUMMARY_WINDOW_DAYS,
  EvidenceKindRegistry,
  SECONDS_PER_DAY,
  fingerprint,
  summarizeCiRuns,
  timestampMs,
  toIsoTimestamp,
} from '@internal/plugin-evidence-common';
import { Knex } from 'knex';
import { writeFact } from '../database/FactWriter';
import { CiRunRow, FactRow, StoredCiRun, ciRunFromRow } from '../database/rows';
import { AliasResolver } from '../service/AliasResolver';
import { EvidenceOptions } from '../service/evidenceConfig';

/** Source and kind of the derived summary (§2.2: `ci.summary`, source `ci`, derived from §2.5). */
export const CI_SUMMARY_SOURCE = 'ci';
export const CI_SUMMARY_KIND = 'ci.summary';

const MINUTE_MS = 60_000;
/**
 * How far back the first recent pass of a process looks for CI-run writes: past the daily pass,
 * so a replica that takes the task over after any gap (its owner crashed, every replica
 * restarted) leaves no write waiting for the next 00:10. Entities whose summary did not change
 * cost a read and no write.
 */
export const CI_SUMMARY_DEFAULT_LOOKBACK_MS = 25 * 60 * MINUTE_MS;
/**
 * Overlap between recent passes: a run's `updated_ms` is its request's receipt time, and its
 * transaction may commit a little later, after a pass that started meanwhile has read.
 */
export const CI_SUMMARY_OVERLAP_MS = 2 * MINUTE_MS;
/** Entity refs read per page in the daily pass. */
const PAGE = 500;

/** What a recompute pass did, per entity. */
export interface CiSummaryPassReport {
  /** entities whose runs were summarized */
  entities: number;
  /** a new `ci.summary` version (or a re-confirmation with a newer `observedAt`) was written */
  written: number;
  /** the stored summary already had this value and `observedAt`: nothing written */
  unchanged: number;
  /** no completed default-branch run in the window, or a newer summary is stored: nothing written */
  skipped: number;
  /** the entity failed (logged); the next pass tries again */
  failed: number;
}

/** What {@link CiSummaryRecompute} needs; {@link CiSummaryRecompute.fromStore} takes them off the store. */
export interface CiSummaryRecomputeOptions {
  db: Knex;
  resolver: AliasResolver;
  options: EvidenceOptions;
  registry: EvidenceKindRegistry;
  logger: LoggerService;
  clock?: () => Date;
  /** How far back a process's first recent pass looks (default 25 h). */
  lookbackMs?: number;
}

const emptyReport = (): CiSummaryPassReport => ({
  entities: 0,
  written: 0,
  unchanged: 0,
  skipped: 0,
  failed: 0,
});

/**
 * Derives each entity's `ci.summary` fact from its stored CI runs with `summarizeCiRuns` (§2.5)
 * and writes it through the fact writer every push and collector uses (§3.5 versions):
 *
 * - {@link recomputeRecent} (every 60 s) covers the entities whose default-branch runs were
 *   written since the previous pass, so a summary follows a run write within about a minute,
 *   and a burst of writes costs one recompute (the debounce of §4.1).
 * - {@link recomputeAll} (daily at 00:10) covers every entity with runs, so the 30-day window
 *   slides even when no run arrives.
 *
 * A write is idempotent: when the stored summary has the same value and `observedAt` nothing is
 * written at all (no history row, no `updated_ms`), a same value with a newer `observedAt` is a
 * re-confirmation, a new value a new version.
 */
export class CiSummaryRecompute {
  /** Start of the last recent pass on this process, less the overlap; undefined before the first. */
  private watermark: number | undefined;
  /** Entities whose recompute failed in the last pass: the next recent pass tries them again. */
  private retry = new Set<string>();

  static fromStore(
    store: {
      db: Knex;
      resolver: AliasResolver;
      options: EvidenceOptions;
      registry: EvidenceKindRegistry;
      clock: () => Date;
    },
    logger: LoggerService,
    overrides: Pick<CiSummaryRecomputeOptions, 'lookbackMs'> = {},
  ): CiSummaryRecompute {
    return new CiSummaryRecompute({
      db: store.db,
      resolver: store.resolver,
      options: store.options,
      registry: store.registry,
      clock: store.clock,
      logger,
      ...overrides,
    });
  }

  constructor(private readonly deps: CiSummaryRecomputeOptions) {}

  private now(): Date {
    return this.deps.clock?.() ?? new Date();
  }

  /**
   * Recomputes the entities whose default-branch runs were written (inserted or updated) since
   * the previous pass of this process, or within the lookback on its first pass. The scheduler
   * may move the task between replicas; a replica's watermark is then older than needed, which
   * only widens the pass. The first pass of a process looks back 25 h, beyond the daily pass, so
   * a takeover after a gap leaves nothing behind.
   */
  async recomputeRecent(): Promise<CiSummaryPassReport> {
    const now = this.now();
    const since =
      this.watermark ??
      now.getTime() - (this.deps.lookbackMs ?? CI_SUMMARY_DEFAULT_LOOKBACK_MS);
    const rows: { entity_ref: string }[] = await this.deps
      .db('evidence_ci_runs')
      .distinct('entity_ref')
      .where('updated_ms', '>', since)
      .where('is_default_branch', true)
      .whereNotNull('entity_ref');
    const refs = new Set([...rows.map(r => r.entity_ref), ...this.retry]);
    const failed: string[] = [];
    const report = await this.recompute([...refs].sort(), now, failed);
    // Reached only when the candidate query worked; an exception leaves the watermark, so the
    // next pass covers this one's writes again.
    this.watermark = now.getTime() - CI_SUMMARY_OVERLAP_MS;
    this.retry = new Set(failed);
    return report;
  }

  /** Recomputes every entity that has default-branch runs (the daily pass). */
  async recomputeAll(): Promise<CiSummaryPassReport> {
    const now = this.now();
    const total = emptyReport();
    let after = '';
    for (;;) {
      const rows: { entity_ref: string }[] = await this.deps
        .db('evidence_ci_runs')
        .distinct('entity_ref')
        .where('is_default_branch', true)
        .whereNotNull('entity_ref')
        .where('entity_ref', '>', after)
        .orderBy('entity_ref')
        .limit(PAGE);
      if (rows.length === 0) break;
      const failed: string[] = [];
      const report = await this.recompute(
        rows.map(r => r.entity_ref),
        now,
        failed,
      );
      // Entities that failed are tried again by the next recent pass, not only tomorrow.
      for (const ref of failed) this.retry.add(ref);
      for (const key of Object.keys(total) as (keyof CiSummaryPassReport)[]) {
        total[key] += report[key];
      }
      after = rows[rows.length - 1].entity_ref;
      if (rows.length < PAGE) break;
    }
    return total;
  }

  /** Recomputes the given entities at `now`; one entity's failure never stops the others. */
  async recompute(
    entityRefs: string[],
    now: Date = this.now(),
    failedRefs?: string[],
  ): Promise<CiSummaryPassReport> {
    const report = emptyReport();
    for (const entityRef of entityRefs) {
      report.entities += 1;
      try {
        let outcome: keyof CiSummaryPassReport;
        try {
          outcome = await this.recomputeEntity(entityRef, now);
        } catch (error) {
          // Another pass inserted the first summary meanwhile: decide again against it.
          if (!isUniqueViolation(error)) throw error;
          outcome = await this.recomputeEntity(entityRef, now);
        }
        report[outcome] += 1;
      } catch (error) {
        report.failed += 1;
        failedRefs?.push(entityRef);
        this.deps.logger.warn(
          `evidence ci.summary of ${entityRef} could not be recomputed: ${error}`,
        );
      }
    }
    return report;
  }

  private async recomputeEntity(
    entityRef: string,
    now: Date,
  ): Promise<'written' | 'unchanged' | 'skipped'> {
    const nowIso = toIsoTimestamp(now.getTime());
    // Every retained default-branch run: summarizeCiRuns applies the 30-day window itself and
    // looks further back only to recognise a retry of an earlier failure as flaky.
    const rows = await this.deps
      .db<CiRunRow>('evidence_ci_runs')
      .where({ entity_ref: entityRef, is_default_branch: true })
      .where('status', 'completed')
      .whereNotNull('finished_ms');
    const runs = rows.map(ciRunFromRow);
    const { value, observedAt } = summarizeCiRuns(runs, nowIso);
    if (observedAt === null) return 'skipped';

    const kind = this.deps.registry.get(CI_SUMMARY_KIND);
    // 30 d after the newest run by default (§2.2); `evidence.kinds.ci.summary` may change it.
    const freshForSeconds =
      kind?.freshForSeconds ?? CI_SUMMARY_WINDOW_DAYS * SECONDS_PER_DAY;
    const observedMs = timestampMs(observedAt);
    const valueFp = fingerprint(value as never);
    const newest = newestUnit(runs, observedAt);

    return this.deps.db.transaction(async trx => {
      const latest = await trx<FactRow>('evidence_facts')
        .where({
          subject: entityRef,
          source: CI_SUMMARY_SOURCE,
          kind: CI_SUMMARY_KIND,
          fact_key: '',
        })
        .first();
      if (latest) {
        const latestMs = Number(latest.observed_ms);
        if (latestMs === observedMs && latest.value_fp === valueFp) {
          return 'unchanged';
        }
        // A newer summary (written by another writer of source `ci`) would only gain an
        // OUT_OF_ORDER history row on every pass; it stays as it is.
        if (latestMs > observedMs) return 'skipped';
      }
      const provenance: Record<string, string> = {
        collector: CI_SUMMARY_SOURCE,
      };
      if (newest) {
        provenance.runId = newest.runId;
        provenance.commitSha = newest.commitSha;
        if (newest.url) provenance.url = newest.url;
      }
      // Stamped with the clock at the write (collectedAt, updated_ms), which in a long daily
      // pass is later than the pass's `now` the window ends at.
      const writtenAt = this.now().getTime();
      await writeFact(
        {
          trx,
          now: writtenAt,
          nowIso: toIsoTimestamp(writtenAt),
          principal: `collector:${CI_SUMMARY_SOURCE}`,
          resolver: this.deps.resolver,
          options: this.deps.options,
          demo: this.deps.options.demo.enabled,
        },
        {
          entityRef,
          source: CI_SUMMARY_SOURCE,
          kind: CI_SUMMARY_KIND,
          key: '',
          value: value as never,
          observedAt,
          freshForSeconds,
          provenance,
        },
      );
      return 'written';
    });
  }
}

/** The run whose finish is the summary's `observedAt` (its highest attempt), for provenance. */
function newestUnit(
  runs: StoredCiRun[],
  observedAt: string,
): StoredCiRun | undefined {
  let best: StoredCiRun | undefined;
  for (const run of runs) {
    if (run.finishedAt !== observedAt) continue;
    if (!best || run.attempt > best.attempt) best = run;
  }
  return best;
}
