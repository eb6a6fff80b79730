import { Entity } from '@backstage/catalog-model';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { Knex } from 'knex';
import { evidencePlugin } from '../plugin';
import { DEMO_RESOURCES } from './demoFacts';
import { DEMO_SERVICES } from './demoTelemetry';

jest.setTimeout(120_000);

const databases = TestDatabases.create({
  ids: ['POSTGRES_15', 'SQLITE_3'],
  disableDocker: true,
});

const admin = mockCredentials.user.header('user:default/admin');

function demoCatalog(): Entity[] {
  return [
    ...DEMO_SERVICES.map(s => ({ kind: 'Component', name: s.entity })),
    ...DEMO_RESOURCES.map(name => ({ kind: 'Resource', name })),
  ].map(({ kind, name }) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace: 'default' },
    spec: {},
  }));
}

async function start(
  knex: Knex,
  options: { demo: boolean; denyAdmin?: boolean },
) {
  return startTestBackend({
    features: [
      evidencePlugin,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: { evidence: { demo: { enabled: options.demo } } },
      }),
      catalogServiceMock.factory({ entities: demoCatalog() }),
      mockServices.events.factory(),
      ...(options.denyAdmin
        ? [
            mockServices.permissions.mock({
              authorize: async requests =>
                requests.map(r => ({
                  result:
                    r.permission.name === 'evidence.admin'
                      ? AuthorizeResult.DENY
                      : AuthorizeResult.ALLOW,
                })) as never,
            }).factory,
          ]
        : []),
    ],
  });
}

async function demoChanges(knex: Knex): Promise<number> {
  const row = await knex('evidence_changes')
    .where({ demo: true })
    .count({ n: '*' })
    .first();
  return Number(row?.n);
}

async function waitFor(check: () => Promise<boolean>, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}

describe('demo evidence in the plugin (EV44)', () => {
  it.each(databases.eachSupportedId())(
    'seeds once the catalog is mapped, reseeds as a replay and purges on %s',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const backend = await start(knex, { demo: true });
      try {
        await waitFor(async () => (await demoChanges(knex)) === 16);
        // The seed writes facts and edges after the ledger; let it finish.
        await waitFor(async () => {
          const edges = await knex('evidence_edges').count({ n: '*' }).first();
          return Number(edges?.n) === 12;
        });
        // The repo collector is on by default, so only prometheus is reported by the demo.
        await waitFor(async () =>
          Boolean(
            await knex('evidence_source_health')
              .where({ source: 'prometheus', demo: true })
              .first(),
          ),
        );
        expect(
          await knex('evidence_source_health').where({ source: 'repo' }),
        ).toEqual([]);

        const reseed = await request(backend.server)
          .post('/api/evidence/demo/reseed')
          .set('Authorization', admin);
        expect(reseed.status).toBe(202);
        expect(reseed.body).toMatchObject({ created: 0, failed: 0 });
        expect(await demoChanges(knex)).toBe(16);

        // A change someone posts while the demo is on is theirs, not a demo row: it stays.
        const posted = await request(backend.server)
          .post('/api/evidence/changes')
          .set('Authorization', admin)
          .set('Idempotency-Key', 'tester:deploy:1')
          .send({
            entityRef: 'component:default/checkout-service',
            kind: 'deploy',
            environment: 'production',
            ref: 'v9.9.9',
            summary: 'A real deploy posted during the demo',
            actor: { type: 'bot', id: 'ci' },
            source: { system: 'tester', externalId: 'deploy-1' },
            startedAt: new Date(Date.now() - 60_000).toISOString(),
            status: 'started',
            attributes: { artifactDigest: 'sha256:abc' },
          });
        expect(posted.status).toBe(201);
        expect(posted.body.record.demo).toBe(false);

        const purge = await request(backend.server)
          .delete('/api/evidence/demo')
          .set('Authorization', admin);
        expect(purge.status).toBe(200);
        expect(purge.body.deleted).toBeGreaterThan(16 + 12);
        expect(
          await knex('evidence_changes').where({ id: posted.body.record.id }),
        ).toHaveLength(1);
        for (const table of [
          'evidence_facts',
          'evidence_fact_history',
          'evidence_changes',
          'evidence_edges',
          'evidence_source_health',
        ]) {
          const row = await knex(table)
            .where({ demo: true })
            .count({ n: '*' })
            .first();
          expect([table, Number(row?.n)]).toEqual([table, 0]);
        }
      } finally {
        await backend.stop();
      }
    },
  );

  it('seeds nothing with the demo disabled and guards the routes', async () => {
    const knex = await databases.init('SQLITE_3');
    const backend = await start(knex, { demo: false, denyAdmin: true });
    try {
      // Give the alias map time to load: the seeder would have started by then.
      await waitFor(async () => {
        const res = await request(backend.server)
          .get('/api/evidence/aliases/checkout-service')
          .set('Authorization', admin);
        return res.body.entityRef === 'component:default/checkout-service';
      });
      await new Promise(resolve => setTimeout(resolve, 1_500));
      for (const table of [
        'evidence_facts',
        'evidence_changes',
        'evidence_edges',
      ]) {
        const row = await knex(table).count({ n: '*' }).first();
        expect([table, Number(row?.n)]).toEqual([table, 0]);
      }
      const reseed = await request(backend.server)
        .post('/api/evidence/demo/reseed')
        .set('Authorization', admin);
      expect(reseed.status).toBe(403);
      expect(reseed.body.error.message).toBe(
        'permission evidence.admin is required',
      );
      const purge = await request(backend.server)
        .delete('/api/evidence/demo')
        .set('Authorization', admin);
      expect(purge.status).toBe(403);
    } finally {
      await backend.stop();
    }
  });

  it('answers 404 on reseed with the demo disabled', async () => {
    const knex = await databases.init('SQLITE_3');
    const backend = await start(knex, { demo: false });
    try {
      const reseed = await request(backend.server)
        .post('/api/evidence/demo/reseed')
        .set('Authorization', admin);
      expect(reseed.status).toBe(404);
      const purge = await request(backend.server)
        .delete('/api/evidence/demo')
        .set('Authorization', admin);
      expect(purge.body).toEqual({ deleted: 0 });
    } finally {
      await backend.stop();
    }
  });
});
