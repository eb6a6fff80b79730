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
import { OnCallCollector, ONCALL_KINDS } from './oncall/OnCallCollector';
import { PrometheusCollector } from './prometheus/PrometheusCollector';
import { RepoFilesCollector } from './repo/RepoFilesCollector';

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

/** What {@link registerCollectors} needs; the plugin passes its core services and its store. */
export interface RegisterCollectorsOptions {
  scheduler: SchedulerService;
  config: Config;
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
): Promise<void> {
  const { scheduler, config, logger, urlReader, catalog, auth, sink } = options;
  const listEntities = createCatalogEntityLister({ catalog, auth, logger });

  const tasks: {
    id: string;
    enabled: boolean;
    schedule: Pick<
      SchedulerServiceTaskScheduleDefinition,
      'frequency' | 'timeout' | 'initialDelay'
    >;
    create: () => { run(): Promise<{ outcome: string }> };
  }[] = [];

  try {
    const repo = readRepoCollectorConfig(config);
    tasks.push({
      id: REPO_TASK_ID,
      enabled: repo.enabled,
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
  } catch (error) {
    logger.error(
      `evidence.repo configuration is invalid; repo collector not scheduled`,
      toLoggable(error),
    );
  }

  try {
    const prometheus = readPrometheusCollectorConfig(config);
    const aliases = readConfigAliases(config);
    tasks.push({
      id: PROMETHEUS_TASK_ID,
      enabled: prometheus.enabled,
      schedule: prometheus.schedule,
      create: () =>
        new PrometheusCollector({
          settings: prometheus.settings!,
          sink,
          logger: logger.child({ collector: 'prometheus' }),
          listEntities,
          configAliases: aliases,
        }),
    });
  } catch (error) {
    logger.error(
      `evidence.prometheus configuration is invalid; prometheus collector not scheduled`,
      toLoggable(error),
    );
  }

  try {
    const oncall = readOnCallCollectorConfig(config);
    tasks.push({
      id: ONCALL_TASK_ID,
      enabled: oncall.enabled,
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
          // one rotation config for the suite, at incidentBrief.onCall.static.schedules.
          // PagerDuty / Opsgenie have no provider here yet: their routes are `unsupported-host`.
          providers: { static: StaticOnCallProvider.fromConfig(config) },
        }),
    });
  } catch (error) {
    logger.error(
      `evidence.oncall configuration is invalid; on-call collector not scheduled`,
      toLoggable(error),
    );
  }

  for (const task of tasks) {
    if (!task.enabled) {
      logger.info(`evidence collector ${task.id} is disabled`);
      continue;
    }
    try {
      // One instance per task: it keeps the last etag / last edge run between runs.
      const collector = task.create();
      await scheduler.scheduleTask({
        id: task.id,
        scope: 'global',
        ...task.schedule,
        timeout: task.schedule.timeout,
        fn: async () => {
          const runId = `${task.id}:${new Date().toISOString()}`;
          try {
            const result = await collector.run();
            logger.info(
              `evidence collector run ${runId} finished: ${result.outcome}`,
            );
          } catch (error) {
            // Isolation (§4.1): logged once per run, never rethrown into the scheduler.
            logger.error(
              `evidence collector run ${runId} failed`,
              toLoggable(error),
            );
          }
        },
      });
    } catch (error) {
      logger.error(
        `could not schedule evidence collector ${task.id}`,
        toLoggable(error),
      );
    }
  }
}

function toLoggable(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
