import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { evidencePermissions } from '@internal/plugin-evidence-common';
import { readCollectorConfigs, registerCollectors } from './collectors';
import { EvidenceReader } from './database/EvidenceReader';
import { EvidenceStore } from './database/EvidenceStore';
import { RetentionRunner } from './database/RetentionRunner';
import { DemoEvidence, DemoRepository, demoHealthSources } from './demo';
import { AliasResolver } from './service/AliasResolver';
import { readEvidenceOptions } from './service/evidenceConfig';
import { loadCatalogEntities } from './service/loadCatalogEntities';
import { AliasMapRefresher } from './service/AliasMapRefresher';
import { createRouter } from './service/router';
import { changesEvent, registerEvidenceTasks } from './tasks';

/**
 * The evidence backend plugin (plugin id `evidence`, routes under `/api/evidence`): evidence
 * store, change ledger, ingestion and read API, alias resolution and retention.
 *
 * @public
 */
export const evidencePlugin = createBackendPlugin({
  pluginId: 'evidence',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        auditor: coreServices.auditor,
        urlReader: coreServices.urlReader,
        catalog: catalogServiceRef,
        events: eventsServiceRef,
      },
      async init(deps) {
        const { config, logger, scheduler, catalog, auth, events } = deps;
        const options = readEvidenceOptions(config);
        // Checked before anything is created or scheduled: a mistake stops the start here.
        const collectorConfigs = readCollectorConfigs(config);
        const resolver = new AliasResolver(options.aliases);
        // The start-up credential redaction runs in the background; shutdown stops it after
        // its current batch and waits for that, so the database is not closed under it.
        const stopRedaction = new AbortController();
        const store = await EvidenceStore.create({
          database: deps.database,
          resolver,
          options,
          logger,
          signal: stopRedaction.signal,
        });
        deps.lifecycle.addShutdownHook(async () => {
          stopRedaction.abort();
          await store.credentialRedaction;
        });
        const reader = new EvidenceReader(store.db, resolver, options);
        deps.permissionsRegistry.addPermissions(evidencePermissions);

        // incident-brief computes risk from this event and PUTs it back (§3.5); the
        // evidence-risk-sweep task publishes the same event again for changes still without risk.
        store.onChangesCommitted(ids => events.publish(changesEvent(ids)));

        const aliases = new AliasMapRefresher({
          resolver,
          loadEntities: () => loadCatalogEntities(catalog, auth),
          logger,
        });
        // Each replica needs the map in memory, so this one task is local (§4.1).
        await scheduler.scheduleTask({
          id: 'evidence-aliases',
          scope: 'local',
          frequency: { seconds: 60 },
          timeout: { seconds: 55 },
          fn: signal => aliases.run(signal),
        });
        await scheduler.scheduleTask({
          id: 'evidence-resolve',
          scope: 'global',
          frequency: { seconds: 60 },
          timeout: { seconds: 55 },
          initialDelay: { seconds: 10 },
          fn: async () => {
            // Read first on whichever replica runs this: with a map up to a minute old it
            // would detach the evidence of an entity registered since, for every replica.
            await aliases.refresh();
            const updated = await store.reresolve();
            if (updated > 0)
              logger.info(`evidence re-resolved ${updated} rows`);
          },
        });
        await scheduler.scheduleTask({
          id: 'evidence-retention',
          scope: 'global',
          frequency: { cron: '0 3 * * *' },
          timeout: { minutes: 30 },
          fn: async () => {
            const report = await new RetentionRunner(
              store.db,
              options,
              resolver,
            ).run(new Date());
            logger.info(`evidence retention ${JSON.stringify(report)}`);
          },
        });

        // Derived evidence and maintenance (§4.1): ci.summary after CI-run writes and daily at
        // 00:10, and the risk sweep.
        await registerEvidenceTasks({ scheduler, logger, store, events });

        // Collectors write through the store, so pushed and collected evidence share one set
        // of write rules (natural keys, versions, clock).
        const collectors = await registerCollectors({
          scheduler,
          config,
          configs: collectorConfigs,
          logger,
          urlReader: deps.urlReader,
          catalog,
          auth,
          sink: store,
        });

        // Demo evidence (§7): seeded through the store once the demo catalog is mapped.
        const demo = new DemoEvidence({
          store,
          repository: new DemoRepository(store.db),
          resolver,
          logger: logger.child({ task: 'evidence-demo' }),
          healthSources: demoHealthSources(config),
        });
        await demo.start({ scheduler, lifecycle: deps.lifecycle });

        deps.httpRouter.use(
          await createRouter({
            store,
            reader,
            resolver,
            options,
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            auditor: deps.auditor,
            logger,
            demo,
            collectors: {
              ids: collectors,
              trigger: taskId => scheduler.triggerTask(taskId),
            },
          }),
        );
      },
    });
  },
});
