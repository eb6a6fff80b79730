import type { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import {
  AuditorService,
  coreServices,
  createBackendPlugin,
  createServiceFactory,
  PermissionsService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/types';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { GoldenPathsStore } from '../database/GoldenPathsStore';
import { staticTemplateSteps } from '../service/dryRuns/lastDryRun';
import { staticGroupDirectory } from '../service/groupDirectory';
import {
  goldenPathsServiceRefs,
  GoldenPathsOverrides,
  initGoldenPaths,
} from '../service/initGoldenPaths';

/** The time of the suite: the test clock starts here. */
export const T = '2026-11-23T10:00:00.000Z';

/** The databases the golden-paths tests run on (those available without Docker). */
export function goldenPathsTestDatabases(): TestDatabases {
  return TestDatabases.create({
    ids: ['POSTGRES_15', 'SQLITE_3'],
    disableDocker: true,
  });
}

/** A service token for golden-paths on behalf of `subject`, e.g. `plugin:scaffolder`. */
export const serviceHeader = (subject: string) =>
  mockCredentials.service.header({
    onBehalfOf: mockCredentials.service(subject),
    targetPluginId: 'golden-paths',
  });

/** The scaffolder, the only writer of the ledger by default (`goldenPaths.ledger.writers`). */
export const scaffolder = serviceHeader('plugin:scaffolder');
/** A platform-team member: every golden-paths permission in the router tests. */
export const fatima = mockCredentials.user.header('user:default/fatima.haddad');
/** A security-team member whose permissions each test decides. */
export const mallory = mockCredentials.user.header('user:default/mallory');

/**
 * A permissions service that allows what `allowed` says for the calling user (undefined for a
 * service) and the permission's name; conditional decisions are always denied.
 */
export function permissionsWhere(
  allowed: (user: string | undefined, permission: string) => boolean,
): PermissionsService {
  return {
    async authorize(requests, { credentials }) {
      const user = (credentials.principal as { userEntityRef?: string })
        .userEntityRef;
      return requests.map(r => ({
        result: allowed(user, r.permission.name)
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      }));
    },
    async authorizeConditional(requests) {
      return requests.map(() => ({ result: AuthorizeResult.DENY }));
    },
  };
}

/** Everything allowed, but mallory may only read requests: not compensate (nor repair) them. */
export const malloryMayNotCompensate = permissionsWhere(
  (user, permission) =>
    user !== 'user:default/mallory' ||
    permission !== 'goldenpaths.request.compensate',
);

/** What a router test started, and the handles it steers and inspects the backend with. */
export interface GoldenPathsTestBackend {
  server: TestBackend['server'];
  stop: () => Promise<void>;
  store: GoldenPathsStore;
  /** The plugin's scheduler: its tasks are not run at startup; trigger them by id. */
  scheduler: SchedulerService;
  /** What `initGoldenPaths` reads the time from; starts at `T`, tests move it. */
  clock: { now: Date };
  /** Notifications the backend sent (unless `overrides.notify` replaces the recorder). */
  notifications: NotificationSendOptions[];
  /** Replaces the `goldenPaths` config, as a reloaded config source does in a running backend. */
  reloadConfig: (goldenPaths: JsonObject) => void;
}

/**
 * The golden-paths backend as the router tests run it: `initGoldenPaths` with the plugin's own
 * services (`goldenPathsServiceRefs`) inside `startTestBackend`, on the test's database, with
 * scheduled tasks not run at startup, requests without a token unauthenticated, `goldenPaths`
 * config from the test, and a movable clock, an empty group directory and no template steps
 * (the catalog's) unless `overrides` says otherwise.
 */
export async function startGoldenPathsTestBackend(options: {
  databases: TestDatabases;
  databaseId: TestDatabaseId;
  goldenPaths?: JsonObject;
  /** Replaces the permissions service (default: the one of `startTestBackend`). */
  permissions?: PermissionsService;
  /** Replaces the auditor (default: the one of `startTestBackend`), e.g. to see its events. */
  auditor?: AuditorService;
  overrides?: GoldenPathsOverrides;
}): Promise<GoldenPathsTestBackend> {
  const knex = await options.databases.init(options.databaseId);
  const clock = { now: new Date(T) };
  const notifications: NotificationSendOptions[] = [];
  let store: GoldenPathsStore | undefined;
  let scheduler: SchedulerService | undefined;
  const testPlugin = createBackendPlugin({
    pluginId: 'golden-paths',
    register(env) {
      env.registerInit({
        deps: goldenPathsServiceRefs,
        async init(deps) {
          scheduler = deps.scheduler;
          ({ store } = await initGoldenPaths(deps, {
            clock: () => clock.now,
            directory: staticGroupDirectory([]),
            notify: async sent => {
              notifications.push(sent);
              return true;
            },
            // no catalog runs beside the test backend: the repository's golden paths by name,
            // without steps (no action switch covers a template)
            templateSteps: staticTemplateSteps(
              [
                'service-node-http',
                'worker-node',
                'postgres-database',
                'lifecycle-transition',
              ].map(name => ({ metadata: { name } })),
            ),
            ...options.overrides,
          }));
        },
      });
    },
  });
  // the live root config, kept so a test can reload it
  const rootConfig = mockServices.rootConfig({
    data: { goldenPaths: options.goldenPaths ?? {} },
  });
  const backend = await startTestBackend({
    features: [
      testPlugin,
      mockServices.database.factory({ knex }),
      mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
      // Requests without a token are unauthenticated (the default would be a mock user).
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      createServiceFactory({
        service: coreServices.rootConfig,
        deps: {},
        factory: () => rootConfig,
      }),
      ...(options.permissions
        ? [mockServices.permissions.mock(options.permissions).factory]
        : []),
      ...(options.auditor
        ? [mockServices.auditor.mock(options.auditor).factory]
        : []),
    ],
  });
  return {
    server: backend.server,
    stop: () => backend.stop(),
    store: store!,
    scheduler: scheduler!,
    clock,
    notifications,
    reloadConfig: goldenPaths => rootConfig.update({ data: { goldenPaths } }),
  };
}
