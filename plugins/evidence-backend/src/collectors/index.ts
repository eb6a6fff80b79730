import type {
  AuthService,
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { StaticOnCallProvider } from '@internal/plugin-evidence-node';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createCatalogEntityLister } from './catalogEntities';
import {
  readConfigAliases,
  readOnCallCollectorConfig,
  readPrometheusCollectorConfig,
  readRepoCollectorConfig,
} from './collectorConfig';
import type { CollectorSink } from './CollectorSink';
import {
  OnCallCollector,
  ONCALL_KINDS,
  ONCALL_SOURCE,
} from './oncall/OnCallCollector';
import {
  PrometheusCollector,
  PROMETHEUS_SOURCE,
} from './prometheus/PrometheusCollector';
import { RepoFilesCollector, REPO_SOURCE } from './repo/RepoFilesCollector';

export type {
  CollectorSink,
  CollectedFact,
  SourceRun,
  CollectionStatusUpdate,
} from './CollectorSink';
export { RepoFilesCollector, REPO_SOURCE } from './repo/RepoFilesCollector';
export {
  PrometheusCollector,
  PROMETHEUS_SOURCE,
  defaultPrometheusSettings,
} from './prometheus/PrometheusCollector';
export { PrometheusClient } from './prometheus/PrometheusClient';
export {
  OnCallCollector,
  ONCALL_SOURCE,
  ONCALL_SCHEDULE_KIND,
  declaredRoutes,
} from './oncall/OnCallCollector';
export type { OnCallScheduleValue } from './oncall/OnCallCollector';
export { buildAliasMap } from './aliasMap';
export {
  readRepoCollectorConfig,
  readPrometheusCollectorConfig,
  readOnCallCollectorConfig,
} from './collectorConfig';

/** Task ids of §4.1. */
export const REPO_TASK_ID = 'evidence-collector-repo';
export const PROMETHEUS_TASK_ID = 'evidence-collector-prometheus';
export const ONCALL_TASK_ID = 'evidence-collector-oncall';

/** The collectors' settings, read and checked by {@link readCollectorConfigs}. */
export interface CollectorConfigs {
  repo: ReturnType<typeof readRepoCollectorConfig> | SwitchedOff;
  prometheus:
    | (ReturnType<typeof readPrometheusCollectorConfig> & {
        aliases: Record<string, string>;
      })
    | SwitchedOff;
  oncall:
    | (ReturnType<typeof readOnCallCollectorConfig> & {
        providers: { static: StaticOnCallProvider };
      })
    | SwitchedOff;
}

/** A collector its configuration switches off (`enabled: false`): nothing else of it is read. */
type SwitchedOff = { enabled: false };
const SWITCHED_OFF: SwitchedOff = { enabled: false };

/**
 * Reads and checks every collector's configuration; a mistake throws, naming each invalid key at
 * once, so the plugin stops its start before it schedules anything (plugins/README.md: "each stops
 * the start naming its key"). Logged and skipped instead, one typo turned a collector off for good
 * and every check reading its evidence went unknown, with one line in the start-up log to say
 * why. A collector switched off (`enabled: false`) is not read further: its other values never
 * run.
 */
export function readCollectorConfigs(config: Config): CollectorConfigs {
  const invalid: string[] = [];
  const checked = <T>(key: string, read: () => T): T | SwitchedOff => {
    try {
      if (config.getOptionalBoolean(`${key}.enabled`) === false) {
        return SWITCHED_OFF;
      }
      return read();
    } catch (error) {
      invalid.push(`${key}: ${(error as Error)?.message ?? String(error)}`);
      return SWITCHED_OFF;
    }
  };
  const repo = checked('evidence.repo', () => readRepoCollectorConfig(config));
  const prometheus = checked('evidence.prometheus', () => ({
    ...readPrometheusCollectorConfig(config),
    aliases: readConfigAliases(config),
  }));
  const oncall = checked('evidence.oncall', () => ({
    ...readOnCallCollectorConfig(config),
    // one rotation config for the suite, at incidentBrief.onCall.static.schedules.
    // PagerDuty / Opsgenie have no provider here yet: their routes are `unsupported-host`.
    providers: { static: StaticOnCallProvider.fromConfig(config) },
  }));
  if (invalid.length > 0) {
    throw new Error(
      `evidence collector configuration is invalid: ${invalid.join(
        '; ',
      )} (a collector you do not use can be switched off with enabled: false; nothing else of it is read then)`,
    );
  }
  return { repo, prometheus, oncall };
}

/** What {@link registerCollectors} needs; the plugin passes its core services and its store. */
export interface RegisterCollectorsOptions {
  scheduler: SchedulerService;
  config: Config;
  /** Read at the plugin's start already (else read here, and a mistake throws here). */
  configs?: CollectorConfigs;
  logger: LoggerService;
  urlReader: UrlReaderService;
  catalog: CatalogService;
  auth: AuthService;
  sink: CollectorSink;
}

