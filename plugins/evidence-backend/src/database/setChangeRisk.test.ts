import {
  TestDatabaseId,
  TestDatabases,
  mockCredentials,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  EvidenceTestBackend,
  entity,
  startEvidenceTestBackend,
} from '../__testUtils__/startEvidenceTestBackend';

jest.setTimeout(60_000);

// PostgreSQL only: SQLite runs one transaction at a time, so two PUTs never overlap there.
const databases = TestDatabases.create({
  ids: ['POSTGRES_15'],
  disableDocker: true,
});

const risk = (score: number) => ({
  modelVersion: 'risk/1',
  score,
  tier: 'Low',
  lowConfidence: false,
  dimensions: [{ id: 'D1', value: 1, unknown: false, reason: 'small diff' }],
  floorsApplied: [],
});

const postgres = databases.eachSupportedId();
// `./portal test` always starts PostgreSQL; a bare jest run without it lists this suite as skipped.
const describeOnPostgres = postgres.length
  ? describe.each(postgres)
  : describe.skip.each<TestDatabaseId>(['POSTGRES_15']);

describeOnPostgres(
  'setChangeRisk under a concurrent write on %s',
  databaseId => {
    let t: EvidenceTestBackend;

    beforeAll(async () => {
      t = await startEvidenceTestBackend(databases, databaseId, {
        entities: [entity('Component', 'checkout-service')],
      });
    });

    afterAll(() => t?.stop());

    it('answers 409 to the PUT that lost the race, not 200 with the other risk', async () => {
      const change = await request(t.server)
        .post('/api/evidence/changes')
        .set('Authorization', mockCredentials.user.header('user:default/a'))
        .set('Idempotency-Key', 'risk-race')
        .send({
          entityRef: 'component:default/checkout-service',
          kind: 'deploy',
          environment: 'production',
          ref: 'v1',
          summary: 'Deploy checkout-service v1',
          actor: { type: 'bot', id: 'ci' },
          source: { system: 'ci', externalId: 'risk-race' },
          startedAt: '2026-03-14T01:40:00Z',
          status: 'started',
          attributes: { artifactDigest: 'sha256:abc' },
        });
      expect(change.status).toBe(201);
      const id: string = change.body.record.id;

      // The other writer sets risk 5 and holds its row lock until we let it commit.
      const other = await t.knex.transaction();
      await other('evidence_changes')
        .where({ id })
        .whereNull('risk_json')
        .update({ risk_json: JSON.stringify(risk(5)) });

      const put = request(t.server)
        .put(`/api/evidence/changes/${id}/risk`)
        .set(
          'Authorization',
          mockCredentials.service.header({
            onBehalfOf: mockCredentials.service('plugin:incident-brief'),
            targetPluginId: 'evidence',
          }),
        )
        .send(risk(3))
        .then(res => res);

      // Commit only once our PUT has read the row (still without risk) and waits on the lock.
      const waiting = async () =>
        (
          await t.knex.raw(
            `select count(*)::int as n from pg_stat_activity
             where wait_event_type = 'Lock' and query ilike 'update%evidence_changes%'`,
          )
        ).rows[0].n > 0;
      const deadline = Date.now() + 10_000;
      while (!(await waiting())) {
        if (Date.now() > deadline) throw new Error('the PUT never waited');
        await new Promise(r => setTimeout(r, 20));
      }
      await other.commit();

      const res = await put;
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('RISK_ALREADY_SET');
      const stored = await t.knex('evidence_changes').where({ id }).first();
      expect(JSON.parse(stored.risk_json).score).toBe(5);
    });
  },
);
