import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  evidenceServiceRef,
  StaticOnCallProvider,
} from '@internal/plugin-evidence-node';
import { CatalogEntityCache } from './brief/CatalogEntityCache';
import { BriefService } from './brief/BriefService';
import { readIncidentBriefOptions } from './config';
import { GraphIndexStore } from './graph/GraphIndexStore';
import { OnCallRouter } from './oncall/OnCallRouter';
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
        catalog: catalogServiceRef,
        evidence: evidenceServiceRef,
      },
      async init(deps) {
        const { httpRouter, httpAuth, auth, permissions, logger } = deps;
        const { config, scheduler, catalog, evidence } = deps;
        const options = readIncidentBriefOptions(config);
        const store = new GraphIndexStore({
          catalog,
          auth,
          evidence,
          logger,
          graph: options.graph,
          fullSyncIntervalMs: options.index.fullSyncIntervalMs,
        });
        const briefs = new BriefService({
          store,
          entities: new CatalogEntityCache({ catalog, auth, ttlMs: 60_000 }),
          evidence,
          onCall: new OnCallRouter(
            { static: StaticOnCallProvider.fromConfig(config) },
            options.onCall,
          ),
          options,
        });
        httpRouter.use(
          await createRouter({ httpAuth, permissions, briefs, options }),
        );
        await scheduler.scheduleTask({
          id: 'incident-brief-index-refresh',
          scope: 'local',
          frequency: { milliseconds: options.index.refreshIntervalMs },
          timeout: { milliseconds: options.index.refreshIntervalMs * 5 },
          fn: async () => {
            try {
              await store.refresh();
            } catch (error) {
              // the catalog may not serve yet at start-up; requests build on demand meanwhile
              logger.warn(`incident-brief index refresh failed: ${error}`);
            }
          },
        });
      },
    });
  },
});
