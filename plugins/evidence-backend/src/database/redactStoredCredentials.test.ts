import { TestDatabases, mockCredentials } from '@backstage/backend-test-utils';
import { fingerprint } from '@internal/plugin-evidence-common';
import request from 'supertest';
import {
  EvidenceTestBackend,
  T,
  entity,
  startEvidenceTestBackend,
} from '../__testUtils__/startEvidenceTestBackend';
import {
  REDACTED_TABLES,
  redactStoredCredentials,
} from './redactStoredCredentials';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['POSTGRES_15', 'SQLITE_3'],
  disableDocker: true,
});

const CHECKOUT = 'component:default/checkout-service';
const SECRET = 's3cr3t';
const user = mockCredentials.user.header('user:default/alice');

describe.each(databases.eachSupportedId())(
  'redactStoredCredentials (%p)',
  databaseId => {
    let backend: EvidenceTestBackend;
    beforeAll(async () => {
      backend = await startEvidenceTestBackend(databases, databaseId, {
        entities: [entity('Component', 'checkout-service')],
      });
    });
    afterAll(() => backend?.stop());

    const post = (path: string, key: string | undefined, body: unknown) => {
      const req = request(backend.server)
        .post(`/api/evidence${path}`)
        .set('Authorization', user)
        .set('Content-Type', 'application/json');
      if (key) req.set('Idempotency-Key', key);
      return req.send(JSON.stringify(body));
    };

    const fact = (key: string) => ({
      entityRef: CHECKOUT,
      source: 'link-checker',
      kind: 'link.status',
      key,
      value: { links: ['https://k.example.com/a'], status: 200 },
      observedAt: '2026-03-14T02:00:00Z',
      provenance: { url: 'https://ci.example.com/run/1' },
    });

    it('redacts rows stored before ingestion did, once', async () => {
      // Rows as ingestion wrote them before: written clean, then given credentials in place.
      expect(
        (
          await post('/changes', 'old:change', {
            entityRef: CHECKOUT,
            kind: 'deploy',
            ref: 'https://git.example.com/o/r',
            summary: 'Deploy https://ci.example.com/run/1',
            actor: { type: 'bot', id: 'gha' },
            source: {
              system: 'gha',
              externalId: 'old-1',
              url: 'https://ci.example.com/run/1',
            },
            startedAt: '2026-03-14T01:40:00Z',
            status: 'started',
            attributes: { artifactDigest: 'https://registry.example.com/i' },
          })
        ).status,
      ).toBe(201);
      expect(
        (await post('/facts', 'old:fact', fact('https://k.example.com/key')))
          .status,
      ).toBe(201);
      // a key that redacted equals another fact's: left, and counted
      expect(
        (await post('/facts', 'old:fact2', fact('https://***@k.example.com/x')))
          .status,
      ).toBe(201);
      expect(
        (await post('/facts', 'old:fact3', fact('https://k.example.com/x')))
          .status,
      ).toBe(201);
      await backend.store().recordSourceRun({
        source: 'prometheus',
        outcome: 'unavailable',
        at: new Date(T),
        error: 'GET https://prometheus.example.com/api failed',
      });
      const knex = backend.knex;
      for (const spec of REDACTED_TABLES) {
        for (const column of [
          ...Object.keys(spec.text),
          ...(spec.json ?? []),
          ...(spec.plainJson ?? []),
        ]) {
          await knex(spec.table).update({
            [column]: knex.raw(`replace(??, ?, ?)`, [
              column,
              'https://',
              `https://ci:${SECRET}@`,
            ]),
          });
        }
      }
      const stored = async () =>
        JSON.stringify(
          await Promise.all(REDACTED_TABLES.map(s => knex(s.table).select())),
        );
      expect(await stored()).toContain(SECRET);

      await knex('evidence_sequences')
        .where({ name: 'redacted-credentials-v1' })
        .delete();
      const now = Date.parse(T) + 60_000;
      const summary = await redactStoredCredentials(knex, now);
      expect(summary.ran).toBe(true);
      expect(summary.collisions).toBe(1);
      expect(summary.rewritten).toBeGreaterThan(5);

      // Only the fact whose key collided still holds its credentials.
      const left = await knex('evidence_facts').where(
        'fact_key',
        'like',
        `%${SECRET}%`,
      );
      // (which of the two keeps its key depends on the order of their ids)
      expect(left).toHaveLength(1);
      expect(left[0].fact_key).toMatch(/@k\.example\.com\/x$/);
      await knex('evidence_facts').where({ id: left[0].id }).delete();
      await knex('evidence_fact_history')
        .where({ fact_key: left[0].fact_key })
        .delete();
      expect(await stored()).not.toContain(SECRET);

      const facts = await knex('evidence_facts').select();
      for (const row of facts) {
        expect(row.value_fp).toBe(fingerprint(JSON.parse(row.value_json)));
      }
      const redactedFact = facts.find(
        r => r.fact_key === 'https://***@k.example.com/key',
      );
      expect(JSON.parse(redactedFact.value_json)).toEqual({
        links: ['https://***@k.example.com/a'],
        status: 200,
      });
      expect(Number(redactedFact.updated_ms)).toBe(now);
      const change = await knex('evidence_changes').first();
      expect(change.source_url).toBe('https://***@ci.example.com/run/1');
      expect(JSON.parse(change.attributes_json)).toEqual({
        artifactDigest: 'https://***@registry.example.com/i',
      });

      // The same fact sent again with its credentials re-confirms it: no new version.
      const again = await post('/facts', 'new:fact', {
        ...fact(`https://ci:${SECRET}@k.example.com/key`),
        value: { links: [`https://ci:${SECRET}@k.example.com/a`], status: 200 },
      });
      expect(again.status).toBe(200);
      expect(again.body.record.id).toBe(redactedFact.id);
      // A retry of a key stored before is answered with its redacted response.
      const replay = await post('/changes', 'old:change', {});
      expect(replay.status).toBe(400);

      // Done once: a later start reads the marker only.
      expect(await redactStoredCredentials(knex, now)).toEqual({
        ran: false,
        rewritten: 0,
        collisions: 0,
      });
    });
  },
);
