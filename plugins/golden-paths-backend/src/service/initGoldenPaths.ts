import {
  AuditorService,
  AuthService,
  DatabaseService,
  DiscoveryService,
  HttpAuthService,
  HttpRouterService,
  LoggerService,
  PermissionsRegistryService,
  PermissionsService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { ApprovalTriggerId } from '@internal/plugin-golden-paths-common';
import { GoldenPathsStore } from '../database/GoldenPathsStore';
import { goldenPathsPermissions } from '../permissions';
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
import { catalogGroupDirectory, GroupDirectory } from './groupDirectory';
import { KillSwitchService } from './killSwitches';
import { LifecycleGatesService, readLifecycleConfig } from './lifecycleGates';
import {
  httpLifecycleGatesSources,
  LifecycleGatesSources,
} from './lifecycleGatesSources';
import { createRouter } from './router';

/** Services the golden-paths backend is built from. */
export interface GoldenPathsDeps {
  config: RootConfigService;
  logger: LoggerService;
  database: DatabaseService;
  httpRouter: HttpRouterService;
  httpAuth: HttpAuthService;
  auth: AuthService;
  discovery: DiscoveryService;
  permissions: PermissionsService;
  permissionsRegistry: PermissionsRegistryService;
  scheduler: SchedulerService;
  auditor: AuditorService;
}

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
    routes[key as ApprovalTriggerId] = configured!
      .getStringArray(key)
      .map(r => r.toLowerCase());
  }
  return {
    expiresAfterDays: c?.getOptionalNumber('expiresAfterDays') ?? 7,
    routes,
    breakGlassGroup: (
      c?.getOptionalString('breakGlassGroup') ?? 'group:default/platform-team'
    ).toLowerCase(),
  };
}

/**
 * Wires the backend: migrations, permissions, the retention task and the router. `clock` and
 * `directory` exist for tests.
 */
export async function initGoldenPaths(
  deps: GoldenPathsDeps,
  overrides: {
    clock?: () => Date;
    directory?: GroupDirectory;
    lifecycle?: Partial<LifecycleGatesSources>;
    /** Catalog location removal for compensation; `null` lists locations for a human. */
    catalogLocations?: CatalogLocations | null;
  } = {},
) {
  const { config, logger } = deps;
  const clock = overrides.clock ?? (() => new Date());
  const store = await GoldenPathsStore.create(deps.database);
  const directory =
    overrides.directory ??
    catalogGroupDirectory({ discovery: deps.discovery, auth: deps.auth });
  const approvalsConfig = readApprovalsConfig(config);
  const approvals = new ApprovalService(store, approvalsConfig, directory);
  const lifecycleGates = new LifecycleGatesService(
    {
      ...httpLifecycleGatesSources({
        discovery: deps.discovery,
        auth: deps.auth,
      }),
      ...overrides.lifecycle,
    },
    readLifecycleConfig(config, approvalsConfig),
    logger,
  );
  const killSwitches = new KillSwitchService(config, store);
  const ledger = config.getOptionalConfig('goldenPaths.ledger');
  const leaseMs = (ledger?.getOptionalNumber('leaseMinutes') ?? 15) * 60_000;
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
        ledger?.getOptionalNumber('retainSucceededDays') ?? 90,
        ledger?.getOptionalNumber('retainEventsDays') ?? 400,
      );
      logger.info(`golden-paths retention ${JSON.stringify(pruned)}`);
    },
  });

  deps.httpRouter.use(
    await createRouter({
      store,
      approvals,
      killSwitches,
      lifecycleGates,
      compensation,
      directory,
      httpAuth: deps.httpAuth,
      permissions: deps.permissions,
      auditor: deps.auditor,
      logger,
      clock,
      leaseMs,
      ledgerWriters: ledger?.getOptionalStringArray('writers') ?? [
        'plugin:scaffolder',
      ],
    }),
  );
  return { store, approvals, killSwitches, compensation };
}
