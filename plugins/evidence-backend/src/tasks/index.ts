import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { EventsService } from '@backstage/plugin-events-node';
import { EvidenceStore } from '../database/EvidenceStore';
import { CiSummaryPassReport, CiSummaryRecompute } from './CiSummaryRecompute';
import { RiskSweep } from './RiskSweep';

export {
  CiSummaryRecompute,
  CI_SUMMARY_KIND,
  CI_SUMMARY_SOURCE,
} from './CiSummaryRecompute';
export type {
  CiSummaryPassReport,
  CiSummaryRecomputeOptions,
} from './CiSummaryRecompute';
export { RiskSweep, EVIDENCE_CHANGES_TOPIC, changesEvent } from './RiskSweep';
export type { RiskSweepOptions } from './RiskSweep';

/** Task ids of §4.1. */
export const CI_SUMMARY_TASK_ID = 'evidence-ci-summary';
/** The debounced recompute after CI-run writes (§2.5: within 60 s of a write). */
export const CI_SUMMARY_RECENT_TASK_ID = 'evidence-ci-summary-recent';
export const RISK_SWEEP_TASK_ID = 'evidence-risk-sweep';

/** What {@link registerEvidenceTasks} needs. */
export interface RegisterEvidenceTasksOptions {
  scheduler: SchedulerService;
  logger: LoggerService;
  store: Pick<
    EvidenceStore,
    'db' | 'resolver' | 'options' | 'registry' | 'clock'
  >;
  events: Pick<EventsService, 'publish'>;
}

/**
 * Schedules the derived-evidence tasks of §4.1, each global (the scheduler's lock runs a task on
 * one replica at a time) and idempotent, so a run repeated after a lock timeout is harmless:
 *
 * - `evidence-ci-summary` — daily at 00:10: every entity's `ci.summary` from its CI runs;
 * - `evidence-ci-summary-recent` — every 60 s: the summaries of entities whose runs were written
 *   since the last pass;
 * - `evidence-risk-sweep` — every 60 s: changes still without risk, received in the last 24 h,
 *   published again on `evidence.changes`.
 *
 * A task's failure is logged once per run and never reaches the scheduler or the other tasks.
 */
export async function registerEvidenceTasks(
  options: RegisterEvidenceTasksOptions,
): Promise<void> {
  const { scheduler, logger, store, events } = options;
  const ciLogger = logger.child({ task: CI_SUMMARY_TASK_ID });
  const ciSummary = CiSummaryRecompute.fromStore(store, ciLogger);
  const riskSweep = new RiskSweep({
    db: store.db,
    events,
    logger: logger.child({ task: RISK_SWEEP_TASK_ID }),
    clock: store.clock,
  });

  const guarded =
    <T>(id: string, run: () => Promise<T>, describe: (result: T) => string) =>
    async () => {
      try {
        const message = describe(await run());
        if (message) logger.info(`evidence task ${id}: ${message}`);
      } catch (error) {
        logger.error(`evidence task ${id} failed: ${error}`);
      }
    };
  const describeCi = (r: CiSummaryPassReport) =>
    `${r.entities} entities, ${r.written} summaries written, ${r.unchanged} unchanged, ${r.skipped} skipped, ${r.failed} failed`;

  // Cron times are the scheduler's, i.e. the server clock (UTC in production, like 03:00 of
  // evidence-retention).
  await scheduler.scheduleTask({
    id: CI_SUMMARY_TASK_ID,
    scope: 'global',
    frequency: { cron: '10 0 * * *' },
    timeout: { minutes: 30 },
    fn: guarded(CI_SUMMARY_TASK_ID, () => ciSummary.recomputeAll(), describeCi),
  });
  await scheduler.scheduleTask({
    id: CI_SUMMARY_RECENT_TASK_ID,
    scope: 'global',
    frequency: { seconds: 60 },
    timeout: { seconds: 55 },
    initialDelay: { seconds: 20 },
    fn: guarded(
      CI_SUMMARY_RECENT_TASK_ID,
      () => ciSummary.recomputeRecent(),
      // Quiet unless something was written or failed: this runs every minute.
      r => (r.written + r.failed > 0 ? describeCi(r) : ''),
    ),
  });
  await scheduler.scheduleTask({
    id: RISK_SWEEP_TASK_ID,
    scope: 'global',
    frequency: { seconds: 60 },
    timeout: { seconds: 55 },
    initialDelay: { seconds: 30 },
    fn: guarded(
      RISK_SWEEP_TASK_ID,
      () => riskSweep.run(),
      () => '',
    ),
  });
}
