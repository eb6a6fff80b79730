import { TestDatabases, mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  EvidenceTestBackend,
  T,
  entity,
  startEvidenceTestBackend,
} from '../__testUtils__/startEvidenceTestBackend';
import { BatchMode } from './EvidenceStore';
import { storedChange } from './rows';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['POSTGRES_15', 'SQLITE_3'],
  disableDocker: true,
});

const alice = mockCredentials.user.header('user:default/alice');

function deploy(tag: string, id: string, over: Record<string, unknown> = {}) {
  return {
    entityRef: 'component:default/checkout-service',
    kind: 'deploy',
    environment: 'production',
    ref: 'v1.2.3',
    summary: 'Deploy checkout-service 1.2.3',
    actor: { type: 'bot', id: 'github-actions' },
    source: { system: 'github-actions', externalId: `${tag}-${id}` },
    startedAt: '2026-03-14T01:40:00Z',
    status: 'started',
    attributes: { artifactDigest: 'sha256:abc' },
    ...over,
  };
}

function fact(tag: string, key: string, over: Record<string, unknown> = {}) {
  return {
    entityRef: 'component:default/checkout-service',
    source: 'golden-paths',
    kind: 'repo.files',
    key: `${tag}-${key}`,
    value: { paths: ['README.md'] },
    observedAt: '2026-03-14T02:00:00Z',
    ...over,
  };
}

/** Results with tags, generated ids and fingerprints (of tagged bodies) replaced, so two runs of one scenario compare equal. */
function normalize(value: unknown, tag: string): unknown {
  const ids = new Map<string, string>();
  const text = JSON.stringify(value)
    .replaceAll(tag, 'TAG')
    .replace(/[0-9A-HJKMNP-TV-Z]{26}|sha256:[0-9a-f]{64}/g, id => {
      if (!ids.has(id)) ids.set(id, `ID${ids.size}`);
      return ids.get(id)!;
    });
  return JSON.parse(text);
}

