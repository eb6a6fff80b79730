import { PermissionsService } from '@backstage/backend-plugin-api';
import { TestDatabases, mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import path from 'node:path';
import request from 'supertest';
import { recordingAuditor } from '../__testUtils__/recordingAuditor';
import {
  ScorecardsTestBackend,
  startScorecardsTestBackend,
} from '../__testUtils__/startScorecardsTestBackend';
import { noEvidence } from '../__testUtils__/noEvidence';

// `scorecards.waivers.expiryWarningDays` (§2.8): the rollups' "expiring" count and the
// thresholds the portal's countdowns warn at follow the configured days, not the built-in [14, 3].

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['POSTGRES_15', 'SQLITE_3'],
  disableDocker: true,
});

const T = '2026-03-14T02:05:00.000Z';
const DAY = 86400000;
const SVC = 'component:default/checkout-service';
const OWNER = 'group:default/checkout-team';
const STANDARD = path.resolve(
  __dirname,
  '../../../catalog-backend-module-scorecards/src/__fixtures__/small-standard.yaml',
);
const ana = mockCredentials.user.header('user:default/ana');

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'checkout-team', namespace: 'default' },
    spec: { type: 'team', children: [], members: ['ana'] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'checkout-service',
      namespace: 'default',
      labels: { 'ops.example.com/tier': '2' },
    },
    spec: { type: 'service', lifecycle: 'production', owner: OWNER },
  },
];

const permissions: PermissionsService = {
  async authorize(requests) {
    return requests.map(() => ({ result: AuthorizeResult.ALLOW }));
  },
  async authorizeConditional(requests) {
    return requests.map(() => ({ result: AuthorizeResult.ALLOW })) as any;
  },
};

const evidence = noEvidence(T);

/** An active waiver of checkout-service on `checkId`, expiring `days` after T. */
const activeWaiver = (id: string, checkId: string, days: number) => ({
  id,
  entityRef: SVC,
  checkId,
  kind: 'exception' as const,
  reason: 'x'.repeat(20),
  owner: OWNER,
  requestedBy: 'user:default/ben',
  approvedBy: 'user:default/plat-lead',
  createdAt: T,
  approvedAt: T,
  expiresAt: new Date(Date.parse(T) + days * DAY).toISOString(),
  status: 'active' as const,
});

