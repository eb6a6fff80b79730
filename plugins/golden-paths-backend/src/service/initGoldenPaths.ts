import { coreServices, RootConfigService } from '@backstage/backend-plugin-api';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  approvalTriggerOf,
  goldenPathsPermissions,
  type ApprovalTriggerId,
} from '@internal/plugin-golden-paths-common';
import {
  GoldenPathsStore,
  type RequestRecord,
} from '../database/GoldenPathsStore';
import { AuditRecord, auditEventOf, emitAuditorEvent } from './audit';
import {
  ApprovalService,
  ApprovalsConfig,
  DEFAULT_APPROVAL_ROUTES,
} from './approvals';
import {
  CatalogLocations,
  httpCatalogLocations,
} from './compensation/catalogLocations';
import { CompensationService } from './compensation/CompensationService';
import {
  catalogGroupDirectory,
  GroupDirectory,
  readGroupDirectoryTimeoutMs,
} from './groupDirectory';
import { KillSwitchService } from './killSwitches';
import { LifecycleGatesService, readLifecycleConfig } from './lifecycleGates';
import { storeLifecycleLedger } from './lifecycleLedger';
import {
  httpLifecycleCatalog,
  httpLifecycleGatesSources,
  LifecycleGatesSources,
} from './lifecycleGatesSources';
import {
  catalogObserver,
  localRepositoryObserver,
  ReconcilerObservers,
} from './reconciler/observers';
import { Reconciler } from './reconciler/Reconciler';
import { localPostgresObserver } from './reconciler/localPostgresObserver';
import { readConfigNumber } from '@internal/suite-node';
import { createRouter } from './router';
import {
  catalogTemplateSteps,
  LastDryRunService,
  TemplateSteps,
} from './dryRuns/lastDryRun';
import {
  goldenPathsNotifier,
  GoldenPathsNotifier,
} from './notifications/notifier';
import { refKey } from '../refKey';

/**
 * The services the golden-paths backend is built from: the plugin registers with these, and the
 * router tests start `initGoldenPaths` with the same ones.
 */
export const goldenPathsServiceRefs = {
  config: coreServices.rootConfig,
  logger: coreServices.logger,
  database: coreServices.database,
  httpRouter: coreServices.httpRouter,
  httpAuth: coreServices.httpAuth,
  auth: coreServices.auth,
  discovery: coreServices.discovery,
  permissions: coreServices.permissions,
  permissionsRegistry: coreServices.permissionsRegistry,
  scheduler: coreServices.scheduler,
  auditor: coreServices.auditor,
  notifications: notificationService,
};

/** Services the golden-paths backend is built from. */
export type GoldenPathsDeps = {
  [K in keyof typeof goldenPathsServiceRefs]: (typeof goldenPathsServiceRefs)[K]['T'];
};

/** `goldenPaths.approvals` with the note's defaults (§6.1, §6.2, §9). */
export function readApprovalsConfig(
  config: RootConfigService,
): ApprovalsConfig {
  const c = config.getOptionalConfig('goldenPaths.approvals');
  const routes = { ...DEFAULT_APPROVAL_ROUTES } as Record<
    ApprovalTriggerId,
    readonly string[]
  >;
  const configured = c?.getOptionalConfig('routes');
  for (const key of configured?.keys() ?? []) {
    approvalTriggerOf(key, 'goldenPaths.approvals.routes');
    const groups = configured!.getStringArray(key).map(refKey);
    // An approval routed to nobody has no decision left to wait for: it would be approved the
    // moment it opened. Refused at start-up rather than failing open.
    if (groups.length === 0) {
      throw new Error(
        `goldenPaths.approvals.routes.${key} must name at least one group: an approval of this trigger would otherwise be decided by nobody`,
      );
    }
    routes[key as ApprovalTriggerId] = groups;
  }
  return {
    // 0 or less expires every approval as it opens (no gated request could proceed); past
    // ten years the expiry is no date and every approval route answers 500
    expiresAfterDays: readConfigNumber(
      config,
      'goldenPaths.approvals.expiresAfterDays',
      7,
      { above: 0, max: 3650 },
    ),
    routes,
    breakGlassGroup: refKey(
      c?.getOptionalString('breakGlassGroup') ?? 'group:default/platform-team',
    ),
  };
}

