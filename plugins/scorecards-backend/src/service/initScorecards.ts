import {
  AuditorService,
  AuthService,
  DatabaseService,
  HttpAuthService,
  HttpRouterService,
  LoggerService,
  PermissionsRegistryService,
  PermissionsService,
  RootConfigService,
  SchedulerService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import type { EvidenceService } from '@internal/plugin-evidence-node';
import {
  CheckTypeRegistry,
  scorecardsPermissions,
} from '@internal/plugin-scorecards-common';
import { ScorecardsStore } from '../database/ScorecardsStore';
import { CatalogSnapshot } from '../evaluation/CatalogSnapshot';
import { ScorecardsEvaluator } from '../evaluation/ScorecardsEvaluator';
import { loadConfiguredStandard } from '@internal/plugin-scorecards-node';
import type { ScorecardsResultsHandoff } from '@internal/plugin-scorecards-node';
import {
  scorecardsCheckResourceRef,
  scorecardsCheckRules,
} from '../permissions/checkRules';
import { FailureLog } from '@internal/suite-node';
import { createRouter } from './router';
import { createResultsIntake } from './internalResultsRouter';
import { readGatesConfig } from './gatesConfig';
import { seedDemoCampaigns } from '../demo/demoCampaigns';
import { seedDemoWaivers } from '../demo/demoWaivers';
import { DailyHistory } from '../history/dailyHistory';
import { readHistoryConfig } from '../history/historyConfig';
import { scheduleLinkCheck } from '../linkCheck/scheduleLinkCheck';
import { rollupExpiringWithinDays } from './waiverExpiryWarning';

/** The local task that keeps the catalog copy of evaluations on request fresh. */
export const SNAPSHOT_REFRESH_TASK_ID = 'scorecards-catalog-snapshot';

/** Services the scorecards backend is built from. */
export interface ScorecardsDeps {
  config: RootConfigService;
  logger: LoggerService;
  database: DatabaseService;
  httpRouter: HttpRouterService;
  httpAuth: HttpAuthService;
  auth: AuthService;
  permissions: PermissionsService;
  permissionsRegistry: PermissionsRegistryService;
  userInfo: UserInfoService;
  scheduler: SchedulerService;
  auditor: AuditorService;
  catalog: CatalogService;
  evidence: EvidenceService;
  /** Built-in plus custom check types (scorecardsCheckTypesExtensionPoint); default built-ins. */
  checkTypes?: CheckTypeRegistry;
  /**
   * This process's results handoff (scorecards-node): given, the intake of
   * `POST /internal/results` is registered there, so a catalog module in this process hands
   * its result sets over without HTTP.
   */
  resultsHandoff?: ScorecardsResultsHandoff;
}

/**
 * Wires the backend: standard (loaded once, startup fails on errors), migrations, permission
 * resource type, the scheduled evaluation pass and the router. `clock` exists for tests.
 */
export async function initScorecards(
  deps: ScorecardsDeps,
  clock: () => Date = () => new Date(),
) {
  const { config, logger } = deps;
  const standard = loadConfiguredStandard(config, {
    registry: deps.checkTypes,
    logger,
  });
  const gates = readGatesConfig(config);
  const historyConfig = readHistoryConfig(config);
  const store = await ScorecardsStore.create(deps.database, {
    departedGraceMs: historyConfig.departedGraceMs,
  });
  const snapshot = new CatalogSnapshot({
    catalog: deps.catalog,
    auth: deps.auth,
    clock,
  });
  const evaluator = new ScorecardsEvaluator({
    standard,
    evidence: deps.evidence,
    snapshot,
    store,
    logger,
    history: { settleMs: historyConfig.settleMs },
  });

  deps.permissionsRegistry.addPermissions(scorecardsPermissions);
  deps.permissionsRegistry.addResourceType({
    resourceRef: scorecardsCheckResourceRef,
    permissions: scorecardsPermissions,
    rules: Object.values(scorecardsCheckRules),
    getResources: async ids =>
      ids.map(id => {
        const check = standard.byId.get(id);
        return check
          ? {
              id: check.id,
              class: check.class,
              severity: check.severity,
              owner: check.definition.owner,
              callerOwnershipRefs: [],
            }
          : undefined;
      }),
  });

  if (config.getOptionalBoolean('scorecards.demo.waivers')) {
    const seeded = await seedDemoWaivers(store, clock());
    if (seeded > 0) logger.info(`scorecards: seeded ${seeded} demo waiver(s)`);
  }
  if (config.getOptionalBoolean('scorecards.demo.campaigns')) {
    const seeded = await seedDemoCampaigns(store, clock());
    if (seeded > 0)
      logger.info(`scorecards: seeded ${seeded} demo campaign(s)`);
  }

  const dailyHistory = new DailyHistory({
    store,
    catalog: () =>
      snapshot.getFresh(standard.config.catalogFreshForSeconds / 2),
    config: historyConfig,
    logger,
    // The same window as GET /rollups, so a snapshot row matches the live one.
    expiringWithinDays: rollupExpiringWithinDays(standard.config),
    definedChecks: standard.byId,
  });

  // One runner across replicas: history rows must be written once (§2.10).
  await deps.scheduler.scheduleTask({
    id: 'scorecards-evaluate',
    scope: 'global',
    frequency: { minutes: 10 },
    timeout: { minutes: 9 },
    initialDelay: { seconds: 30 },
    fn: async () => {
      const report = await evaluator.runPass(clock().toISOString());
      logger.info(`scorecards evaluation pass ${JSON.stringify(report)}`);
      // Today's rollup snapshot, the state after this pass (the next day's 00:05 run closes it).
      await dailyHistory
        .afterPass(clock().toISOString())
        .catch(e =>
          logger.warn(`scorecards: today's rollup snapshot failed: ${e}`),
        );
    },
  });
  // The catalog copy evaluations on request read is at most 60 s old (router); kept younger
  // than that on every replica, so a card or a deploy gate rarely waits for a full read of the
  // catalog (a copy a request refreshed in the last 30 s is not read again).
  const snapshotFailures = new FailureLog(logger);
  await deps.scheduler.scheduleTask({
    id: SNAPSHOT_REFRESH_TASK_ID,
    scope: 'local',
    frequency: { seconds: 45 },
    timeout: { seconds: 40 },
    initialDelay: { seconds: 45 },
    fn: async () => {
      // every 45 s while the catalog is down: warned when it starts and every 10 min
      await snapshot.getFresh(30).then(
        () =>
          snapshotFailures.recovered(
            'snapshot-refresh',
            'scorecards: catalog snapshot refresh works again',
          ),
        e =>
          snapshotFailures.failed(
            'snapshot-refresh',
            `scorecards: catalog snapshot refresh failed: ${e}`,
          ),
      );
    },
  });
  // Rollup snapshots at 00:05 UTC and retention of history (§2.10), global.
  await dailyHistory.schedule(deps.scheduler, clock);
  // link.status facts of runbook and dashboard links (§2.5), global, daily by default.
  await scheduleLinkCheck({ ...deps, standard, snapshot, clock });

  deps.httpRouter.use(
    await createRouter({
      store,
      evaluator,
      snapshot,
      httpAuth: deps.httpAuth,
      permissions: deps.permissions,
      permissionsRegistry: deps.permissionsRegistry,
      userInfo: deps.userInfo,
      auditor: deps.auditor,
      logger,
      clock,
      gates,
    }),
  );
  // The catalog module of this process hands its result sets to the same intake as
  // `POST /internal/results`, as objects (no JSON, no HTTP; §7.5).
  if (deps.resultsHandoff) {
    const intake = createResultsIntake({ store, evaluator, logger, clock });
    deps.resultsHandoff.setReceiver(sets => intake({ results: sets }, false));
  }
  logger.info(
    `scorecards: scoring against ${standard.id}@${standard.version} (${standard.checks.length} checks)`,
  );
  return { store, evaluator, snapshot, dailyHistory };
}
