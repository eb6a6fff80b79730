import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { evidenceServiceRef } from '@internal/plugin-evidence-node';
import { IncidentBriefProcessor } from './processor/IncidentBriefProcessor';
import { CatalogEntityCache } from '@internal/plugin-incident-brief-node';
import { IncidentReadinessChecker } from './readiness/IncidentReadinessChecker';
import { ReadinessFactWriter } from './readiness/ReadinessFactWriter';

/**
 * Catalog module of the incident brief: observed dependency relations and incident-readiness
 * facts (IB §2.5, §6.2).
 *
 * @public
 */
export const catalogModuleIncidentBrief = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'incident-brief',
  register(env) {
    env.registerInit({
      deps: {
        processing: catalogProcessingExtensionPoint,
        catalog: catalogServiceRef,
        evidence: evidenceServiceRef,
        auth: coreServices.auth,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
      },
      async init({
        processing,
        catalog,
        evidence,
        auth,
        config,
        logger,
        lifecycle,
      }) {
        const readinessConfig = config.getOptionalConfig(
          'incidentBrief.readiness',
        );
        const enabled = readinessConfig?.getOptionalBoolean('enabled') ?? true;
        const readinessWriter = enabled
          ? new ReadinessFactWriter({
              evidence,
              logger,
              rewriteAfterMs: 12 * 3600_000,
              flushDelayMs: 2_000,
            })
          : undefined;
        // Findings still waiting for their batch are written before the backend stops, not lost
        // until the entity is processed again.
        if (readinessWriter) {
          lifecycle.addShutdownHook(() => readinessWriter.flush());
        }
        processing.addProcessor(
          new IncidentBriefProcessor({
            evidence,
            logger,
            ...(readinessWriter
              ? {
                  readiness: new IncidentReadinessChecker(
                    new CatalogEntityCache({
                      catalog,
                      auth,
                      ttlMs: 60_000,
                      // A catalog outage costs one 5 s deadline per 30 s, not one per entity.
                      pauseAfterFailureMs: 30_000,
                    }),
                  ),
                  readinessWriter,
                }
              : {}),
          }),
        );
      },
    });
  },
});