/** `goldenPaths.reconciler` (§8 step 4): on by default, every 10 minutes (`ours`). */
export function readReconcilerConfig(config: RootConfigService): {
  enabled: boolean;
  frequencyMinutes: number;
  timeoutMinutes: number;
} {
  const c = config.getOptionalConfig('goldenPaths.reconciler');
  const minutes = (key: string, fallback: number) => {
    const value = c?.getOptionalNumber(key) ?? fallback;
    if (!Number.isFinite(value) || value <= 0) {
      throw new Error(
        `goldenPaths.reconciler.${key} must be a positive number of minutes (got ${value})`,
      );
    }
    return value;
  };
  const frequencyMinutes = minutes('frequencyMinutes', 10);
  return {
    enabled: c?.getOptionalBoolean('enabled') ?? true,
    frequencyMinutes,
    timeoutMinutes: minutes('timeoutMinutes', frequencyMinutes),
  };
}

/** What tests replace in the wiring of `initGoldenPaths`. */
export interface GoldenPathsOverrides {
  clock?: () => Date;
  directory?: GroupDirectory;
  lifecycle?: Partial<LifecycleGatesSources>;
  /** Catalog location removal for compensation; `null` lists locations for a human. */
  catalogLocations?: CatalogLocations | null;
  /** How the reconciler observes reality (§8 step 4). */
  reconciler?: Partial<ReconcilerObservers>;
  /** Where notifications go (default: the notifications service). */
  notify?: GoldenPathsNotifier;
  /** Template entities with their steps: what an action switch covers (default: the catalog). */
  templateSteps?: TemplateSteps;
}

/**
 * Wires the backend: migrations, permissions, the retention and reconciler tasks and the router.
 * `clock`, `directory` and the observers exist for tests.
 */