/**
 * Schedules every enabled collector as its own global task (§4.1): the scheduler's lock runs each
 * run on one replica, and a collector's failure is logged and never reaches the others or the
 * scheduler.
 */
export async function registerCollectors(
  options: RegisterCollectorsOptions,
): Promise<ScheduledCollectors> {
  const { scheduler, config, logger, urlReader, catalog, auth, sink } = options;
  const listEntities = createCatalogEntityLister({ catalog, auth, logger });

  const tasks: {
    id: string;
    /** The health source the collector reports on (§2.6). */
    source: string;
    schedule: Pick<
      SchedulerServiceTaskScheduleDefinition,
      'frequency' | 'timeout' | 'initialDelay'
    >;
    create: () => { run(signal?: AbortSignal): Promise<{ outcome: string }> };
  }[] = [];

  const { repo, prometheus, oncall } =
    options.configs ?? readCollectorConfigs(config);

  if (repo.enabled) {
    tasks.push({
      id: REPO_TASK_ID,
      source: REPO_SOURCE,
      schedule: repo.schedule,
      create: () =>
        new RepoFilesCollector({
          urlReader,
          sink,
          logger: logger.child({ collector: 'repo' }),
          listEntities,
          paths: repo.paths,
          kinds: repo.kinds,
          requestsPerMinute: repo.requestsPerMinute,
          concurrency: repo.concurrency,
          timeoutMs: repo.timeoutMs,
        }),
    });
  }

  if (prometheus.enabled) {
    tasks.push({
      id: PROMETHEUS_TASK_ID,
      source: PROMETHEUS_SOURCE,
      schedule: prometheus.schedule,
      create: () =>
        new PrometheusCollector({
          settings: prometheus.settings!,
          sink,
          logger: logger.child({ collector: 'prometheus' }),
          listEntities,
          configAliases: prometheus.aliases,
        }),
    });
  }

  if (oncall.enabled) {
    tasks.push({
      id: ONCALL_TASK_ID,
      source: ONCALL_SOURCE,
      schedule: oncall.schedule,
      create: () =>
        new OnCallCollector({
          sink,
          logger: logger.child({ collector: 'oncall' }),
          listEntities: createCatalogEntityLister({
            catalog,
            auth,
            logger,
            kinds: ONCALL_KINDS,
          }),
          providers: oncall.providers,
        }),
    });
  }

  for (const [id, collector] of [
    [REPO_TASK_ID, repo],
    [PROMETHEUS_TASK_ID, prometheus],
    [ONCALL_TASK_ID, oncall],
  ] as const) {
    if (!collector.enabled) logger.info(`evidence collector ${id} is disabled`);
  }
  const scheduled: ScheduledCollectors = new Map();
  for (const task of tasks) {
    try {
      // One instance per task: it keeps the last etag / last edge run between runs.
      const collector = task.create();
      await scheduler.scheduleTask({
        id: task.id,
        scope: 'global',
        ...task.schedule,
        timeout: task.schedule.timeout,
        fn: async signal => {
          const runId = `${task.id}:${new Date().toISOString()}`;
          try {
            // The scheduler aborts at the task timeout: the paced loops stop and say so.
            const result = await collector.run(signal);
            logger.info(
              `evidence collector run ${runId} finished: ${result.outcome}`,
            );
          } catch (error) {
            // Isolation (§4.1): logged once per run, turned into health, never rethrown into
            // the scheduler.
            logger.error(
              `evidence collector run ${runId} failed`,
              toLoggable(error),
            );
            await recordFailedRun({ sink, logger, source: task.source, runId });
          }
        },
      });
      scheduled.set(task.source, task.id);
    } catch (error) {
      logger.error(
        `could not schedule evidence collector ${task.id}`,
        toLoggable(error),
      );
    }
  }
  return scheduled;
}

/**
 * The collectors that were scheduled, by the source they report on (`repo`, `prometheus`,
 * `oncall`), with their scheduler task ids: what `POST /collectors/:id/run` may trigger.
 */
export type ScheduledCollectors = Map<string, string>;

/**
 * Records a run that threw (catalog unreadable, a write the store refused, a bug) as the
 * source's health, so it does not go on looking healthy (§4.1, EV16).
 *
 * `unavailable`, not `degraded`: the store counts `degraded` as a success and advances
 * `lastSuccessAt`, so a collector that crashes on every run would never show its age. The
 * stored error names the run and no more: the exception may carry SQL, URLs or values, and it
 * is already in the log under the same run id.
 */
async function recordFailedRun(options: {
  sink: CollectorSink;
  logger: LoggerService;
  source: string;
  runId: string;
}): Promise<void> {
  const { sink, logger, source, runId } = options;
  try {
    await sink.recordSourceRun({
      source,
      outcome: 'unavailable',
      at: new Date(),
      error: `run ${runId} failed; the cause is in the backend log`,
    });
  } catch (error) {
    logger.error(
      `evidence collector run ${runId}: could not record its failure as ${source} health`,
      toLoggable(error),
    );
  }
}

function toLoggable(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