describe.each(databases.eachSupportedId())(
  'waiver expiry warnings on %s',
  databaseId => {
    const api = (p: string) => `/api/scorecards${p}`;
    const get = (backend: ScorecardsTestBackend, route: string) =>
      request(backend.server).get(api(route)).set('authorization', ana);

    /** A backend with `waivers` config, one waiver expiring in 20 days and one in 40, scored. */
    async function start(
      waivers: JsonObject | undefined,
    ): Promise<ScorecardsTestBackend> {
      const backend = await startScorecardsTestBackend({
        knex: await databases.init(databaseId),
        services: {
          permissions,
          auditor: recordingAuditor().auditor,
          catalog: catalogServiceMock({ entities }),
          evidence,
        },
        clock: () => new Date(T),
        scorecards: { standardFile: STANDARD, ...(waivers && { waivers }) },
      });
      const { store, evaluator } = backend.handles;
      await store.insertWaiver(activeWaiver('w-20d', 'tier-declared', 20));
      await store.insertWaiver(activeWaiver('w-40d', 'branch-protection', 40));
      await evaluator.runPass(T);
      return backend;
    }

    describe('configured [30, 7]', () => {
      let backend: ScorecardsTestBackend;
      beforeAll(async () => {
        backend = await start({
          expiryWarningDays: [30, 7],
          falsePositiveMaxDays: 5,
        });
      });
      afterAll(() => backend?.stop());

      it('counts a waiver 20 days from expiry as expiring in rollups, live and in the daily snapshot', async () => {
        const rollups = await get(backend, '/rollups?groupBy=owner');
        expect(rollups.status).toBe(200);
        expect(rollups.body.items).toEqual([
          expect.objectContaining({
            key: OWNER,
            waiversActive: 2,
            waiversExpiring14d: 1,
          }),
        ]);
        // the window the count used, for the page's column heading
        expect(rollups.body.waiversExpiringWithinDays).toBe(30);

        await backend.handles.dailyHistory.afterPass(T);
        const history = await get(
          backend,
          `/rollups/history?groupBy=owner&key=${OWNER}`,
        );
        expect(history.status).toBe(200);
        // Each point keeps the window it counted in: a later change of the setting cannot
        // make an old count read as another window's.
        expect(history.body.points).toEqual([
          {
            date: '2026-03-14',
            row: expect.objectContaining({
              waiversActive: 2,
              waiversExpiring14d: 1,
            }),
            waiversExpiringWithinDays: 30,
          },
        ]);
      });

      it('tells the portal the thresholds on the entity route and GET /waivers, paged or not', async () => {
        const scorecard = await get(
          backend,
          '/entities/component/default/checkout-service',
        );
        expect(scorecard.status).toBe(200);
        expect(scorecard.body.waiverExpiryWarningDays).toEqual([30, 7]);

        const all = await get(backend, '/waivers');
        expect(all.body).toEqual({
          items: [
            expect.objectContaining({ id: 'w-20d' }),
            expect.objectContaining({ id: 'w-40d' }),
          ],
          waiverExpiryWarningDays: [30, 7],
        });
        const page = await get(backend, '/waivers?limit=1');
        expect(page.body).toEqual({
          items: [expect.anything()],
          nextCursor: expect.any(String),
          waiverExpiryWarningDays: [30, 7],
        });
      });

      it('answers the same thresholds from POST /evaluate (a dry run) as from the entity route', async () => {
        const scorecard = await get(
          backend,
          '/entities/component/default/checkout-service',
        );
        expect(scorecard.body).toMatchObject({
          waiverExpiryWarningDays: [30, 7],
          waiverFalsePositiveMaxDays: 5,
        });

        const dryRun = await request(backend.server)
          .post(api('/evaluate'))
          .set('authorization', ana)
          .send({ entity: entities[1] });
        expect(dryRun.status).toBe(200);
        expect(dryRun.body).toMatchObject({
          scored: true,
          waivers: expect.arrayContaining([
            expect.objectContaining({ id: 'w-20d' }),
          ]),
          waiverExpiryWarningDays: [30, 7],
          waiverFalsePositiveMaxDays: 5,
        });
      });
    });

    describe('configured smallest first, [7, 30]', () => {
      let backend: ScorecardsTestBackend;
      beforeAll(async () => {
        backend = await start({ expiryWarningDays: [7, 30] });
      });
      afterAll(() => backend?.stop());

      it('answers the thresholds largest first and counts within the largest', async () => {
        const waivers = await get(backend, '/waivers');
        expect(waivers.body.waiverExpiryWarningDays).toEqual([30, 7]);
        const rollups = await get(backend, '/rollups?groupBy=owner');
        expect(rollups.body.items[0].waiversExpiring14d).toBe(1);
      });
    });

    describe('configured with one value, [30]', () => {
      let backend: ScorecardsTestBackend;
      beforeAll(async () => {
        backend = await start({ expiryWarningDays: [30] });
      });
      afterAll(() => backend?.stop());

      it('reads it as the amber window, red staying at 3 days, and says both', async () => {
        const scorecard = await get(
          backend,
          '/entities/component/default/checkout-service',
        );
        expect(scorecard.body.waiverExpiryWarningDays).toEqual([30, 3]);
        const waivers = await get(backend, '/waivers');
        expect(waivers.body.waiverExpiryWarningDays).toEqual([30, 3]);
        const rollups = await get(backend, '/rollups?groupBy=owner');
        expect(rollups.body.waiversExpiringWithinDays).toBe(30);
        expect(rollups.body.items[0].waiversExpiring14d).toBe(1);
      });
    });

    describe('unset', () => {
      let backend: ScorecardsTestBackend;
      beforeAll(async () => {
        backend = await start(undefined);
      });
      afterAll(() => backend?.stop());

      it('keeps the default [14, 3]: a waiver 20 days from expiry is not expiring', async () => {
        const rollups = await get(backend, '/rollups?groupBy=owner');
        expect(rollups.body.items[0]).toMatchObject({
          waiversActive: 2,
          waiversExpiring14d: 0,
        });
        expect(rollups.body.waiversExpiringWithinDays).toBe(14);
        const scorecard = await get(
          backend,
          '/entities/component/default/checkout-service',
        );
        expect(scorecard.body.waiverExpiryWarningDays).toEqual([14, 3]);
      });
    });
  },
);
