import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { evidenceServiceRef } from '@internal/plugin-evidence-node';
import {
  FailureLog,
  readConfigDuration,
  untilAborted,
} from '@internal/suite-node';
import { CatalogSnapshotCache } from './catalog/CatalogSnapshotCache';
import { AwaitedRefsRefresher } from './catalog/AwaitedRefsRefresher';
import { ScorecardsProcessor } from './processor/ScorecardsProcessor';
import {
  CheckTypeCollector,
  EvidenceMirror,
  loadConfiguredStandard,
  scorecardsCatalogCheckTypesExtensionPoint,
  scorecardsResultsHandoffServiceRef,
} from '@internal/plugin-scorecards-node';
import { durationToMilliseconds } from '@backstage/types';
import { EvaluationReuse } from './processor/EvaluationReuse';
import { ActiveWaiverCache } from './waivers/ActiveWaiverCache';
import { ResultsPublisher } from './results/ResultsPublisher';
import { ledgerNeedsOf } from '@internal/plugin-scorecards-common';

/**
 * A duration of `scorecards.processor`: zero only where it means something (`allowZero`), never
 * negative. A zero task interval would run the task back to back.
 */
function interval(
  config: Config,
  key: string,
  fallbackSeconds: number,
  allowZero = false,
) {
  return readConfigDuration(
    config,
    key,
    { seconds: fallbackSeconds },
    { allowZero },
  );
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
    // Custom check types (added by modules built with createScorecardsCheckTypesModules).
    const checkTypes = new CheckTypeCollector();
    env.registerExtensionPoint(
      scorecardsCatalogCheckTypesExtensionPoint,
      checkTypes,
    );
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
        lifecycle: coreServices.lifecycle,
        resultsHandoff: scorecardsResultsHandoffServiceRef,
      },
      async init(deps) {
        const { processing, config, logger, scheduler } = deps;
        // Fails startup with every problem named by file, check and field (§2.2).
        const standard = loadConfiguredStandard(config, {
          registry: checkTypes.registry(),
          logger,
          // Warns about repo-file paths the evidence store never collects (evidence §4.2).
          repoPaths: deps.evidence.collectedRepoPaths(),
        });
        logger.info(
          `scorecards: scoring against ${standard.id}@${standard.version} (${standard.checks.length} checks)`,
        );
        // Entities scored before an entity they name existed are processed again when it
        // arrives, not a catalog loop later (an import: a Component before its System).
        const awaitReferences =
          config.getOptionalBoolean(
            'scorecards.processor.reprocessOnArrival',
          ) ?? true;
        const refresher = awaitReferences
          ? new AwaitedRefsRefresher({ logger })
          : undefined;
        if (refresher) {
          processing.addEntityProvider(refresher);
          deps.lifecycle.addShutdownHook(() => refresher.stop());
        }
        const snapshot = new CatalogSnapshotCache({
          catalog: deps.catalog,
          auth: deps.auth,
          fullReadEveryMs: durationToMilliseconds(
            interval(
              config,
              'scorecards.processor.snapshotFullReadInterval',
              600,
              true,
            ),
          ),
          ...(refresher ? { onArrival: refs => refresher.arrived(refs) } : {}),
        });
        const waivers = ActiveWaiverCache.fromBackend({
          discovery: deps.discovery,
          auth: deps.auth,
          logger,
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
          // At the timeout the run stops waiting (`untilAborted`), so a read that hangs does not
          // hold every later refresh; one answering after a later refresh applied is dropped.
          fn: async signal => {
            try {
              await untilAborted(snapshot.refresh(), signal);
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
          fn: async signal => {
            try {
              await untilAborted(waivers.refresh(), signal);
            } catch (e) {
              logger.warn(
                `scorecards: reading active waivers failed, keeping the previous list: ${
                  (e as Error).message
                }`,
              );
            }
          },
        });
        // Evidence is mirrored locally in bulk so processing never waits on a read per entity;
        // an evidence service without the change feed keeps the per-entity reads.
        // Read whether or not the mirror runs: a wrong value fails start-up, not a later one.
        const evidenceInterval = interval(
          config,
          'scorecards.processor.evidenceInterval',
          5,
        );
        const mirror = EvidenceMirror.isSupportedBy(deps.evidence)
          ? new EvidenceMirror({
              evidence: deps.evidence,
              config: standard.config,
              // the few newest records of each ledger the checks read, not its whole history
              ledgerNeeds: ledgerNeedsOf(standard),
            })
          : undefined;
        if (mirror) {
          // The task runs every few seconds: an outage is logged as it starts and every ten
          // minutes, not on every run.
          const mirrorFailures = new FailureLog(logger);
          let mirrorAnswers = false;
          await scheduler.scheduleTask({
            id: 'scorecards-evidence-mirror',
            scope: 'local',
            frequency: evidenceInterval,
            timeout: { minutes: 2 },
            fn: async signal => {
              try {
                const { full, refs, ledgers, overtaken } = await untilAborted(
                  mirror.refresh(),
                  signal,
                );
                mirrorFailures.recovered(
                  'refresh',
                  'scorecards: evidence mirror refreshed again',
                );
                // What the mirror reads as an outage now, not what this refresh found: a ref
                // whose ledger timed out stays so until a later round reads it.
                const unreadable = mirror.unreadable;
                if (unreadable.length > 0) {
                  mirrorFailures.failed(
                    'unconvertible',
                    `scorecards: evidence of ${
                      unreadable.length
                    } entities could not be read (a shape the mirror cannot convert, or a ledger the evidence store cannot answer in time); they read as an evidence outage (unknown) until it can be (${unreadable
                      .slice(0, 5)
                      .join(', ')}${unreadable.length > 5 ? ', …' : ''})`,
                  );
                } else {
                  mirrorFailures.recovered(
                    'unconvertible',
                    'scorecards: the evidence of every entity could be read again',
                  );
                }
                if (ledgers?.failure) {
                  mirrorFailures.failed(
                    'ledgers',
                    `scorecards: reading ledgers for the evidence mirror failed (${
                      ledgers.failure
                    }); ${
                      ledgers.left > 0
                        ? `the ledgers of ${ledgers.left} entities are read from the next refresh on`
                        : 'every other ledger of the round was read'
                    }${
                      mirror.loaded
                        ? ''
                        : '; until then evaluations read evidence through the evidence client'
                    }`,
                  );
                } else if (ledgers) {
                  mirrorFailures.recovered(
                    'ledgers',
                    'scorecards: the evidence mirror reads ledgers again',
                  );
                }
                if (!mirrorAnswers && mirror.loaded) {
                  mirrorAnswers = true;
                  logger.info(
                    'scorecards: evidence mirror answers from memory (its first round of ledgers is read)',
                  );
                }
                // An overtaken read applied nothing: "loaded (0 entities)" would be untrue.
                if (full && !overtaken) {
                  logger.info(
                    `scorecards: evidence mirror loaded (${refs} entities with evidence${
                      mirror.loaded ? '' : ', their ledgers still being read'
                    })`,
                  );
                }
              } catch (e) {
                mirrorFailures.failed(
                  'refresh',
                  `scorecards: evidence mirror refresh failed: ${
                    (e as Error).message
                  }; evaluations use what it holds for up to 2 min after its last refresh, then read as an evidence outage (unknown)`,
                );
              }
            },
          });
        }
        // Result sets go to the scorecards backend's history as they change (§7.5).
        const publishResults =
          config.getOptionalBoolean('scorecards.processor.publishResults') ??
          true;
        const results = publishResults
          ? new ResultsPublisher({
              discovery: deps.discovery,
              auth: deps.auth,
              logger,
              // Handed over as objects when the scorecards backend runs in this process.
              handoff: deps.resultsHandoff,
              // The wire form by default: the backend restores what the standard holds (and
              // the publisher falls back to full sets if the backend lacks the route).
              ...(config.getOptionalBoolean(
                'scorecards.processor.compactResults',
              ) ?? true
                ? { standard }
                : {}),
            })
          : undefined;
        if (results) {
          results.start();
          deps.lifecycle.addShutdownHook(() => results.shutdown());
        }
        const reuseForMs = durationToMilliseconds(
          interval(config, 'scorecards.processor.reuseFor', 3600, true),
        );
        processing.addProcessor(
          new ScorecardsProcessor({
            standard,
            evidence: deps.evidence,
            catalog: () => snapshot.current(),
            noteProcessed: entity => snapshot.noteProcessed(entity),
            waivers: () => waivers.current(),
            logger,
            mirror,
            versions: { waivers: () => waivers.version() },
            catalogChanges: snapshot,
            reuse: new EvaluationReuse({
              reuseForMs,
              catalogFreshForMs: standard.config.catalogFreshForSeconds * 1000,
            }),
            results,
            awaitReferences,
          }),
        );
      },
    });
  },
});
