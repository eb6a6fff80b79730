import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import type { EvidenceService } from '@internal/plugin-evidence-node';
import { CompiledStandard } from '@internal/plugin-scorecards-common';
import { CatalogSnapshot } from '../evaluation/CatalogSnapshot';
import { linkTypesOfStandard } from './collectLinkTargets';
import { LinkChecker } from './LinkChecker';
import { readLinkCheckConfig } from './linkCheckConfig';

/** Id of the scheduled task. */
export const LINK_CHECK_TASK_ID = 'scorecards-link-check';

/**
 * Reads `scorecards.linkCheck` (an invalid value stops startup, naming the key) and schedules
 * the link checker once across replicas (`scope: 'global'`) every `interval`, on the backend's
 * catalog snapshot (re-read when older than the catalog freshness window). Without allowed hosts
 * nothing is scheduled and that is logged once. A run is given at most an hour; when the
 * scheduler aborts it, the URLs checked so far are written and the rest wait for the next run.
 */
export async function scheduleLinkCheck(deps: {
  config: Config;
  standard: CompiledStandard;
  snapshot: CatalogSnapshot;
  evidence: Pick<EvidenceService, 'writeFacts'>;
  scheduler: SchedulerService;
  logger: LoggerService;
  clock?: () => Date;
}): Promise<LinkChecker> {
  const { scheduler, logger, standard, snapshot } = deps;
  const config = readLinkCheckConfig(deps.config);
  const checker = new LinkChecker({
    config,
    linkTypes: linkTypesOfStandard(standard),
    entities: async () =>
      (await snapshot.getFresh(standard.config.catalogFreshForSeconds))
        .entities,
    evidence: deps.evidence,
    logger,
    clock: deps.clock,
  });
  if (!checker.enabled) {
    await checker.run(); // logs once that the checker is disabled
    return checker;
  }
  await scheduler.scheduleTask({
    id: LINK_CHECK_TASK_ID,
    scope: 'global',
    frequency: config.interval,
    timeout: { hours: 1 },
    initialDelay: { minutes: 2 },
    fn: async signal => {
      await checker.run(signal);
    },
  });
  logger.info(
    `scorecards link checker: scheduled every ${JSON.stringify(
      config.interval,
    )} for ${config.allowedHosts.size} allowed host pattern(s)`,
  );
  return checker;
}
