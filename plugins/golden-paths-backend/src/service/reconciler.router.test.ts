import { mockServices, TestDatabaseId } from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/types';
import request from 'supertest';
import { api, enc, seedRequest } from '../__testUtils__/ledgerRequests';
import {
  fatima as reader,
  goldenPathsTestDatabases,
  startGoldenPathsTestBackend,
  T,
} from '../__testUtils__/startGoldenPathsTestBackend';
import { readGroupDirectoryTimeoutMs } from './groupDirectory';
import { readReconcilerConfig } from './initGoldenPaths';
import { ObservedEntity } from './reconciler/compare';

// The reconciler's wiring (§8 step 4): the scheduled task and its configuration, and the drift
// it records as shown by GET /requests/:key.

jest.setTimeout(60_000);

const databases = goldenPathsTestDatabases();

const ROOT = '/srv/gp/repos';
const SHA = 'a'.repeat(40);
const KEY = 'service-node-http:cart-api';
const CART = 'component:default/cart-api';

/** The backend with a repository observer that finds every repository as published. */
function start(
  databaseId: TestDatabaseId,
  goldenPaths: JsonObject,
  entities: Map<string, Extract<ObservedEntity, { state: 'present' }>>,
) {
  return startGoldenPathsTestBackend({
    databases,
    databaseId,
    goldenPaths,
    overrides: {
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
    },
  });
}

describe.each(databases.eachSupportedId())('reconciler task on %s', id => {
  it('runs every 10 minutes with one runner across replicas; GET /requests/:key shows the open drift', async () => {
    const entities = new Map<
      string,
      Extract<ObservedEntity, { state: 'present' }>
    >([[CART, { state: 'present', requestKey: KEY, lifecycle: 'production' }]]);
    const { server, stop, scheduler } = await start(
      id,
      { publish: { local: { root: ROOT } } },
      entities,
    );
    try {
      const tasks = await scheduler.getScheduledTasks();
      expect(tasks.find(t => t.id === 'golden-paths-reconciler')).toMatchObject(
        { scope: 'global' },
      );

      const k = enc(
        await seedRequest(
          server,
          'cart-api',
          [
            {
              id: 'publish-local',
              action: 'goldenpath:publish:git',
              effectRef: `${ROOT}/cart-api.git@${SHA}`,
            },
            {
              id: 'register',
              action: 'goldenpath:register',
              effectRef: `golden-paths-local:${CART}`,
            },
          ],
          'succeeded',
        ),
      );

      const before = await request(server)
        .get(api(`/requests/${k}`))
        .set('Authorization', reader);
      expect(before.body.drift).toEqual({ open: [] });

      // promoted by hand, outside the golden path: the ledger still records experimental
      await scheduler.triggerTask('golden-paths-reconciler');
      const after = await request(server)
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
      const again = await request(server)
        .get(api(`/requests/${k}`))
        .set('Authorization', reader);
      expect(again.body.events).toHaveLength(after.body.events.length);
    } finally {
      await stop();
    }
  });

  it('schedules nothing when disabled', async () => {
    const { stop, scheduler } = await start(
      id,
      { reconciler: { enabled: false } },
      new Map(),
    );
    try {
      const tasks = await scheduler.getScheduledTasks();
      // the reconciler's is not among them
      expect(tasks.map(t => t.id)).toEqual([
        'golden-paths-retention',
        'golden-paths-expired-leases',
        'golden-paths-approval-routes',
      ]);
    } finally {
      await stop();
    }
  });
});

describe.each(databases.eachSupportedId())('expired leases on %s', id => {
  it('fails a request its task left running, one lease after the lease ended, with an audit record (§4.9 ledger:close)', async () => {
    const { server, stop, scheduler, clock } = await start(
      id,
      { reconciler: { enabled: false } },
      new Map(),
    );
    try {
      const tasks = await scheduler.getScheduledTasks();
      expect(
        tasks.find(t => t.id === 'golden-paths-expired-leases'),
      ).toMatchObject({ scope: 'global' });
      // Opened and a step claimed, then the task's process died: never closed.
      const k = enc(
        await seedRequest(server, 'cart-api', [
          {
            id: 'publish-local',
            action: 'goldenpath:publish:git',
            effectRef: `${ROOT}/cart-api.git@${SHA}`,
          },
        ]),
      );
      const read = async () =>
        (
          await request(server)
            .get(api(`/requests/${k}`))
            .set('Authorization', reader)
        ).body;
      clock.now = new Date(Date.parse(T) + 20 * 60_000);
      await scheduler.triggerTask('golden-paths-expired-leases');
      expect((await read()).request.status).not.toBe('failed');

      clock.now = new Date(Date.parse(T) + 31 * 60_000);
      await scheduler.triggerTask('golden-paths-expired-leases');
      const after = await read();
      expect(after.request).toMatchObject({
        status: 'failed',
        lastErrorCode: 'lease-expired',
      });
      expect(
        after.events.filter(
          (e: any) => e.record?.errorCode === 'lease-expired',
        ),
      ).toEqual([
        expect.objectContaining({
          record: expect.objectContaining({
            via: 'lease-expiry',
            result: 'failed',
          }),
        }),
      ]);
    } finally {
      await stop();
    }
  });
});

describe.each(databases.eachSupportedId())(
  'ledger retention config on %s',
  id => {
    // Read inside the daily task before: -1 deleted every audit event at the next run.
    it('refuses a retention that is not a positive number of days at start-up', async () => {
      await expect(
        start(id, { ledger: { retainEventsDays: -1 } }, new Map()),
      ).rejects.toThrow(
        'goldenPaths.ledger.retainEventsDays must be a number above 0 (got -1)',
      );
    });
  },
);

describe.each(databases.eachSupportedId())(
  'group directory config on %s',
  id => {
    it('refuses a group directory timeout that is not a positive number of seconds at start-up', async () => {
      await expect(
        start(id, { groupDirectory: { timeoutSeconds: 0 } }, new Map()),
      ).rejects.toThrow(
        'goldenPaths.groupDirectory.timeoutSeconds must be a number above 0 (got 0)',
      );
    });
  },
);

describe('readGroupDirectoryTimeoutMs', () => {
  it.each([
    [{}, 30_000],
    [{ groupDirectory: { timeoutSeconds: 90 } }, 90_000],
  ])('reads %j as %i ms', (goldenPaths, ms) => {
    expect(
      readGroupDirectoryTimeoutMs(
        mockServices.rootConfig({ data: { goldenPaths } }),
      ),
    ).toBe(ms);
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
