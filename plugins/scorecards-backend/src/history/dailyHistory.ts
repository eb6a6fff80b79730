import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { ScorecardsStore } from '../database/ScorecardsStore';
import { LoadedSnapshot } from '../evaluation/CatalogSnapshot';
import { HistoryConfig } from './historyConfig';
import { RetentionReport, applyRetention } from './retention';
import { RollupSnapshotStore } from './RollupSnapshotStore';
import {
  RollupSnapshotOutcome,
  previousUtcDate,
  takeRollupSnapshot,
  utcDate,
} from './rollupSnapshots';

/** Id of the daily task in the scheduler. */
export const DAILY_HISTORY_TASK_ID = 'scorecards-daily-history';

/**
 * The daily history work of scorecards §2.10: at 00:05 UTC the rollup snapshot of the day that
 * just ended (the row dated D is the state at the end of D), then retention of transitions and
 * snapshots; and after every evaluation pass a provisional snapshot of today, the state after
 * that pass (a fresh portal gets its first point at once; the 00:05 run closes the day). Taken
 * once per process until 2026-12-07, today's point kept what the first pass after a start found
 * — on a fresh portal, results evaluated before the evidence was loaded — until the next day,
 * beside a live rollup that had long moved on.
 *
 * The scheduler reads cron in the server's local zone, so `5 0 * * *` fired at 05:05 UTC in New
 * York and at 11:05 UTC the next day in Auckland, and the row dated D held a state hours into
 * D+1. The task runs at minute 5 of every hour instead (00:05 UTC in every zone with a whole-hour
 * offset) and closes the previous UTC day once: a day whose rows were taken after it ended is
 * left as it is.
 */
export class DailyHistory {
  private readonly snapshots: RollupSnapshotStore;
  /** The last day this process closed, rows written or not (an empty catalog writes none). */
  private closedDay: string | undefined;

  constructor(
    private readonly options: {
      store: ScorecardsStore;
      catalog: () => Promise<LoadedSnapshot>;
      config: HistoryConfig;
      logger: LoggerService;
      /** Days before expiry a waiver counts as expiring in the snapshot rows; default 14. */
      expiringWithinDays?: number;
      /** The checks of the standard: waivers of others are not counted (`rollupEntriesOf`). */
      definedChecks: { has(checkId: string): boolean };
    },
  ) {
    this.snapshots = new RollupSnapshotStore(options.store.db);
  }

  /**
   * The 00:05 run: snapshot of the previous UTC day, then retention; nothing when that day was
   * already closed (its rows taken after it ended), so the hourly runs of a day act once.
   */
  async runDaily(now: string): Promise<
    | {
        snapshot: RollupSnapshotOutcome;
        retention: RetentionReport;
      }
    | undefined
  > {
    const date = previousUtcDate(now);
    if (this.closedDay === date) return undefined;
    const takenAt = await this.snapshots.takenAt(date);
    if (takenAt !== undefined && takenAt >= `${utcDate(now)}T00:00:00`) {
      this.closedDay = date;
      return undefined;
    }
    const snapshot = await this.snapshot(date, now);
    // Closed once written, or when there is nothing to write (no stored results): not read and
    // retained again every hour. An empty catalog snapshot is an outage, not an empty portal:
    // tried again the next hour, so the day is still closed once the catalog answers.
    if (!('skipped' in snapshot) || snapshot.skipped === 'no-results')
      this.closedDay = date;
    const retention = await applyRetention({
      db: this.options.store.db,
      now,
      retainDays: this.options.config.retainDays,
      departedGraceMs: this.options.config.departedGraceMs,
    });
    return { snapshot, retention };
  }

  /**
   * Called after each evaluation pass (every 10 min): today's snapshot, replaced by the state
   * after this pass — the same reads as one `GET /rollups` of each grouping. Without results
   * yet (or with an empty catalog) nothing is written.
   */
  async afterPass(now: string): Promise<RollupSnapshotOutcome> {
    return this.snapshot(utcDate(now), now);
  }

  /** Registers the daily task: one runner across replicas (`scope: 'global'`). */
  async schedule(scheduler: SchedulerService, clock: () => Date) {
    await scheduler.scheduleTask({
      id: DAILY_HISTORY_TASK_ID,
      scope: 'global',
      // Every hour at minute 5, local time: see the class comment.
      frequency: { cron: '5 * * * *' },
      timeout: { minutes: 30 },
      fn: async () => {
        const report = await this.runDaily(clock().toISOString());
        if (report)
          this.options.logger.info(
            `scorecards daily history ${JSON.stringify(report)}`,
          );
      },
    });
  }

  private async snapshot(date: string, now: string) {
    const outcome = await takeRollupSnapshot({
      store: this.options.store,
      snapshots: this.snapshots,
      catalog: this.options.catalog,
      date,
      now,
      expiringWithinDays: this.options.expiringWithinDays,
      definedChecks: this.options.definedChecks,
    });
    if ('skipped' in outcome && outcome.skipped === 'empty-catalog') {
      this.options.logger.warn(
        `scorecards: rollup snapshot of ${date} not written: the catalog snapshot is empty`,
      );
    }
    return outcome;
  }
}
