/**
 * The entity route's 90-day trend against `GET …/history`: past days are the stored history's,
 * only today is the live evaluation's.
 */
import {
  TestDatabases,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { EvidenceService } from '@internal/plugin-evidence-node';
import path from 'node:path';
import request from 'supertest';
import { recordingAuditor } from '../__testUtils__/recordingAuditor';
import { startScorecardsTestBackend } from '../__testUtils__/startScorecardsTestBackend';

jest.setTimeout(60_000);
const databases = TestDatabases.create({
  ids: ['SQLITE_3'],
  disableDocker: true,
});
const T = '2026-03-14T02:05:00.000Z';
const DAY = 86400000;
const SVC = 'component:default/checkout-service';
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
    spec: { type: 'team', children: [], members: ['ana', 'ben'] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'checkout-service',
      namespace: 'default',
      labels: { 'ops.example.com/tier': '2' },
      annotations: {
        'backstage.io/source-location':
          'url:https://github.com/example/checkout-service/',
      },
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/checkout-team',
    },
  },
];
const permissions = mockServices.permissions({ result: AuthorizeResult.ALLOW });
/** The repository settings the evidence store answers: protected until the test says not. */
const state = { protected: true, observedAt: T };
const evidence = {
  async readEntities(refs: string[]) {
    return {
      available: true,
      asOf: T,
      data: new Map(
        refs.map(ref => [
          ref,
          {
            facts:
              ref === SVC
                ? [
                    {
                      entityRef: SVC,
                      source: 'repo-host',
                      kind: 'repo.settings',
                      key: '',
                      value: { protected: state.protected },
                      observedAt: state.observedAt,
                      collectedAt: state.observedAt,
                      freshForSeconds: 7 * 86400,
                    },
                  ]
                : [],
            collection: [],
          },
        ]),
      ),
    };
  },
  async sourceHealth() {
    return { available: true, asOf: T, data: [] };
  },
} as unknown as EvidenceService;

it('keeps the stored level on past days of an entity with no level row, and shows the live one today', async () => {
  const knex = await databases.init('SQLITE_3');
  const clock = { now: new Date(Date.parse(T) - 30 * DAY) };
  const { server, stop, handles } = await startScorecardsTestBackend({
    knex,
    services: {
      permissions,
      auditor: recordingAuditor().auditor,
      catalog: catalogServiceMock({ entities }),
      evidence,
    },
    clock: () => clock.now,
    scorecards: { standardFile: STANDARD },
    features: [],
  });
  try {
    state.observedAt = clock.now.toISOString();
    await handles.evaluator.runPass(clock.now.toISOString()); // stored: L2, first seen T-30d
    clock.now = new Date(T);
    state.protected = false; // branch protection removed just now; no pass since
    state.observedAt = T;
    const card = await request(server)
      .get('/api/scorecards/entities/component/default/checkout-service')
      .set('authorization', ana);
    const hist = await request(server)
      .get(
        '/api/scorecards/entities/component/default/checkout-service/history',
      )
      .set('authorization', ana);
    const day = (xs: any[], d: string) => xs.find(p => p.date === d)?.level;
    expect(card.body.level).toBe('L1');
    expect(day(hist.body.levels, '2026-02-20')).toBe('L2');
    // the entity was L2 on every past day since its first evaluation; it is L1 since just now
    expect(day(card.body.trend, '2026-02-20')).toBe('L2');
    expect(card.body.trend.at(-1)).toEqual({ date: '2026-03-14', level: 'L1' });
    expect(card.body.trend.filter((p: any) => p.level === 'L2').length).toBe(
      30,
    );
  } finally {
    await stop();
  }
});
