import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { evidenceServiceRef } from '@internal/plugin-evidence-node';
import { FailureLog } from '@internal/suite-node';
import { createBriefServices } from './brief/createBriefServices';
import { readIncidentBriefOptions } from './config';
import {
  ChangeRiskWriter,
  EVIDENCE_CHANGES_TOPIC,
} from './risk/ChangeRiskWriter';
import { createRouter } from './service/router';

/**
 * The incident-brief backend: in-memory graph index of catalog relations and observed edges, and
 * the brief, blast-radius and changes API under `/api/incident-brief`.
 *
 * @public
 */
export const incidentBriefPlugin = createBackendPlugin({
  pluginId: 'incident-brief',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        evidence: evidenceServiceRef,
        events: eventsServiceRef,
      },
      async init(deps) {
        const { httpRouter, httpAuth, auth, permissions, logger } = deps;
        const { config, scheduler, catalog, evidence, events } = deps;
        const options = readIncidentBriefOptions(config);
        const { store, briefs } = createBriefServices({
          catalog,
          auth,
          evidence,
          logger,
          config,
          options,
        });
        httpRouter.use(
          await createRouter({
            httpAuth,
            permissions,
            briefs,
            store,
            options,
            logger,
          }),
        );
        const refreshFailures = new FailureLog(logger);
        await scheduler.scheduleTask({
          id: 'incident-brief-index-refresh',
          scope: 'local',
          frequency: { milliseconds: options.index.refreshIntervalMs },
          timeout: { milliseconds: options.index.refreshIntervalMs * 5 },
          fn: async () => {
            try {
              await store.refresh();
              refreshFailures.recovered(
                'index-refresh',
                'incident-brief index refresh works again',
              );
            } catch (error) {
              // the catalog may not serve yet at start-up; requests build on demand meanwhile.
              // Once a minute while the catalog is down: warned when it starts and every 10 min.
              refreshFailures.failed(
                'index-refresh',
                `incident-brief index refresh failed: ${error}`,
              );
            }
          },
        });

        // Risk write-back (evidence §3.5, §11 R-13): evidence stores risk write-once, we compute
        // it — on each committed ledger write, and in a sweep for whatever an event missed.
        const riskWriter = new ChangeRiskWriter({
          evidence,
          briefs,
          catalogRefs: () => store.catalogRefs(),
          logger: logger.child({ task: 'incident-brief-risk' }),
          sweepLookbackMs: options.risk.sweep.lookbackMs,
          healthGraceMs: options.risk.healthGraceMs,
        });
        await events.subscribe({
          id: 'incident-brief-change-risk',
          topics: [EVIDENCE_CHANGES_TOPIC],
          onEvent: riskWriter.onEvent,
        });
        deps.lifecycle.addShutdownHook(() => riskWriter.stop());
        const sweepMs = options.risk.sweep.frequencyMs;
        await scheduler.scheduleTask({
          id: 'incident-brief-risk-sweep',
          scope: 'global',
          frequency: { milliseconds: sweepMs },
          timeout: { milliseconds: Math.max(sweepMs, 60_000) },
          initialDelay: { minutes: 1 },
          fn: async () => {
            await riskWriter.sweep();
          },
        });
      },
    });
  },
});
