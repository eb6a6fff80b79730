import type {
  LifecycleService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  readPrometheusCollectorConfig,
  readRepoCollectorConfig,
} from '../collectors/collectorConfig';
import type { EvidenceStore } from '../database/EvidenceStore';
import type { AliasResolver } from '../service/AliasResolver';
import { DemoRepository } from './DemoRepository';
import {
  DEMO_HEALTH_SOURCES,
  DemoSeedSummary,
  refreshDemoEvidence,
  seedDemoEvidence,
} from './seedDemoEvidence';

/** Task id of the hourly re-confirmation (evidence §4.1). */
export const DEMO_REFRESH_TASK_ID = 'evidence-demo-refresh';

/** The entity whose presence in the alias map means the demo catalog is loaded. */
export const DEMO_READY_REF = 'component:default/checkout-service';

/** What {@link DemoEvidence} needs; the plugin passes its store, maps and core services. */
export interface DemoEvidenceOptions {
  store: EvidenceStore;
  repository: DemoRepository;
  resolver: AliasResolver;
  logger: LoggerService;
  /** Sources the demo reports healthy: `repo`/`prometheus` unless their collector runs. */
  healthSources?: readonly string[];
  clock?: () => Date;
}

/**
 * The demo evidence of evidence §7: seeds once the demo catalog is in the alias map, re-confirms
 * facts and edges every hour, and backs `POST /demo/reseed` and `DELETE /demo`.
 */
export class DemoEvidence {
  private readonly clock: () => Date;
  private stopped = false;

  constructor(private readonly options: DemoEvidenceOptions) {
    this.clock = options.clock ?? (() => new Date());
  }

  /** True when `evidence.demo.enabled` is set. */
  get enabled(): boolean {
    return this.options.store.options.demo.enabled;
  }

  /** Seeds now (the reseed route); a replay when the demo is seeded already. */
  reseed(): Promise<DemoSeedSummary> {
    const { store, repository, logger, healthSources } = this.options;
    return seedDemoEvidence({
      store,
      repository,
      logger,
      now: this.clock(),
      healthSources,
    });
  }

  /** Deletes every demo row; returns how many. */
  purge(): Promise<number> {
    return this.options.repository.deleteAll(() => this.clock().getTime());
  }

  /**
   * Starts the demo when enabled: a background seed once {@link DEMO_READY_REF} is in the alias
   * map (waiting at most `waitMs`, else nothing is seeded), and the hourly refresh task.
   */
  async start(deps: {
    scheduler: SchedulerService;
    lifecycle: LifecycleService;
    waitMs?: number;
    pollMs?: number;
  }): Promise<void> {
    if (!this.enabled) return;
    const { store, repository, logger, healthSources } = this.options;
    deps.lifecycle.addShutdownHook(() => {
      this.stopped = true;
    });
    // In the background: plugin start-up must not wait for the catalog.
    void this.seedWhenReady(deps.waitMs ?? 60_000, deps.pollMs ?? 1_000);
    await deps.scheduler.scheduleTask({
      id: DEMO_REFRESH_TASK_ID,
      scope: 'global',
      frequency: { minutes: 60 },
      timeout: { minutes: 10 },
      initialDelay: { minutes: 60 },
      fn: async () => {
        try {
          await refreshDemoEvidence({
            store,
            repository,
            logger,
            now: this.clock(),
            healthSources,
          });
        } catch (error) {
          logger.error('evidence demo refresh failed', toError(error));
        }
      },
    });
  }

  /** Resolves with the seed summary, or undefined when the catalog never showed up. */
  async seedWhenReady(
    waitMs: number,
    pollMs: number,
  ): Promise<DemoSeedSummary | undefined> {
    const { resolver, logger } = this.options;
    const deadline = Date.now() + waitMs;
    while (!resolver.exists(DEMO_READY_REF)) {
      if (this.stopped) return undefined;
      if (Date.now() >= deadline) {
        logger.warn(
          `evidence demo not seeded: ${DEMO_READY_REF} did not appear in the alias map within ${Math.round(
            waitMs / 1000,
          )} s (is the demo catalog registered?)`,
        );
        return undefined;
      }
      await new Promise(resolve => setTimeout(resolve, pollMs));
    }
    if (this.stopped) return undefined;
    try {
      return await this.reseed();
    } catch (error) {
      logger.error('evidence demo seeding failed', toError(error));
      return undefined;
    }
  }
}

/** The demo health sources whose real collector is not enabled in `config`. */
export function demoHealthSources(config: Config): string[] {
  const enabled: Record<string, () => boolean> = {
    repo: () => readRepoCollectorConfig(config).enabled,
    prometheus: () => readPrometheusCollectorConfig(config).enabled,
  };
  return DEMO_HEALTH_SOURCES.filter(source => {
    try {
      return !enabled[source]();
    } catch {
      // An invalid collector configuration stops the plugin's start before this runs
      // (readCollectorConfigs); taken as no collector here, where only the demo asks.
      return true;
    }
  });
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
