import {
  SchedulerService,
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  TestDatabases,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/config';
import {
  NormalizedRequest,
  requestFingerprint,
} from '@internal/plugin-golden-paths-common';
import request from 'supertest';
import { initGoldenPaths, readReconcilerConfig } from './initGoldenPaths';
import { staticGroupDirectory } from './groupDirectory';
import { ObservedEntity } from './reconciler/compare';

// The reconciler's wiring (§8 step 4): the scheduled task and its configuration, and the drift
// it records as shown by GET /requests/:key.

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['POSTGRES_15', 'SQLITE_3'],
  disableDocker: true,
});

const T = '2026-11-23T10:00:00.000Z';
const TEMPLATE = 'template:default/service-node-http';
const ROOT = '/srv/gp/repos';
const SHA = 'a'.repeat(40);
const KEY = 'service-node-http:cart-api';
const CART = 'component:default/cart-api';
const scaffolder = mockCredentials.service.header({
  onBehalfOf: mockCredentials.service('plugin:scaffolder'),
  targetPluginId: 'golden-paths',
});
const reader = mockCredentials.user.header('user:default/fatima.haddad');

async function start(
  databaseId: ReturnType<typeof databases.eachSupportedId>[number][0],
  goldenPaths: JsonObject,
  entities: Map<string, Extract<ObservedEntity, { state: 'present' }>>,
) {
  const knex = await databases.init(databaseId);
  let scheduler: SchedulerService | undefined;
  const testPlugin = createBackendPlugin({
    pluginId: 'golden-paths',
    register(env) {
      env.registerInit({
        deps: {
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
        },
        async init(deps) {
          scheduler = deps.scheduler;
          await initGoldenPaths(deps, {
            clock: () => new Date(T),
            directory: staticGroupDirectory([]),
            catalogLocations: null,
            reconciler: {
              repositories: {
                async inspect() {
                  return { state: 'present', markerKey: KEY, readOnly: false };
                },
              },
              catalog: {
                async entities(refs) {
                  return new Map(
                    refs.flatMap(r => {
                      const e = entities.get(r);
                      return e ? [[r, e] as const] : [];
                    }),
                  );
                },
              },
            },
          });
        },
      });
    },
  });
  const backend = await startTestBackend({
    features: [
      testPlugin,
      mockServices.database.factory({ knex }),
      mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      mockServices.rootConfig.factory({ data: { goldenPaths } }),
    ],
  });
  return { backend, scheduler: scheduler! };
}

describe.each(databases.eachSupportedId())('reconciler task on %s', id => {
  it('runs every 10 minutes with one runner across replicas; GET /requests/:key shows the open drift', async () => {
    const entities = new Map<
      string,
      Extract<ObservedEntity, { state: 'present' }>
    >([[CART, { state: 'present', requestKey: KEY, lifecycle: 'production' }]]);
    const { backend, scheduler } = await start(
      id,
      { publish: { local: { root: ROOT } } },
      entities,
    );
    try {
      const tasks = await scheduler.getScheduledTasks();
      expect(tasks.find(t => t.id === 'golden-paths-reconciler')).toMatchObject(
        { scope: 'global' },
      );

      const req = {
        kind: 'service',
        name: 'cart-api',
        description: 'Keeps shopping carts for signed-in and guest shoppers.',
      };
      const api = (p: string) => `/api/golden-paths${p}`;
      const k = encodeURIComponent(KEY);
      await request(backend.server)
        .post(api(`/requests/${k}/open`))
        .set('Authorization', scaffolder)
        .send({
          fingerprint: requestFingerprint(
            TEMPLATE,
            req as unknown as NormalizedRequest,
          ),
          request: req,
          templateRef: TEMPLATE,
          templateVersion: '1.0.0',
          kind: 'service',
          taskId: 'task-1',
          createdBy: 'user:default/ana.ruiz',
        })
        .expect(201);
      for (const [stepId, action, effectRef] of [
        [
          'publish-local',
          'goldenpath:publish:git',
          `${ROOT}/cart-api.git@${SHA}`,
        ],
        ['register', 'goldenpath:register', `golden-paths-local:${CART}`],
      ]) {
        await request(backend.server)
          .post(api(`/requests/${k}/steps/${stepId}/claim`))
          .set('Authorization', scaffolder)
          .send({ fingerprint: `sha256:${stepId}`, taskId: 'task-1', action })
          .expect(200);
        await request(backend.server)
          .post(api(`/requests/${k}/steps/${stepId}/complete`))
          .set('Authorization', scaffolder)
          .send({ taskId: 'task-1', status: 'done', effectRef })
          .expect(200);
      }
      await request(backend.server)
        .post(api(`/requests/${k}/close`))
        .set('Authorization', scaffolder)
        .send({ taskId: 'task-1', status: 'succeeded' })
        .expect(200);

      const before = await request(backend.server)
        .get(api(`/requests/${k}`))
        .set('Authorization', reader);
      expect(before.body.drift).toEqual({ open: [] });

      // promoted by hand, outside the golden path: the ledger still records experimental
      await scheduler.triggerTask('golden-paths-reconciler');
      const after = await request(backend.server)
        .get(api(`/requests/${k}`))
        .set('Authorization', reader);
      expect(after.body.drift).toEqual({
        open: [
          expect.objectContaining({
            check: 'entity.lifecycle',
            target: CART,
            expected: 'experimental',
            observed: 'production',
          }),
        ],
        since: T,
      });
      expect(
        after.body.events.filter(
          (e: any) => e.eventType === 'golden-path-drift-detected',
        ),
      ).toEqual([
        expect.objectContaining({
          severity: 'high',
          record: expect.objectContaining({ result: 'drift-detected' }),
        }),
      ]);

      // a second run records nothing new
      await scheduler.triggerTask('golden-paths-reconciler');
      const again = await request(backend.server)
        .get(api(`/requests/${k}`))
        .set('Authorization', reader);
      expect(again.body.events).toHaveLength(after.body.events.length);
    } finally {
      await backend.stop();
    }
  });

  it('schedules nothing when disabled', async () => {
    const { backend, scheduler } = await start(
      id,
      { reconciler: { enabled: false } },
      new Map(),
    );
    try {
      const tasks = await scheduler.getScheduledTasks();
      expect(tasks.map(t => t.id)).toEqual(['golden-paths-retention']);
    } finally {
      await backend.stop();
    }
  });
});

describe('readReconcilerConfig', () => {
  const read = (reconciler?: JsonObject) =>
    readReconcilerConfig(
      mockServices.rootConfig({
        data: reconciler ? { goldenPaths: { reconciler } } : {},
      }),
    );

  it('defaults to on, every 10 minutes, timing out after one period', () => {
    expect(read()).toEqual({
      enabled: true,
      frequencyMinutes: 10,
      timeoutMinutes: 10,
    });
    expect(read({ frequencyMinutes: 30, timeoutMinutes: 5 })).toEqual({
      enabled: true,
      frequencyMinutes: 30,
      timeoutMinutes: 5,
    });
  });

  it('refuses a period that is not a positive number of minutes', () => {
    expect(() => read({ frequencyMinutes: 0 })).toThrow(
      'goldenPaths.reconciler.frequencyMinutes must be a positive number of minutes (got 0)',
    );
  });
});