export async function initGoldenPaths(
  deps: GoldenPathsDeps,
  overrides: GoldenPathsOverrides = {},
) {
  const { config, logger } = deps;
  const clock = overrides.clock ?? (() => new Date());
  const store = await GoldenPathsStore.create(deps.database);
  // read (and refused if invalid) whichever directory the tests hand in
  const directoryTimeoutMs = readGroupDirectoryTimeoutMs(config);
  const directory =
    overrides.directory ??
    catalogGroupDirectory({
      discovery: deps.discovery,
      auth: deps.auth,
      timeoutMs: directoryTimeoutMs,
    });
  const notify =
    overrides.notify ??
    goldenPathsNotifier({ notifications: deps.notifications, logger });
  const approvalsConfig = readApprovalsConfig(config);
  const approvals = new ApprovalService(store, approvalsConfig, directory);
  const lifecycleGates = new LifecycleGatesService(
    {
      ...httpLifecycleGatesSources({
        discovery: deps.discovery,
        auth: deps.auth,
      }),
      ledger: storeLifecycleLedger(store),
      ...overrides.lifecycle,
    },
    readLifecycleConfig(config, approvalsConfig),
    logger,
  );
  const killSwitches = new KillSwitchService(config, store);
  const ledger = config.getOptionalConfig('goldenPaths.ledger');
  const ledgerNumber = (key: string, fallback: number) =>
    readConfigNumber(config, `goldenPaths.ledger.${key}`, fallback, {
      above: 0,
    });
  const leaseMs = ledgerNumber('leaseMinutes', 15) * 60_000;
  // Read at start-up, not inside the daily task: a zero or negative value would delete every
  // audit event or succeeded request, and a typo would fail the task every day unseen.
  const retainSucceededDays = ledgerNumber('retainSucceededDays', 90);
  const retainEventsDays = ledgerNumber('retainEventsDays', 400);
  const catalogLocations =
    overrides.catalogLocations === undefined
      ? httpCatalogLocations({ discovery: deps.discovery, auth: deps.auth })
      : overrides.catalogLocations ?? undefined;
  const compensation = new CompensationService({
    store,
    config,
    logger,
    leaseMs,
    catalogLocations,
  });
  deps.permissionsRegistry.addPermissions(goldenPathsPermissions);

  await deps.scheduler.scheduleTask({
    id: 'golden-paths-retention',
    scope: 'global',
    frequency: { hours: 24 },
    timeout: { minutes: 10 },
    initialDelay: { minutes: 5 },
    fn: async () => {
      const pruned = await store.prune(
        clock().toISOString(),
        retainSucceededDays,
        retainEventsDays,
      );
      logger.info(`golden-paths retention ${JSON.stringify(pruned)}`);
    },
  });

  // §4.9 ledger:close: a request whose task died with its process stays `running` until the
  // backend marks it on lease expiry (one lease later, so a task slow to close is not raced).
  await deps.scheduler.scheduleTask({
    id: 'golden-paths-expired-leases',
    scope: 'global',
    frequency: { minutes: 5 },
    timeout: { minutes: 4 },
    initialDelay: { minutes: 2 },
    fn: async () => {
      const at = clock().toISOString();
      const audit = (request: RequestRecord): AuditRecord => ({
        eventId: 'golden-path-step',
        severity: 'medium',
        at,
        requestKey: request.requestKey,
        record: {
          action: 'goldenpath:ledger:close',
          stepId: 'ledger-close',
          taskId: request.leaseTaskId ?? null,
          fingerprint: request.fingerprint,
          result: 'failed',
          errorCode: 'lease-expired',
          via: 'lease-expiry',
        },
      });
      const failed = await store.failExpiredLeases(at, leaseMs, request =>
        auditEventOf(audit(request)),
      );
      for (const request of failed) {
        await emitAuditorEvent(deps.auditor, audit(request));
      }
      if (failed.length > 0) {
        logger.info(
          `golden-paths: ${
            failed.length
          } requests whose task stopped without closing them are failed (lease expired): ${failed
            .map(r => r.requestKey)
            .join(', ')}`,
        );
      }
    },
  });

  // Approvals an instance on code older than gp_approval_routes opened and decided during a
  // rolling upgrade get their route rows here; the inbox repairs only pending ones itself.
  await deps.scheduler.scheduleTask({
    id: 'golden-paths-approval-routes',
    scope: 'global',
    frequency: { minutes: 10 },
    timeout: { minutes: 5 },
    initialDelay: { minutes: 1 },
    fn: async () => {
      const repaired = await store.repairMissingRoutes();
      if (repaired > 0) {
        logger.info(
          `golden-paths: wrote the inbox routes of ${repaired} approvals stored without them`,
        );
      }
    },
  });

  // the provisioner's own admin connection, shared with the scaffolder module (§8 step 4)
  const databaseConnection = config.getOptionalString(
    'goldenPaths.database.local.connection',
  );
  const reconciler = new Reconciler({
    store,
    observers: {
      repositories: localRepositoryObserver(),
      catalog: catalogObserver(
        // A background task reading 100 refs a batch: more time than a request's gate reads.
        httpLifecycleCatalog({
          discovery: deps.discovery,
          auth: deps.auth,
          timeoutMs: 10_000,
        }),
      ),
      ...(databaseConnection
        ? { databases: localPostgresObserver(databaseConnection) }
        : {}),
      ...overrides.reconciler,
    },
    auditor: deps.auditor,
    logger,
    localRoot: () => compensation.localRoot(),
    notify,
  });
  const reconcilerConfig = readReconcilerConfig(config);
  if (reconcilerConfig.enabled) {
    // One runner across replicas (`global`); a run that outlives its timeout is aborted between
    // requests and the next run starts over (drift is recorded per request as it goes).
    await deps.scheduler.scheduleTask({
      id: 'golden-paths-reconciler',
      scope: 'global',
      frequency: { minutes: reconcilerConfig.frequencyMinutes },
      timeout: { minutes: reconcilerConfig.timeoutMinutes },
      initialDelay: { minutes: 1 },
      fn: async signal => {
        await reconciler.run(clock().toISOString(), signal);
      },
    });
  } else {
    logger.info(
      'golden-paths reconciler is disabled (goldenPaths.reconciler.enabled: false)',
    );
  }

  // One cached read for the lift dialog's coverage and ledger:open's action switches (§4.7).
  const templateSteps =
    overrides.templateSteps ??
    catalogTemplateSteps({ discovery: deps.discovery, auth: deps.auth });
  deps.httpRouter.use(
    await createRouter({
      store,
      approvals,
      killSwitches,
      lifecycleGates,
      compensation,
      lastDryRuns: new LastDryRunService({
        db: store.db,
        killSwitches,
        templateSteps,
      }),
      templateSteps,
      directory,
      httpAuth: deps.httpAuth,
      permissions: deps.permissions,
      auditor: deps.auditor,
      logger,
      notify,
      clock,
      leaseMs,
      ledgerWriters: ledger?.getOptionalStringArray('writers') ?? [
        'plugin:scaffolder',
      ],
    }),
  );
  return { store, approvals, killSwitches, compensation, reconciler };
}
