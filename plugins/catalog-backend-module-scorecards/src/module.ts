import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { evidenceServiceRef } from '@internal/plugin-evidence-node';
import { CatalogSnapshotCache } from './catalog/CatalogSnapshotCache';
import { ScorecardsProcessor } from './processor/ScorecardsProcessor';
import { loadConfiguredStandard } from '@internal/plugin-scorecards-node';
import { ActiveWaiverCache } from './waivers/ActiveWaiverCache';

function interval(config: Config, key: string, fallbackSeconds: number) {
  return config.has(key)
    ? readDurationFromConfig(config, { key })
    : { seconds: fallbackSeconds };
}

/**
 * Catalog module of scorecards: evaluates every scored entity during processing and stamps
 * its maturity level, score and standard (scorecards §7.5).
 *
 * @public
 */
export const catalogModuleScorecards = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'scorecards',
  register(env) {
    env.registerInit({
      deps: {
        processing: catalogProcessingExtensionPoint,
        catalog: catalogServiceRef,
        evidence: evidenceServiceRef,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
      },
      async init(deps) {
        const { processing, config, logger, scheduler } = deps;
        // Fails startup with every problem named by file, check and field (§2.2).
        const standard = loadConfiguredStandard(config);
        logger.info(
          `scorecards: scoring against ${standard.id}@${standard.version} (${standard.checks.length} checks)`,
        );
        const snapshot = new CatalogSnapshotCache({
          catalog: deps.catalog,
          auth: deps.auth,
        });
        const waivers = ActiveWaiverCache.fromBackend({
          discovery: deps.discovery,
          auth: deps.auth,
        });
        // Every replica processes entities, so both caches are per instance (scope local).
        await scheduler.scheduleTask({
          id: 'scorecards-catalog-snapshot',
          scope: 'local',
          frequency: interval(
            config,
            'scorecards.processor.snapshotInterval',
            60,
          ),
          timeout: { minutes: 2 },
          fn: async () => {
            try {
              await snapshot.refresh();
            } catch (e) {
              logger.warn(
                `scorecards: catalog snapshot refresh failed, keeping the previous one: ${
                  (e as Error).message
                }`,
              );
            }
          },
        });
        await scheduler.scheduleTask({
          id: 'scorecards-active-waivers',
          scope: 'local',
          frequency: interval(
            config,
            'scorecards.processor.waiverInterval',
            60,
          ),
          timeout: { seconds: 30 },
          fn: async () => {
            try {
              await waivers.refresh();
            } catch (e) {
              logger.warn(
                `scorecards: reading active waivers failed, keeping the previous list: ${
                  (e as Error).message
                }`,
              );
            }
          },
        });
        processing.addProcessor(
          new ScorecardsProcessor({
            standard,
            evidence: deps.evidence,
            catalog: () => snapshot.current(),
            waivers: () => waivers.current(),
            logger,
          }),
        );
      },
    });
  },
});