describe.each(databases.eachSupportedId())(
  'set-based batches on %s',
  databaseId => {
    let t: EvidenceTestBackend;

    beforeAll(async () => {
      t = await startEvidenceTestBackend(databases, databaseId, {
        entities: [
          entity('Component', 'checkout-service', {
            'ops.example.com/aliases': 'checkout',
          }),
        ],
      });
    });

    afterAll(async () => {
      await t.stop();
    });

    beforeEach(() => {
      t.clock.now = new Date(T);
      t.store().batchMode = 'set-based';
    });

    const post = (path: string, key?: string) => {
      const req = request(t.server)
        .post(`/api/evidence${path}`)
        .set('Authorization', alice);
      return key ? req.set('Idempotency-Key', key) : req;
    };

    /** A batch touching every per-item rule: fast inserts and items that must go one by one. */
    async function changeScenario(tag: string) {
      await post('/changes', `${tag}-prior`).send(deploy(tag, 'prior'));
      const items = [
        { ...deploy(tag, 'a'), idempotencyKey: `${tag}-a` },
        {
          ...deploy(tag, 'b', { entityRef: undefined, alias: 'checkout' }),
          idempotencyKey: `${tag}-b`,
        },
        {
          ...deploy(tag, 'c', { entityRef: `component:default/cov-${tag}` }),
          idempotencyKey: `${tag}-c`,
        },
        {
          ...deploy(tag, 'd', { startedAt: 'yesterday' }),
          idempotencyKey: `${tag}-d`,
        },
        { ...deploy(tag, 'a'), idempotencyKey: `${tag}-a` },
        {
          ...deploy(tag, 'a', { summary: 'other' }),
          idempotencyKey: `${tag}-a`,
        },
        {
          ...deploy(tag, 'a', {
            status: 'succeeded',
            finishedAt: '2026-03-14T01:50:00Z',
          }),
          idempotencyKey: `${tag}-a2`,
        },
        {
          ...deploy(tag, 'e', {
            environment: 'prod',
            entityRef: `component:default/cov-${tag}`,
            startedAt: '2026-03-14T01:00:00Z',
          }),
          idempotencyKey: `${tag}-e`,
        },
        {
          ...deploy(tag, 'rollback', {
            status: 'succeeded',
            finishedAt: '2026-03-14T02:01:00Z',
            rollbackOf: {
              system: 'github-actions',
              externalId: `${tag}-target`,
            },
          }),
          idempotencyKey: `${tag}-rollback`,
        },
        {
          ...deploy(tag, 'target', {
            status: 'succeeded',
            finishedAt: '2026-03-14T01:45:00Z',
          }),
          idempotencyKey: `${tag}-target`,
        },
        { ...deploy(tag, 'prior'), idempotencyKey: `${tag}-prior` },
        {
          ...deploy(tag, 'prior', { ref: 'v9' }),
          idempotencyKey: `${tag}-prior`,
        },
        {
          ...deploy(tag, 'prior', { status: 'failed', finishedAt: T }),
          idempotencyKey: `${tag}-prior2`,
        },
        {
          ...deploy(tag, 'f', { startedAt: '2026-03-14T02:20:00Z' }),
          idempotencyKey: `${tag}-f`,
        },
      ];
      const res = await post('/changes/batch').send({ items });
      expect(res.status).toBe(200);
      const rows = await t
        .knex('evidence_changes')
        .where('external_id', 'like', `${tag}-%`)
        .orderBy('external_id');
      const coverage = await t
        .knex('evidence_change_coverage')
        .where('entity_ref', `component:default/cov-${tag}`)
        .orderBy(['kind', 'environment']);
      return {
        body: res.body,
        rows: rows.map(row => storedChange(row)),
        coverage: coverage.map(c => ({
          ...c,
          first_ms: Number(c.first_ms),
          last_ms: Number(c.last_ms),
          count: Number(c.count),
        })),
      };
    }

    it('writes changes exactly as the item-by-item path does (EV26, EV27, EV8, EV34)', async () => {
      const runs: Record<BatchMode, unknown> = {} as never;
      for (const mode of ['item-by-item', 'set-based'] as BatchMode[]) {
        t.store().batchMode = mode;
        const tag = `cs${mode === 'set-based' ? 'new' : 'old'}`;
        runs[mode] = normalize(await changeScenario(tag), tag);
      }
      expect(runs['set-based']).toEqual(runs['item-by-item']);
      const body = (runs['set-based'] as { body: any }).body;
      expect(body.results.map((r: { status: number }) => r.status)).toEqual([
        201, 201, 201, 400, 200, 409, 200, 201, 201, 201, 200, 409, 200, 201,
      ]);
      expect(body.summary).toEqual({
        created: 7,
        updated: 2,
        unchanged: 0,
        replayed: 2,
        failed: 3,
      });
    });

    it('replays a set-based item byte-identically through the single route', async () => {
      const item = deploy('replay', 'one', {
        alias: 'checkout',
        entityRef: undefined,
      });
      const batch = await post('/changes/batch').send({
        items: [{ ...item, idempotencyKey: 'replay-one' }],
      });
      expect(batch.body.results[0].status).toBe(201);
      const single = await post('/changes', 'replay-one').send(item);
      expect(single.status).toBe(200);
      expect(single.headers['idempotent-replayed']).toBe('true');
      const row = await t
        .knex('evidence_changes')
        .where({ id: batch.body.results[0].id })
        .first();
      expect(single.text).toBe(
        JSON.stringify({
          record: storedChange(row),
          warnings: batch.body.results[0].warnings,
        }),
      );
    });

    it('aggregates coverage of many new changes of one entity in one batch', async () => {
      const entityRef = 'component:default/coverage-agg';
      const starts = [
        '2026-03-14T01:10:00Z',
        '2026-03-14T00:10:00Z',
        '2026-03-14T01:50:00Z',
      ];
      const res = await post('/changes/batch').send({
        items: starts.map((startedAt, i) => ({
          ...deploy('agg', `${i}`, { entityRef, startedAt }),
          idempotencyKey: `agg-${i}`,
        })),
      });
      expect(res.body.summary.created).toBe(3);
      const coverage = await t
        .knex('evidence_change_coverage')
        .where({ entity_ref: entityRef })
        .first();
      expect(Number(coverage.count)).toBe(3);
      expect(Number(coverage.first_ms)).toBe(Date.parse(starts[1]));
      expect(Number(coverage.last_ms)).toBe(Date.parse(starts[2]));
      expect(t.committed).toContainEqual(
        res.body.results.map((r: { id: string }) => r.id),
      );
    });

    async function factScenario(tag: string) {
      await post('/facts', `${tag}-prior`).send(fact(tag, 'prior'));
      const items = [
        { ...fact(tag, 'a'), idempotencyKey: `${tag}-a` },
        { ...fact(tag, 'a'), idempotencyKey: `${tag}-a` },
        {
          ...fact(tag, 'a', { value: { paths: [] } }),
          idempotencyKey: `${tag}-a`,
        },
        {
          ...fact(tag, 'a', { observedAt: '2026-03-14T02:01:00Z' }),
          idempotencyKey: `${tag}-a2`,
        },
        {
          ...fact(tag, 'b', { entityRef: undefined, alias: 'nobody' }),
          idempotencyKey: `${tag}-b`,
        },
        {
          ...fact(tag, 'c', { freshForSeconds: 999_999_999 }),
          idempotencyKey: `${tag}-c`,
        },
        {
          ...fact(tag, 'd', { observedAt: '2026-03-14T02:30:00Z' }),
          idempotencyKey: `${tag}-d`,
        },
        {
          ...fact(tag, 'prior', {
            observedAt: '2026-03-13T00:00:00Z',
            value: 1,
          }),
          idempotencyKey: `${tag}-prior2`,
        },
        {
          ...fact(tag, 'prior', { value: 2 }),
          idempotencyKey: `${tag}-prior3`,
        },
        { ...fact(tag, 'prior'), idempotencyKey: `${tag}-prior` },
      ];
      const res = await post('/facts/batch').send({ items });
      expect(res.status).toBe(200);
      const latest = await t
        .knex('evidence_facts')
        .where('fact_key', 'like', `${tag}-%`)
        .orderBy('fact_key');
      const history = await t
        .knex('evidence_fact_history')
        .where('fact_key', 'like', `${tag}-%`)
        .orderBy(['fact_key', 'observed_ms', 'value_fp']);
      const strip = (row: Record<string, unknown>) => ({
        ...row,
        observed_ms: Number(row.observed_ms),
        collected_ms: Number(row.collected_ms),
        expires_ms: Number(row.expires_ms),
        updated_ms: Number(row.updated_ms),
        demo: Boolean(row.demo),
      });
      return {
        body: res.body,
        latest: latest.map(strip),
        history: history.map(strip),
      };
    }

    it('writes facts exactly as the item-by-item path does (EV13, EV27 for facts)', async () => {
      const runs: Record<BatchMode, unknown> = {} as never;
      for (const mode of ['item-by-item', 'set-based'] as BatchMode[]) {
        t.store().batchMode = mode;
        const tag = `fs${mode === 'set-based' ? 'new' : 'old'}`;
        runs[mode] = normalize(await factScenario(tag), tag);
      }
      expect(runs['set-based']).toEqual(runs['item-by-item']);
      const body = (runs['set-based'] as { body: any }).body;
      expect(body.results.map((r: { status: number }) => r.status)).toEqual([
        201, 200, 409, 200, 201, 400, 201, 200, 201, 200,
      ]);
    });

    it('leaves one record per key and natural key when batches race', async () => {
      const items = Array.from({ length: 40 }, (_, i) => ({
        ...deploy('race', `${i}`),
        idempotencyKey: `race-${i}`,
      }));
      // Same natural keys under other keys: updates or no-ops of whichever batch won.
      const others = items.map(item => ({
        ...item,
        idempotencyKey: `${item.idempotencyKey}-other`,
      }));
      const responses = await Promise.all([
        post('/changes/batch').send({ items }),
        post('/changes/batch').send({ items }),
        post('/changes/batch').send({ items: others }),
      ]);
      for (const res of responses) expect(res.status).toBe(200);
      const [first, second, other] = responses.map(r => r.body.results);
      for (let i = 0; i < items.length; i++) {
        const all = [first[i], second[i], other[i]];
        expect(all.filter(r => r.status === 201)).toHaveLength(1);
        expect([first[i], second[i]].filter(r => r.replayed)).toHaveLength(1);
      }
      for (const res of responses) expect(res.body.summary.failed).toBe(0);
      const count = await t
        .knex('evidence_changes')
        .where('external_id', 'like', 'race-%')
        .count('* as n');
      expect(Number(count[0].n)).toBe(items.length);
    });
  },
);
