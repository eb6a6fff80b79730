import { TestDatabases, mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PermissionsService } from '@backstage/backend-plugin-api';
import request from 'supertest';
import {
  ObservedEdge,
  StoredChange,
  orderChanges,
  toIsoTimestamp,
} from '@internal/plugin-evidence-common';
import { EvidenceReader } from '../database/EvidenceReader';
import { RetentionRunner } from '../database/RetentionRunner';
import {
  EvidenceTestBackend,
  T,
  entity,
  startEvidenceTestBackend,
} from '../__testUtils__/startEvidenceTestBackend';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['POSTGRES_15', 'SQLITE_3'],
  disableDocker: true,
});

const CHECKOUT = 'component:default/checkout-service';
const alice = mockCredentials.user.header('user:default/alice');
const mallory = mockCredentials.user.header('user:default/mallory');
const serviceHeader = (subject: string) =>
  mockCredentials.service.header({
    onBehalfOf: mockCredentials.service(subject),
    targetPluginId: 'evidence',
  });

const DAY_MS = 86400_000;

let seq = 0;
/** A fresh natural key per fixture, so tests sharing a database stay independent. */
function nextId(): string {
  seq += 1;
  return `run-${seq}`;
}

function deploy(over: Record<string, unknown> = {}) {
  return {
    entityRef: CHECKOUT,
    kind: 'deploy',
    environment: 'production',
    ref: 'v1.2.3',
    summary: 'Deploy checkout-service 1.2.3',
    actor: { type: 'bot', id: 'github-actions' },
    source: { system: 'github-actions', externalId: nextId() },
    startedAt: '2026-03-14T01:40:00Z',
    status: 'started',
    attributes: { artifactDigest: 'sha256:abc' },
    ...over,
  };
}

function fact(over: Record<string, unknown> = {}) {
  return {
    entityRef: CHECKOUT,
    source: 'golden-paths',
    kind: 'repo.files',
    value: { paths: ['README.md'] },
    observedAt: '2026-03-14T02:00:00Z',
    ...over,
  };
}

const LEDGER = 'component:default/payments-ledger';
const REPLICA = 'component:default/ledger-replica';

const CATALOG = [
  entity('Component', 'checkout-service', {
    'ops.example.com/aliases': 'checkout',
  }),
  entity('Component', 'payments-ledger'),
  entity('Component', 'ledger-replica'),
];

/** catalog.entity.read requests as the permissions fake received them, one entry per call. */
const entityReadCalls: { principal: string; refs: string[] }[] = [];

/**
 * Allows everything except, for user:default/mallory, evidence.ingest and catalog.entity.read
 * of LEDGER (DENY) and REPLICA (CONDITIONAL, which `authorize` should never return).
 */
const restrictMallory: PermissionsService = {
  authorize: async (requests, options) => {
    const principal = options?.credentials.principal as {
      userEntityRef?: string;
      subject?: string;
    };
    const isMallory = principal.userEntityRef === 'user:default/mallory';
    const entityReads = requests.filter(
      r => r.permission.name === 'catalog.entity.read',
    );
    if (entityReads.length > 0) {
      entityReadCalls.push({
        principal: principal.userEntityRef ?? principal.subject ?? '?',
        refs: entityReads.map(r => r.resourceRef!),
      });
    }
    return requests.map(r => {
      if (!isMallory) return { result: AuthorizeResult.ALLOW };
      if (r.permission.name === 'evidence.ingest') {
        return { result: AuthorizeResult.DENY };
      }
      if (r.permission.name === 'catalog.entity.read') {
        if (r.resourceRef === LEDGER) return { result: AuthorizeResult.DENY };
        if (r.resourceRef === REPLICA) {
          return { result: AuthorizeResult.CONDITIONAL };
        }
      }
      return { result: AuthorizeResult.ALLOW };
    }) as never;
  },
  authorizeConditional: async requests =>
    requests.map(() => ({ result: AuthorizeResult.ALLOW })) as never,
};

describe.each(databases.eachSupportedId())(
  'evidence router on %s',
  databaseId => {
    let t: EvidenceTestBackend;

    beforeAll(async () => {
      t = await startEvidenceTestBackend(databases, databaseId, {
        entities: CATALOG,
        permissions: restrictMallory,
        config: { sources: { 'ev40-scanner': { expectEvery: '1h' } } },
      });
    });

    afterAll(async () => {
      await t.stop();
    });

    beforeEach(() => {
      t.clock.now = new Date(T);
    });

    const post = (path: string, key?: string) => {
      const req = request(t.server)
        .post(`/api/evidence${path}`)
        .set('Authorization', alice);
      return key ? req.set('Idempotency-Key', key) : req;
    };
    const get = (path: string) =>
      request(t.server).get(`/api/evidence${path}`).set('Authorization', alice);
    const ids = (res: { body: { items: { id: string }[] } }) =>
      res.body.items.map(i => i.id);
    const countChanges = async (externalId: string) =>
      Number(
        (
          await t
            .knex('evidence_changes')
            .where({ external_id: externalId })
            .count('* as n')
        )[0].n,
      );

    it('EV1 replays the same key and body byte-identically', async () => {
      const body = deploy();
      const first = await post('/changes', 'gha:acme/cart:1:ev1').send(body);
      expect(first.status).toBe(201);
      expect(first.body.record).toMatchObject({
        entityRef: CHECKOUT,
        resolution: 'resolved',
        status: 'started',
        risk: null,
      });
      // Other key order and whitespace: the fingerprint is canonical.
      const reordered = Object.fromEntries(Object.entries(body).reverse());
      const second = await post('/changes', 'gha:acme/cart:1:ev1')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(reordered, null, 2));
      expect(second.status).toBe(200);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(second.text).toBe(first.text);
      expect(await countChanges(body.source.externalId)).toBe(1);
    });

    it('EV2 refuses a reused key with another body', async () => {
      const body = deploy();
      const first = await post('/changes', 'ev2-key').send(body);
      expect(first.status).toBe(201);
      const res = await post('/changes', 'ev2-key').send({
        ...body,
        summary: 'something else',
      });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(res.body.error.details).toMatchObject({
        idempotencyKey: 'ev2-key',
        storedFingerprint: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
        requestFingerprint: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
        firstUsedAt: T,
      });
      expect(res.body.error.message).toMatch(
        /^Idempotency-Key "ev2-key" was first used at 2026-03-14T02:05:00.000Z with a different body/,
      );
      expect(res.body.request).toEqual({
        method: 'POST',
        url: '/api/evidence/changes',
      });
      const get1 = await get(`/changes/${first.body.record.id}`);
      expect(get1.body.record.summary).toBe(body.summary);
    });

    it('frees a key once its 7-day retention has passed, before the daily sweep removes it', async () => {
      const first = await post('/changes', 'expired-key').send(deploy());
      expect(first.status).toBe(201);
      t.clock.now = new Date(Date.parse(T) + 7 * 86_400_000 - 1000);
      const within = await post('/changes', 'expired-key').send(
        deploy({ summary: 'another deploy' }),
      );
      expect(within.body.error?.code).toBe('IDEMPOTENCY_KEY_REUSED');

      t.clock.now = new Date(Date.parse(T) + 7 * 86_400_000 + 3600_000);
      const after = await post('/changes', 'expired-key').send(
        deploy({ summary: 'another deploy' }),
      );
      expect(after.status).toBe(201);
      expect(after.body.record.id).not.toBe(first.body.record.id);
      // The same in a batch, whose keys are claimed in bulk.
      const batchFirst = await post('/changes/batch').send({
        items: [{ ...deploy(), idempotencyKey: 'expired-batch-key' }],
      });
      expect(batchFirst.body.results[0].status).toBe(201);
      t.clock.now = new Date(Date.parse(T) + 15 * 86_400_000);
      const batchAfter = await post('/changes/batch').send({
        items: [
          {
            ...deploy({ summary: 'yet another deploy' }),
            idempotencyKey: 'expired-batch-key',
          },
        ],
      });
      expect(batchAfter.body.results[0]).toMatchObject({ status: 201 });
    });

    it('refuses per item what lower-casing would lengthen past its column, and keeps the rest of the batch', async () => {
      // Before, PostgreSQL refused the stored value (varchar(64)) and the whole batch was a 500.
      const res = await post('/changes/batch').send({
        items: [
          {
            ...deploy({ environment: `İ${'a'.repeat(63)}` }),
            idempotencyKey: 'lower-cased-long',
          },
          { ...deploy(), idempotencyKey: 'lower-cased-neighbour' },
        ],
      });
      expect(res.status).toBe(200);
      expect(res.body.results).toMatchObject([
        {
          status: 400,
          error: {
            field: 'items[0].environment',
            message:
              'items[0].environment must be at most 64 characters once lower-cased, as it is stored (got 65)',
          },
        },
        { status: 201 },
      ]);
    });

    it('EV3 requires a well-formed key on single routes and none on batches', async () => {
      const missing = await post('/changes').send(deploy());
      expect(missing.status).toBe(400);
      expect(missing.body.error).toMatchObject({
        code: 'IDEMPOTENCY_KEY_REQUIRED',
        message: 'Idempotency-Key header is required',
      });
      const long = await post('/changes', 'a'.repeat(257)).send(deploy());
      expect(long.body.error.code).toBe('IDEMPOTENCY_KEY_INVALID');
      const space = await post('/changes', 'a b').send(deploy());
      expect(space.status).toBe(400);
      expect(space.body.error.message).toBe(
        'Idempotency-Key must be 1–256 characters from A-Z a-z 0-9 . _ : / - (got "a b")',
      );
      const batch = await post('/changes/batch', 'k').send({
        items: [{ ...deploy(), idempotencyKey: 'x' }],
      });
      expect(batch.status).toBe(400);
      expect(batch.body.error.code).toBe('IDEMPOTENCY_KEY_NOT_ALLOWED');
    });

    it('EV5 turns 50 concurrent identical POSTs into one record', async () => {
      const body = deploy();
      const responses = await Promise.all(
        Array.from({ length: 50 }, () =>
          post('/changes', 'ev5-key').send(body),
        ),
      );
      const statuses = responses.map(r => r.status).sort();
      expect(statuses.filter(s => s === 201)).toHaveLength(1);
      expect(statuses.filter(s => s === 200)).toHaveLength(49);
      expect(
        responses.filter(r => r.headers['idempotent-replayed'] === 'true'),
      ).toHaveLength(49);
      expect(new Set(responses.map(r => r.text)).size).toBe(1);
      expect(await countChanges(body.source.externalId)).toBe(1);
    });

    it('EV6 binds nothing for a failed request', async () => {
      const body = deploy();
      const bad = await post('/changes', 'ev6-key').send({
        ...body,
        startedAt: 'yesterday',
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error).toMatchObject({
        code: 'INVALID_FIELD',
        field: 'startedAt',
        message:
          'startedAt must be an ISO-8601 UTC timestamp (got "yesterday")',
      });
      const good = await post('/changes', 'ev6-key').send(body);
      expect(good.status).toBe(201);
    });

    it('EV7 updates by natural key and refuses immutable and backward changes', async () => {
      const body = deploy();
      await post('/changes', 'ev7-start').send(body);
      const finished = await post('/changes', 'ev7-finish').send({
        ...body,
        status: 'succeeded',
        finishedAt: '2026-03-14T02:00:00Z',
      });
      expect(finished.status).toBe(200);
      expect(finished.body.record).toMatchObject({
        status: 'succeeded',
        finishedAt: '2026-03-14T02:00:00.000Z',
      });
      expect(await countChanges(body.source.externalId)).toBe(1);
      const kind = await post('/changes', 'ev7-kind').send({
        ...body,
        kind: 'config',
        attributes: { keys: ['a'] },
      });
      expect(kind.status).toBe(409);
      expect(kind.body.error).toMatchObject({
        code: 'IMMUTABLE_FIELD',
        field: 'kind',
        message: `kind cannot change for github-actions/${body.source.externalId} (stored "deploy", got "config")`,
      });
      const back = await post('/changes', 'ev7-back').send(body);
      expect(back.status).toBe(409);
      expect(back.body.error).toMatchObject({
        code: 'INVALID_TRANSITION',
        message: `status cannot move from succeeded to started for github-actions/${body.source.externalId}`,
      });
      const same = await post('/changes', 'ev7-same').send({
        ...body,
        status: 'succeeded',
        finishedAt: '2026-03-14T02:00:00Z',
      });
      expect(same.status).toBe(200);
      expect(same.body.unchanged).toBe(true);
    });

    it('EV4 keeps a re-sent change whose finishedAt was read as its receipt time unchanged', async () => {
      // finishedAt 25 min ahead of the server clock: stored as the receipt time, SKEWED (§3.8).
      const sent = deploy({
        status: 'succeeded',
        finishedAt: '2026-03-14T02:30:00Z',
      });
      const first = await post('/changes', 'ev4-skew-1').send(sent);
      expect(first.body.record).toMatchObject({
        finishedAt: T,
        flags: ['SKEWED'],
      });
      // The same body again under new keys (a retried step, a key past its 7 days): a no-op
      // by natural key, not a finish moved to each new receipt time.
      for (const [minutes, key] of [
        [1, 'ev4-skew-2'],
        [30, 'ev4-skew-3'],
      ] as const) {
        t.clock.now = new Date(Date.parse(T) + minutes * 60_000);
        const again = await post('/changes', key).send(sent);
        expect({
          status: again.status,
          unchanged: again.body.unchanged,
          finishedAt: again.body.record.finishedAt,
        }).toEqual({ status: 200, unchanged: true, finishedAt: T });
      }

      // Likewise when the skewed finish arrived as an update of a started change.
      t.clock.now = new Date(T);
      const started = deploy();
      await post('/changes', 'ev4-skew-4').send(started);
      const finish = {
        ...started,
        status: 'succeeded',
        finishedAt: '2026-03-14T03:00:00Z',
      };
      const finished = await post('/changes', 'ev4-skew-5').send(finish);
      expect(finished.body.record).toMatchObject({
        finishedAt: T,
        flags: ['SKEWED'],
      });
      t.clock.now = new Date(Date.parse(T) + 3 * 60_000);
      const retried = await post('/changes', 'ev4-skew-6').send(finish);
      expect({
        status: retried.status,
        unchanged: retried.body.unchanged,
        finishedAt: retried.body.record.finishedAt,
      }).toEqual({ status: 200, unchanged: true, finishedAt: T });
      // A finish that is really later is still an update.
      const later = await post('/changes', 'ev4-skew-7').send({
        ...started,
        status: 'rolled-back',
        finishedAt: '2026-03-14T02:07:00Z',
      });
      expect(later.body.record).toMatchObject({
        status: 'rolled-back',
        finishedAt: '2026-03-14T02:07:00.000Z',
      });
    });

    it('EV8 marks rollback targets, also when the target arrives later', async () => {
      const target = deploy({
        status: 'succeeded',
        finishedAt: '2026-03-14T01:50:00Z',
      });
      const created = await post('/changes', 'ev8-target').send(target);
      const rollback = deploy({
        status: 'succeeded',
        finishedAt: '2026-03-14T02:01:00Z',
        rollbackOf: target.source,
      });
      const rb = await post('/changes', 'ev8-rollback').send(rollback);
      expect(rb.status).toBe(201);
      expect(rb.body.record.rollbackOf).toBe(created.body.record.id);
      expect(
        (await get(`/changes/${created.body.record.id}`)).body.record.status,
      ).toBe('rolled-back');

      // By id as well.
      const target2 = await post('/changes', 'ev8-target2').send(
        deploy({ status: 'failed', finishedAt: '2026-03-14T01:50:00Z' }),
      );
      await post('/changes', 'ev8-rollback2').send(
        deploy({
          status: 'succeeded',
          finishedAt: '2026-03-14T02:01:00Z',
          rollbackOf: target2.body.record.id,
        }),
      );
      expect(
        (await get(`/changes/${target2.body.record.id}`)).body.record.status,
      ).toBe('rolled-back');

      // Unknown target first: accepted and flagged, linked when the target arrives.
      const lateTarget = deploy({
        status: 'succeeded',
        finishedAt: '2026-03-14T01:50:00Z',
      });
      const early = await post('/changes', 'ev8-early').send(
        deploy({
          status: 'succeeded',
          finishedAt: '2026-03-14T02:01:00Z',
          rollbackOf: lateTarget.source,
        }),
      );
      expect(early.status).toBe(201);
      expect(early.body.record.flags).toContain('ROLLBACK_TARGET_UNKNOWN');
      expect(
        early.body.warnings.map((w: { code: string }) => w.code),
      ).toContain('ROLLBACK_TARGET_UNKNOWN');
      const arrived = await post('/changes', 'ev8-late').send(lateTarget);
      expect(arrived.status).toBe(201);
      expect(arrived.body.record.status).toBe('rolled-back');
      const linked = (await get(`/changes/${early.body.record.id}`)).body
        .record;
      expect(linked.rollbackOf).toBe(arrived.body.record.id);
      expect(linked.flags).not.toContain('ROLLBACK_TARGET_UNKNOWN');
      expect(linked.rollbackOfRef).toEqual(lateTarget.source);
    });

    it('marks a target rolled back when it finishes after its rollback succeeded', async () => {
      // The rollback lands while the deploy it reverses is still running: linked, and the
      // deploy is rolled back once it reports its end.
      const running = deploy({ status: 'started' });
      const target = await post('/changes', 'ev8-running').send(running);
      await post('/changes', 'ev8-running-rollback').send(
        deploy({
          status: 'succeeded',
          finishedAt: '2026-03-14T02:01:00Z',
          rollbackOf: running.source,
        }),
      );
      expect(
        (await get(`/changes/${target.body.record.id}`)).body.record.status,
      ).toBe('started');
      const done = await post('/changes', 'ev8-running-done').send({
        ...running,
        status: 'succeeded',
        finishedAt: '2026-03-14T02:02:00Z',
      });
      expect(done.status).toBe(200);
      expect(done.body.record.status).toBe('rolled-back');

      // A rollback that failed reverses nothing.
      const other = deploy({ status: 'started' });
      const kept = await post('/changes', 'ev8-kept').send(other);
      await post('/changes', 'ev8-kept-rollback').send(
        deploy({
          status: 'failed',
          finishedAt: '2026-03-14T02:01:00Z',
          rollbackOf: other.source,
        }),
      );
      await post('/changes', 'ev8-kept-done').send({
        ...other,
        status: 'succeeded',
        finishedAt: '2026-03-14T02:02:00Z',
      });
      expect(
        (await get(`/changes/${kept.body.record.id}`)).body.record.status,
      ).toBe('succeeded');
    });

    it('EV9 keeps unknown entities, lists them, and attaches them once registered', async () => {
      const promo = 'component:default/promo-engine';
      const res = await post('/changes', 'ev9-change').send(
        deploy({ entityRef: promo }),
      );
      expect(res.status).toBe(201);
      expect(res.body.record).toMatchObject({
        entityRef: promo,
        resolution: 'unresolved',
      });
      expect(res.body.warnings[0]).toMatchObject({
        code: 'UNKNOWN_ENTITY',
        field: 'entityRef',
      });
      const unresolved = await get('/changes?resolution=unresolved');
      expect(unresolved.body.items.map((c: { id: string }) => c.id)).toContain(
        res.body.record.id,
      );
      const window = { from: '2026-03-14T00:00:00Z', to: T };
      const before = await post('/changes/query').send({
        entityRefs: [promo],
        ...window,
      });
      expect(before.body.items).toEqual([]);
      const factRes = await post('/facts', 'ev9-fact').send(
        fact({ entityRef: promo }),
      );
      expect(factRes.status).toBe(201);
      expect(factRes.body.record.resolution).toBe('unresolved');
      expect((await get(`/facts?entityRef=${promo}`)).body.items).toEqual([]);
      expect(
        (await get('/facts?resolution=unresolved')).body.items.map(
          (f: { id: string }) => f.id,
        ),
      ).toContain(factRes.body.record.id);

      // The entity is registered: ledger reads see it at once, facts after re-resolution.
      t.resolver.rebuild([
        entity('Component', 'checkout-service', {
          'ops.example.com/aliases': 'checkout',
        }),
        entity('Component', 'promo-engine'),
      ]);
      const after = await post('/changes/query').send({
        entityRefs: [promo],
        ...window,
      });
      expect(after.body.items.map((c: { id: string }) => c.id)).toEqual([
        res.body.record.id,
      ]);
      await t.store().reresolve();
      expect(
        (await get(`/facts?entityRef=${promo}`)).body.items.map(
          (f: { id: string }) => f.id,
        ),
      ).toEqual([factRes.body.record.id]);
    });

    it('EV11 applies the change clock', async () => {
      const skewed = await post('/changes', 'ev11-skew').send(
        deploy({ startedAt: '2026-03-14T02:15:00Z' }),
      );
      expect(skewed.body.record).toMatchObject({
        effectiveAt: T,
        startedAt: '2026-03-14T02:15:00.000Z',
        flags: ['SKEWED'],
      });
      const ahead = await post('/changes', 'ev11-ahead').send(
        deploy({ startedAt: '2026-03-14T02:09:00Z' }),
      );
      expect(ahead.body.record).toMatchObject({
        effectiveAt: '2026-03-14T02:09:00.000Z',
        flags: [],
      });
      const backwards = await post('/changes', 'ev11-order').send(
        deploy({
          startedAt: '2026-03-14T02:00:00Z',
          finishedAt: '2026-03-14T01:00:00Z',
          status: 'succeeded',
        }),
      );
      expect(backwards.status).toBe(400);
      expect(backwards.body.error.message).toBe(
        'finishedAt must not be before startedAt (got 2026-03-14T01:00:00.000Z < 2026-03-14T02:00:00.000Z)',
      );
      const late = await post('/changes', 'ev11-late').send(
        deploy({
          startedAt: '2026-03-11T01:00:00Z',
          finishedAt: '2026-03-11T02:00:00Z',
          status: 'succeeded',
        }),
      );
      expect(late.body.record.flags).toEqual(['LATE']);
      expect(late.body.record.effectiveAt).toBe('2026-03-11T01:00:00.000Z');
    });

    it('EV13 versions facts', async () => {
      const key = `k${nextId()}`;
      const first = await post('/facts', `${key}-1`).send(fact({ key }));
      expect(first.status).toBe(201);
      const again = await post('/facts', `${key}-2`).send(
        fact({ key, observedAt: '2026-03-14T02:04:00Z' }),
      );
      expect(again.status).toBe(200);
      expect(again.body.record.observedAt).toBe('2026-03-14T02:04:00.000Z');
      const changed = await post('/facts', `${key}-3`).send(
        fact({
          key,
          observedAt: '2026-03-14T02:05:00Z',
          value: { paths: ['README.md', 'CODEOWNERS'] },
        }),
      );
      expect(changed.status).toBe(201);
      const older = await post('/facts', `${key}-4`).send(
        fact({ key, observedAt: '2026-03-13T00:00:00Z', value: { paths: [] } }),
      );
      expect(older.status).toBe(200);
      expect(older.body.record.flags).toContain('OUT_OF_ORDER');
      const latest = await get(`/facts?entityRef=${CHECKOUT}&key=${key}`);
      expect(latest.body.items).toHaveLength(1);
      expect(latest.body.items[0].value).toEqual({
        paths: ['README.md', 'CODEOWNERS'],
      });
      const history = await get(
        `/facts/history?entityRef=${CHECKOUT}&kind=repo.files&key=${key}`,
      );
      // New value, changed value, out-of-order value; the re-confirmation adds no row.
      expect(history.body.items).toHaveLength(3);
    });

    it('replays a retried fact after the clock moved its observedAt past the history limit; a new write is refused', async () => {
      // Accepted one hour inside the 400-day history limit, retried two hours later.
      const observedAt = toIsoTimestamp(
        Date.parse(T) - 400 * DAY_MS + 3600_000,
      );
      const key = `k${nextId()}`;
      const body = fact({ key, observedAt });
      const batchItem = { ...body, key: `${key}-b` };
      const first = await post('/facts', 'history-edge-1').send(body);
      expect(first.status).toBe(201);
      const batchFirst = await post('/facts/batch').send({
        items: [{ ...batchItem, idempotencyKey: 'history-edge-b' }],
      });
      expect(batchFirst.body.results[0].status).toBe(201);
      t.clock.now = new Date(Date.parse(T) + 2 * 3600_000);
      const refused = {
        code: 'INVALID_FIELD',
        field: 'observedAt',
        message: `observedAt is older than the 400-day history retention (got ${observedAt})`,
      };

      const retry = await post('/facts', 'history-edge-1').send(body);
      expect({
        status: retry.status,
        replayed: retry.headers['idempotent-replayed'],
        text: retry.text,
      }).toEqual({ status: 200, replayed: 'true', text: first.text });
      const batchRetry = await post('/facts/batch').send({
        items: [
          { ...batchItem, idempotencyKey: 'history-edge-b' },
          { ...body, idempotencyKey: 'history-edge-new' },
        ],
      });
      expect(batchRetry.body.results).toMatchObject([
        {
          status: 200,
          replayed: true,
          id: batchFirst.body.results[0].id,
        },
        {
          status: 400,
          error: {
            ...refused,
            field: 'items[1].observedAt',
            message: `items[1].${refused.message}`,
          },
        },
      ]);

      // The same key with another body is still a collision, not a replay.
      const reused = await post('/facts', 'history-edge-1').send({
        ...body,
        value: { paths: ['CODEOWNERS'] },
      });
      expect({ status: reused.status, code: reused.body.error?.code }).toEqual({
        status: 409,
        code: 'IDEMPOTENCY_KEY_REUSED',
      });
      // A new write of the same body is held to the limit, and binds nothing.
      const fresh = await post('/facts', 'history-edge-2').send(body);
      expect({ status: fresh.status, error: fresh.body.error }).toMatchObject({
        status: 400,
        error: refused,
      });
      expect(
        await t
          .knex('evidence_idempotency')
          .where('idem_key', 'history-edge-2'),
      ).toEqual([]);
      // Any other broken rule still answers at once, with the history issue beside it.
      const both = await post('/facts', 'history-edge-3').send({
        ...body,
        kind: 'no.such.kind',
      });
      expect(
        both.body.error.details.issues.map((i: { field: string }) => i.field),
      ).toEqual(['kind', 'observedAt']);
    });

    it('EV25 refuses batches outside 1–500 items', async () => {
      const items = Array.from({ length: 501 }, (_, i) => ({
        ...deploy(),
        idempotencyKey: `ev25-${i}`,
      }));
      const res = await post('/changes/batch').send({ items });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({
        code: 'BATCH_SIZE',
        message: 'items must contain 1–500 entries (got 501)',
      });
      expect(
        (await t.knex('evidence_idempotency').where('idem_key', 'ev25-0'))
          .length,
      ).toBe(0);
      const empty = await post('/changes/batch').send({ items: [] });
      expect(empty.body.error.message).toBe(
        'items must contain 1–500 entries (got 0)',
      );
    });

    it('EV26 processes batch items on their own', async () => {
      const res = await post('/changes/batch').send({
        items: [
          { ...deploy(), idempotencyKey: 'ev26-0' },
          { ...deploy({ startedAt: 'yesterday' }), idempotencyKey: 'ev26-1' },
          { ...deploy(), idempotencyKey: 'ev26-2' },
        ],
      });
      expect(res.status).toBe(200);
      expect(res.body.results.map((r: { status: number }) => r.status)).toEqual(
        [201, 400, 201],
      );
      expect(res.body.results[1].error.message).toBe(
        'items[1].startedAt must be an ISO-8601 UTC timestamp (got "yesterday")',
      );
      expect(res.body.results[1].error.field).toBe('items[1].startedAt');
      expect(res.body.summary).toEqual({
        created: 2,
        updated: 0,
        unchanged: 0,
        replayed: 0,
        failed: 1,
      });
    });

    it('EV27 handles duplicates inside one batch', async () => {
      const a = deploy();
      const res = await post('/changes/batch').send({
        items: [
          { ...a, idempotencyKey: 'ev27-a' },
          { ...a, idempotencyKey: 'ev27-a' },
          { ...a, summary: 'other', idempotencyKey: 'ev27-a' },
          { ...a, status: 'succeeded', idempotencyKey: 'ev27-b' },
        ],
      });
      expect(res.body.results).toMatchObject([
        { status: 201 },
        { status: 200, replayed: true },
        { status: 409, error: { code: 'IDEMPOTENCY_KEY_REUSED' } },
        { status: 200 },
      ]);
      expect(res.body.summary).toMatchObject({
        created: 1,
        replayed: 1,
        updated: 1,
        failed: 1,
      });
      expect(await countChanges(a.source.externalId)).toBe(1);
    });

    it('EV28 refuses oversized bodies and values', async () => {
      const big = JSON.stringify({ pad: 'x'.repeat(1048576) });
      const res = await post('/changes', 'ev28')
        .set('Content-Type', 'application/json')
        .send(big);
      expect(res.status).toBe(413);
      expect(res.body.error).toMatchObject({
        code: 'PAYLOAD_TOO_LARGE',
        message: 'request body exceeds 1048576 bytes',
      });
      const hugeBatch = JSON.stringify({ items: ['x'.repeat(8388608)] });
      const batch = await post('/changes/batch')
        .set('Content-Type', 'application/json')
        .send(hugeBatch);
      expect(batch.status).toBe(413);
      expect(batch.body.error.message).toBe(
        'request body exceeds 8388608 bytes',
      );
      const value = await post('/facts', 'ev28-value').send(
        fact({ value: { blob: 'y'.repeat(70 * 1024) } }),
      );
      expect(value.status).toBe(400);
      expect(value.body.error.field).toBe('value');
    });

    it('EV29 maps parser errors', async () => {
      const res = await post('/changes', 'ev29')
        .set('Content-Type', 'application/json')
        .send('{"kind":');
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({
        code: 'MALFORMED_JSON',
        message: 'request body is not valid JSON',
      });
      const text = await post('/changes', 'ev29')
        .set('Content-Type', 'text/plain')
        .send('hello');
      expect(text.status).toBe(415);
      expect(text.body.error.message).toBe(
        'Content-Type must be application/json (got "text/plain")',
      );
    });

    it('EV30 answers 401 without valid credentials and stores nothing', async () => {
      const body = deploy();
      for (const header of [
        mockCredentials.none.header(),
        mockCredentials.user.invalidHeader(),
      ]) {
        const res = await request(t.server)
          .post('/api/evidence/changes')
          .set('Authorization', header)
          .set('Idempotency-Key', 'ev30')
          .send(body);
        expect(res.status).toBe(401);
        expect(res.body.error.name).toBe('AuthenticationError');
      }
      const read = await request(t.server)
        .get('/api/evidence/sources')
        .set('Authorization', mockCredentials.none.header());
      expect(read.status).toBe(401);
      expect(await countChanges(body.source.externalId)).toBe(0);
    });

    it('EV31 answers 403 for a user denied evidence.ingest and for foreign risk writers', async () => {
      const res = await request(t.server)
        .post('/api/evidence/changes')
        .set('Authorization', mallory)
        .set('Idempotency-Key', 'ev31')
        .send(deploy());
      expect(res.status).toBe(403);
      expect(res.body.error).toMatchObject({
        code: 'FORBIDDEN',
        message: 'permission evidence.ingest is required',
      });
      const reads = await request(t.server)
        .get('/api/evidence/sources')
        .set('Authorization', mallory);
      expect(reads.status).toBe(200);
      const change = await post('/changes', 'ev31-change').send(deploy());
      const risk = await request(t.server)
        .put(`/api/evidence/changes/${change.body.record.id}/risk`)
        .set('Authorization', serviceHeader('plugin:scorecards'))
        .send(riskBody());
      expect(risk.status).toBe(403);
      expect(risk.body.error.message).toBe(
        'only plugin:incident-brief may set change risk (got plugin:scorecards)',
      );
    });

    it('EV33 refuses reserved sources for pushes', async () => {
      const res = await post('/facts', 'ev33-a').send(
        fact({ source: 'prometheus', kind: 'telemetry.presence' }),
      );
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(
        'source "prometheus" is reserved for the prometheus collector',
      );
      const ok = await post('/facts', 'ev33-b').send(fact());
      expect(ok.status).toBe(201);
    });

    it('EV35 publishes new changes and keeps risk write-once', async () => {
      const change = await post('/changes', 'ev35').send(deploy());
      expect(t.committed).toContainEqual([change.body.record.id]);
      const path = `/api/evidence/changes/${change.body.record.id}/risk`;
      const brief = serviceHeader('plugin:incident-brief');
      const first = await request(t.server)
        .put(path)
        .set('Authorization', brief)
        .send(riskBody());
      expect(first.status).toBe(200);
      expect(first.body.record.risk).toEqual(riskBody());
      const same = await request(t.server)
        .put(path)
        .set('Authorization', brief)
        .send(riskBody());
      expect(same.status).toBe(200);
      const other = await request(t.server)
        .put(path)
        .set('Authorization', brief)
        .send({ ...riskBody(), score: 9 });
      expect(other.status).toBe(409);
      expect(other.body.error).toMatchObject({
        code: 'RISK_ALREADY_SET',
        message: `risk for change ${change.body.record.id} is already set (model risk/1)`,
      });
    });

    it('lists the refs whose evidence changed since a time, without restricted ones', async () => {
      const later = Date.parse(T) + 30 * DAY_MS;
      t.clock.now = new Date(later);
      const before = await get(`/entities/changed?since=${later - 1}`);
      expect(before.status).toBe(200);
      expect(before.body).toEqual({
        asOf: new Date(later).toISOString(),
        until: String(later),
        refs: [],
      });

      t.clock.now = new Date(later + 1000);
      const written = await post('/facts', 'changed-feed-1').send(
        fact({ entityRef: LEDGER, observedAt: new Date(later).toISOString() }),
      );
      expect(written.status).toBe(201);
      const after = await get(`/entities/changed?since=${later}`);
      expect(after.body.refs).toEqual([LEDGER]);
      // a user gets no marks: they would name edges to entities the user may not read
      expect(after.body.marks).toBeUndefined();
      // Everything with evidence, from the beginning.
      const all = await get('/entities/changed');
      expect(all.body.refs).toEqual(expect.arrayContaining([LEDGER]));
      // mallory may not read payments-ledger: not even its name is listed.
      const hidden = await request(t.server)
        .get(`/api/evidence/entities/changed?since=${later}`)
        .set('Authorization', mallory);
      expect(hidden.status).toBe(200);
      expect(hidden.body.refs).toEqual([]);
      const service = await request(t.server)
        .get(`/api/evidence/entities/changed?since=${later}`)
        .set('Authorization', serviceHeader('plugin:catalog'));
      expect(service.body.refs).toEqual([LEDGER]);
      // a service (a mirror) gets the write behind it, by row and write stamp
      expect(service.body.marks).toEqual({
        [LEDGER]: [`f:${written.body.record.id}@${later + 1000}`],
      });

      const bad = await get('/entities/changed?since=yesterday');
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toContain(
        'since must be epoch milliseconds',
      );
    });

    it('reads edges with freshness at read and source health', async () => {
      const res = await post('/edges/batch').send({
        items: [
          {
            idempotencyKey: 'edges-1',
            source: 'mesh',
            client: 'checkout',
            server: 'tax-svc',
            connectionType: '',
            lastSeen: '2026-03-14T01:05:00Z',
          },
          {
            idempotencyKey: 'edges-2',
            source: 'mesh',
            client: 'checkout',
            server: 'old-svc',
            connectionType: '',
            lastSeen: '2026-03-12T00:00:00Z',
          },
          {
            idempotencyKey: 'edges-3',
            source: 'mesh',
            client: 'checkout',
            server: 'checkout',
            connectionType: '',
            lastSeen: '2026-03-12T00:00:00Z',
          },
        ],
      });
      expect(res.body.results.map((r: { status: number }) => r.status)).toEqual(
        [201, 201, 400],
      );
      const all = await get(`/edges?entityRef=${CHECKOUT}&direction=outgoing`);
      expect(
        all.body.items.map((e: { server: string; observation: string }) => [
          e.server,
          e.observation,
        ]),
      ).toEqual([
        ['tax-svc', 'fresh'],
        ['old-svc', 'stale'],
      ]);
      expect(all.body.items[0]).toMatchObject({
        dependentRef: CHECKOUT,
        dependencyRef: null,
        unmapped: ['server'],
      });
      const fresh = await get(
        `/edges?entityRef=${CHECKOUT}&includeStale=false`,
      );
      expect(fresh.body.items).toHaveLength(1);

      // §5.1, R16: the names no entity claims, with who they talk to
      const unmapped = await get('/edges/unmapped');
      expect(unmapped.status).toBe(200);
      expect(unmapped.body.items).toEqual([
        {
          name: 'old-svc',
          seenAs: ['server'],
          edges: 1,
          lastSeen: '2026-03-12T00:00:00.000Z',
          sources: ['mesh'],
          counterparts: [{ name: 'checkout', ref: CHECKOUT, edges: 1 }],
        },
        {
          name: 'tax-svc',
          seenAs: ['server'],
          edges: 1,
          lastSeen: '2026-03-14T01:05:00.000Z',
          sources: ['mesh'],
          counterparts: [{ name: 'checkout', ref: CHECKOUT, edges: 1 }],
        },
      ]);
      const freshOnly = await get('/edges/unmapped?includeStale=false');
      expect(freshOnly.body.items.map((i: { name: string }) => i.name)).toEqual(
        ['tax-svc'],
      );
      const badQuery = await get('/edges/unmapped?entityRef=x');
      expect(badQuery.status).toBe(400);

      await t.store().recordSourceRun({
        source: 'prometheus',
        outcome: 'unavailable',
        at: new Date(T),
        error: 'connect ECONNREFUSED',
      });
      const health = await get('/health');
      expect(health.body.items).toContainEqual(
        expect.objectContaining({
          source: 'prometheus',
          status: 'unavailable',
          since: T,
          lastSuccessAt: null,
        }),
      );
      expect(health.body.items).toContainEqual(
        expect.objectContaining({ source: 'mesh', status: 'ok' }),
      );
    });

    // Every read refuses what it cannot answer with the §3.9 body naming the field, instead of
    // a 500 or a silently different query.
    it.each([
      ['POST /read', {}, 'entityRefs is required'],
      [
        'POST /read',
        { entityRefs: [] },
        'entityRefs must contain 1–5000 entries (got 0)',
      ],
      [
        'POST /read',
        { entityRefs: ['checkout'] },
        'entityRefs[0] "checkout" is not a full ref (kind:namespace/name)',
      ],
      [
        'POST /read',
        { entityRefs: [CHECKOUT], include: 'facts' },
        'include must be an array (got "facts")',
      ],
      [
        'POST /read',
        { entityRefs: [CHECKOUT], include: ['facts', 'logs'] },
        'include[1] must be one of facts, collection, edges, ledger, ledgerSummary (got "logs")',
      ],
      [
        'POST /read',
        { entityRefs: [CHECKOUT], kinds: 'repo.files' },
        'kinds must be an array (got "repo.files")',
      ],
      // Each listed kind or status is one bound parameter: an unbounded list within the body
      // limit went past the database's parameter limit (a 500).
      [
        'POST /read',
        { entityRefs: [CHECKOUT], kinds: Array(70_000).fill('a') },
        'kinds must contain 0–100 entries (got 70000)',
      ],
      [
        'POST /changes/query',
        {
          entityRefs: [CHECKOUT],
          from: T,
          to: T,
          kinds: Array(70_000).fill('deploy'),
        },
        'kinds must contain 0–100 entries (got 70000)',
      ],
      [
        'POST /read',
        { entityRefs: [CHECKOUT], ledgerWindowDays: 'a year' },
        'ledgerWindowDays must be a number (got "a year")',
      ],
      [
        'POST /read',
        { entityRefs: [CHECKOUT], ledgerWindowDays: 0 },
        'ledgerWindowDays must be between 1 and 730 (got 0)',
      ],
      [
        'POST /read',
        { entityRefs: [CHECKOUT], ledgerView: { perClass: 3 } },
        'ledgerView.artifacts is required',
      ],
      [
        'POST /read',
        { entityRefs: [CHECKOUT], ledgerView: { perClass: -1, artifacts: 2 } },
        'ledgerView.perClass must be an integer between 0 and 1000 (got -1)',
      ],
      [
        'POST /read',
        { entityRefs: [CHECKOUT], ledgerView: { perClass: 1.5, artifacts: 2 } },
        'ledgerView.perClass must be an integer between 0 and 1000 (got 1.5)',
      ],
      [
        'POST /read',
        {
          entityRefs: [CHECKOUT],
          ledgerView: { perClass: 3, artifacts: 2, window: 30 },
        },
        'ledgerView.window is not a known field',
      ],
      [
        'POST /read',
        { entityRefs: [CHECKOUT], entityRef: CHECKOUT },
        'entityRef is not a known field',
      ],
      [
        'POST /changes/query',
        { entityRefs: [CHECKOUT], from: T },
        'to is required',
      ],
      [
        'POST /changes/query',
        { entityRefs: [CHECKOUT], from: 'yesterday', to: T },
        'from must be an ISO-8601 UTC timestamp (got "yesterday")',
      ],
      [
        'POST /changes/query',
        { entityRefs: [CHECKOUT], from: T, to: '2026-03-14T01:00:00Z' },
        `to must not be before from (got 2026-03-14T01:00:00.000Z < ${T})`,
      ],
      [
        'POST /changes/query',
        { entityRefs: [CHECKOUT], from: T, to: T, statuses: 'failed' },
        'statuses must be an array (got "failed")',
      ],
      [
        'POST /changes/query',
        { entityRefs: [CHECKOUT], from: T, to: T, statuses: ['done'] },
        'statuses[0] must be one of started, succeeded, failed, cancelled, rolled-back (got "done")',
      ],
      [
        'POST /changes/query',
        {
          entityRefs: [CHECKOUT],
          from: T,
          to: T,
          kinds: ['deploy', 'release'],
        },
        'kinds[1] must be one of deploy, config, feature-flag, schema-migration, infra (got "release")',
      ],
      [
        'POST /changes/query',
        { entityRefs: [CHECKOUT], from: T, to: T, environment: ['prod'] },
        'environment must be a string (got ["prod"])',
      ],
      [
        'GET /facts?resolution=maybe',
        undefined,
        'resolution must be one of resolved, unresolved (got "maybe")',
      ],
      [
        'GET /facts?entityRef=a&entityRef=b',
        undefined,
        'entityRef must be a string (got ["a","b"])',
      ],
      ['GET /facts/history', undefined, 'entityRef is required'],
      [
        `GET /facts?entityref=${CHECKOUT}`,
        undefined,
        'entityref is not a known field',
      ],
      [
        `GET /facts/history?entityRef=${CHECKOUT}&limit=lots`,
        undefined,
        'limit must be an integer between 1 and 1000 (got "lots")',
      ],
      [
        `GET /facts/history?entityRef=${CHECKOUT}&from=yesterday`,
        undefined,
        'from must be an ISO-8601 UTC timestamp (got "yesterday")',
      ],
      [
        'GET /changes?limit=0',
        undefined,
        'limit must be an integer between 1 and 1000 (got "0")',
      ],
      [
        'GET /changes?entityRef=checkout',
        undefined,
        'entityRef "checkout" is not a full ref (kind:namespace/name)',
      ],
      ['GET /changes/summary', undefined, 'entityRefs is required'],
      [
        `GET /changes/summary?entityRefs=${CHECKOUT}&entityRefs=${CHECKOUT}`,
        undefined,
        'entityRefs must be given once, comma-separated (got 2 values)',
      ],
      [
        'GET /entities/changed?sinse=0',
        undefined,
        'sinse is not a known field',
      ],
      ['GET /edges/changes?curser=0', undefined, 'curser is not a known field'],
      [
        `GET /changes/summary?entityRefs=${CHECKOUT},checkout`,
        undefined,
        'entityRefs[1] "checkout" is not a full ref (kind:namespace/name)',
      ],
      [
        'GET /edges?direction=up',
        undefined,
        'direction must be one of outgoing, incoming, both (got "up")',
      ],
      [
        'GET /edges?includeStale=maybe',
        undefined,
        'includeStale must be one of true, false (got "maybe")',
      ],
      ['GET /ci-runs', undefined, 'entityRef is required'],
      // GET reads refuse an inverted window as POST /changes/query does, not answer it empty
      [
        `GET /changes?from=${T}&to=2026-03-14T01:00:00Z`,
        undefined,
        `to must not be before from (got 2026-03-14T01:00:00.000Z < ${T})`,
      ],
      [
        `GET /facts/history?entityRef=${CHECKOUT}&from=${T}&to=2026-03-14T01:00:00Z`,
        undefined,
        `to must not be before from (got 2026-03-14T01:00:00.000Z < ${T})`,
      ],
      [
        `GET /ci-runs?entityRef=${CHECKOUT}&from=${T}&to=2026-03-14T01:00:00Z`,
        undefined,
        `to must not be before from (got 2026-03-14T01:00:00.000Z < ${T})`,
      ],
      [
        'GET /changes?status=bogus',
        undefined,
        'status must be one of started, succeeded, failed, cancelled, rolled-back (got "bogus")',
      ],
      [
        'GET /changes?kind=release',
        undefined,
        'kind must be one of deploy, config, feature-flag, schema-migration, infra (got "release")',
      ],
      [
        'GET /edges/changes?cursor=-1',
        undefined,
        'cursor must be a non-negative integer (got "-1")',
      ],
      [
        'GET /edges/changes?cursor=1e300',
        undefined,
        'cursor must be a non-negative integer (got "1e300")',
      ],
      [
        'GET /edges/changes?cursor=99999999999999999999',
        undefined,
        'cursor must be a non-negative integer (got "99999999999999999999")',
      ],
    ])('%s %j → 400 %s', async (route, body, message) => {
      const [method, path] = route.split(' ');
      const res =
        method === 'POST'
          ? await post(path).send(body as object)
          : await get(path);
      expect({ status: res.status, error: res.body.error }).toEqual({
        status: 400,
        error: expect.objectContaining({ code: 'INVALID_FIELD', message }),
      });
    });

    it('reads several entities in bulk with every ref as a key', async () => {
      const res = await post('/read').send({
        entityRefs: [CHECKOUT, 'component:default/nothing-here'],
        include: ['facts', 'collection', 'ledgerSummary'],
      });
      expect(res.status).toBe(200);
      expect(Object.keys(res.body.entities)).toEqual([
        CHECKOUT,
        'component:default/nothing-here',
      ]);
      expect(res.body.entities[CHECKOUT].facts.length).toBeGreaterThan(0);
      expect(
        res.body.entities[CHECKOUT].ledgerSummary.coverage.deploy.count,
      ).toBeGreaterThan(0);
      expect(res.body.entities['component:default/nothing-here'].facts).toEqual(
        [],
      );
      // Values are spliced from stored JSON: they must equal the parsed values of GET /facts.
      const listed = await get(`/facts?entityRef=${CHECKOUT}`);
      const byId = (items: { id: string }[]) =>
        [...items].sort((a, b) => a.id.localeCompare(b.id));
      expect(byId(res.body.entities[CHECKOUT].facts)).toEqual(
        byId(listed.body.items),
      );
    });

    // Entity names may repeat separators (catalog-model's isValidObjectName): such an entity's
    // changes are accepted, and a bulk read naming it answers for every ref instead of a 400.
    it('accepts refs whose names repeat separators, as the catalog does', async () => {
      const odd = 'component:default/checkout--v2';
      t.resolver.rebuild([...CATALOG, entity('Component', 'checkout--v2')]);
      const created = await post('/changes', 'gha:acme/checkout--v2:1').send(
        deploy({ entityRef: 'Component:default/Checkout--V2' }),
      );
      expect(created.status).toBe(201);
      expect(created.body.record.entityRef).toBe(odd);
      const read = await post('/read').send({
        entityRefs: [CHECKOUT, odd, 'resource:team__a/etl_.daily'],
        include: ['ledger'],
      });
      expect(read.status).toBe(200);
      expect(read.body.entities[odd].ledger.map((c: any) => c.id)).toEqual([
        created.body.record.id,
      ]);
      const one = await get('/entities/component/default/checkout--v2');
      expect(one.status).toBe(200);
      expect(one.body.entityRef).toBe(odd);
      t.resolver.rebuild(CATALOG);
    });

    it('answers of each ledger only the view asked for (POST /read ledgerView)', async () => {
      const odd = 'component:default/view-svc';
      t.resolver.rebuild([...CATALOG, entity('Component', 'view-svc')]);
      const posted: string[] = [];
      for (const minutes of [50, 40, 30, 20]) {
        const at = new Date(Date.parse(T) - minutes * 60_000).toISOString();
        const created = await post('/changes', `view-${minutes}`).send(
          deploy({
            entityRef: odd,
            startedAt: at,
            finishedAt: at,
            status: 'succeeded',
            attributes: { artifactDigest: `sha256:view-${minutes}` },
          }),
        );
        expect(created.status).toBe(201);
        posted.push(created.body.record.id);
      }
      const ledgerOf = async (body: object) =>
        (
          await post('/read').send({
            entityRefs: [odd],
            include: ['ledger'],
            ...body,
          })
        ).body.entities[odd].ledger.map((c: any) => c.id);
      expect(await ledgerOf({})).toEqual([...posted].reverse());
      // the newest of the class, and the newest of the 2 newest artifacts: the 2 newest
      expect(
        await ledgerOf({ ledgerView: { perClass: 1, artifacts: 2 } }),
      ).toEqual([posted[3], posted[2]]);
      t.resolver.rebuild(CATALOG);
    });

    // Strict queries everywhere: a parameter these routes do not take is refused, not ignored
    // while the whole answer is read (the caller asked for less).
    it.each([
      ['/entities/component/default/checkout-service?include=facts', 'include'],
      [
        '/entities/component/default/checkout-service?kinds=repo.files',
        'kinds',
      ],
      ['/changes/01JQ7Z0000000000000000000?fields=id', 'fields'],
      ['/aliases/checkout?namespace=repo', 'namespace'],
      ['/sources?source=prometheus', 'source'],
      ['/sources?_=1712345678', '_'],
    ])('GET %s → 400 naming the unknown parameter', async (path, name) => {
      const res = await get(path);
      expect({ status: res.status, error: res.body.error }).toEqual({
        status: 400,
        error: expect.objectContaining({
          code: 'INVALID_FIELD',
          field: name,
          message: `${name} is not a known field`,
        }),
      });
    });

    // ... except the health route: monitors and load balancers add parameters of their own.
    it.each(['/health?_=1712345678', '/health?source=prometheus&_=1&_=2'])(
      'GET %s ignores the query and answers the health of every source',
      async path => {
        await t.store().recordSourceRun({
          source: 'prometheus',
          outcome: 'unavailable',
          at: new Date(T),
          error: 'connect ECONNREFUSED',
        });
        const plain = await get('/health');
        const res = await get(path);
        expect(res.status).toBe(200);
        expect(res.body).toEqual(plain.body);
        expect(res.body.items).toContainEqual(
          expect.objectContaining({
            source: 'prometheus',
            status: 'unavailable',
          }),
        );
      },
    );

    // PostgreSQL text columns cannot hold U+0000 (the insert fails: a 500 naming no field).
    it('refuses a NUL character in a stored string with a 400 naming the field', async () => {
      const body = deploy({ summary: 'deploy\u0000 1.2.3' });
      const single = await post('/changes', 'gha:acme/cart:nul').send(body);
      expect(single.status).toBe(400);
      expect(single.body.error).toMatchObject({
        code: 'INVALID_FIELD',
        field: 'summary',
        message: 'summary must not contain NUL characters (U+0000)',
      });
      expect(await countChanges(body.source.externalId)).toBe(0);
      const edges = await post('/edges/batch').send({
        items: [
          {
            idempotencyKey: 'mesh:nul',
            source: 'mesh',
            client: 'checkout\u0000',
            server: 'tax-svc',
            connectionType: '',
            lastSeen: '2026-03-14T02:00:00Z',
          },
        ],
      });
      expect(edges.body.results[0]).toMatchObject({
        status: 400,
        error: { field: 'items[0].client' },
      });
    });

    // A lone surrogate is stored as U+FFFD: two CI runs that differ only there would collapse
    // into one natural key, the second write answering as a repeat of the first.
    it('refuses a lone UTF-16 surrogate in a stored string with a 400 naming the field', async () => {
      const body = deploy({ summary: 'deploy \ud800 1.2.3' });
      const single = await post('/changes', 'gha:acme/cart:surrogate').send(
        body,
      );
      expect(single.status).toBe(400);
      expect(single.body.error).toMatchObject({
        code: 'INVALID_FIELD',
        field: 'summary',
        message:
          'summary must be well-formed text (it holds a lone UTF-16 surrogate)',
      });
      expect(await countChanges(body.source.externalId)).toBe(0);
    });

    // ... nor in a read's text: it is a SQL parameter there (PostgreSQL 22021, a 500 naming no
    // field, where SQLite answered as if nothing matched).
    it.each<[string, object | undefined, string]>([
      ['GET /facts?kind=%00', undefined, 'kind'],
      ['GET /facts?source=golden%00paths', undefined, 'source'],
      ['GET /facts?key=%00', undefined, 'key'],
      [`GET /facts/history?entityRef=${CHECKOUT}&kind=%00`, undefined, 'kind'],
      [`GET /facts/history?entityRef=${CHECKOUT}&key=a%00`, undefined, 'key'],
      ['GET /changes?alias=check%00out', undefined, 'alias'],
      ['GET /changes?environment=%00', undefined, 'environment'],
      [
        `GET /changes/summary?entityRefs=${CHECKOUT}&environment=%00`,
        undefined,
        'environment',
      ],
      [
        'POST /changes/query',
        { entityRefs: [CHECKOUT], from: T, to: T, environment: 'prod\u0000' },
        'environment',
      ],
      [
        'POST /read',
        { entityRefs: [CHECKOUT], kinds: ['repo.files', 'repo\u0000'] },
        'kinds[1]',
      ],
      ['GET /changes/a%00b', undefined, 'id'],
    ])('%s %j → 400 naming %s for its NUL', async (route, body, field) => {
      const [method, path] = route.split(' ');
      const res =
        method === 'POST' ? await post(path).send(body!) : await get(path);
      expect({ status: res.status, error: res.body.error }).toEqual({
        status: 400,
        error: expect.objectContaining({
          code: 'INVALID_FIELD',
          field,
          message: `${field} must not contain NUL characters (U+0000)`,
        }),
      });
    });

    it('refuses a NUL in the change id of a risk write with a 400 naming id', async () => {
      const res = await request(t.server)
        .put('/api/evidence/changes/a%00b/risk')
        .set('Authorization', serviceHeader('plugin:incident-brief'))
        .send(riskBody());
      expect({ status: res.status, error: res.body.error }).toEqual({
        status: 400,
        error: expect.objectContaining({
          code: 'INVALID_FIELD',
          field: 'id',
          message: 'id must not contain NUL characters (U+0000)',
        }),
      });
    });

    // Environments are sender text: names of Object.prototype members are environments like
    // any other, written and read as themselves (a synonym table that is a plain object
    // answered them from its prototype: a function reached SQL, `__proto__` was stored as "{}").
    it.each([
      ['Constructor', 'constructor'],
      ['__proto__', '__proto__'],
      ['toString', 'tostring'],
      ['hasOwnProperty', 'hasownproperty'],
    ])('writes and reads the environment %s as %s', async (sent, stored) => {
      const body = deploy({ environment: sent });
      const created = await post('/changes', `gha:acme/cart:env-${sent}`).send(
        body,
      );
      expect(created.status).toBe(201);
      expect(created.body.record.environment).toBe(stored);
      const id = created.body.record.id;
      const listed = await get(
        `/changes?entityRef=${CHECKOUT}&environment=${sent}`,
      );
      expect(listed.status).toBe(200);
      expect(ids(listed)).toEqual([id]);
      const queried = await post('/changes/query').send({
        entityRefs: [CHECKOUT],
        from: '2026-03-14T00:00:00Z',
        to: T,
        environment: sent,
      });
      expect(queried.status).toBe(200);
      expect(ids(queried)).toEqual([id]);
      const summary = await get(
        `/changes/summary?entityRefs=${CHECKOUT}&environment=${sent}`,
      );
      expect(summary.status).toBe(200);
      expect(summary.body.summaries[CHECKOUT].lastChange.id).toBe(id);
    });

    it('answers the newest change that is not cancelled as the last change (IB §4.4)', async () => {
      const env = 'qa-last-change';
      const done = await post('/changes', 'gha:acme/cart:last-done').send(
        deploy({
          environment: env,
          startedAt: '2026-03-14T01:00:00Z',
          finishedAt: '2026-03-14T01:05:00Z',
          status: 'succeeded',
        }),
      );
      expect(done.status).toBe(201);
      const cancelled = await post(
        '/changes',
        'gha:acme/cart:last-cancel',
      ).send(
        deploy({
          environment: env,
          startedAt: '2026-03-14T01:50:00Z',
          finishedAt: '2026-03-14T01:51:00Z',
          status: 'cancelled',
        }),
      );
      expect(cancelled.status).toBe(201);
      const summary = await get(
        `/changes/summary?entityRefs=${CHECKOUT}&environment=${env}`,
      );
      expect(summary.body.summaries[CHECKOUT].lastChange.id).toBe(
        done.body.record.id,
      );
    });

    // Source ids are sender text too: `constructor` is a valid one, and the `expectEvery` of a
    // source that has none is no function read off a plain object's prototype.
    it('accepts a push from the source "constructor" and reports its health', async () => {
      const created = await post('/facts', 'constructor:1').send(
        fact({ source: 'constructor' }),
      );
      expect(created.status).toBe(201);
      // a row the push would hold before its first success (a source without expectEvery is
      // never overdue, whatever its last success)
      await t
        .knex('evidence_source_health')
        .where({ source: 'constructor' })
        .update({ last_success_ms: null });
      const health = await get('/sources');
      expect(health.body.items).toContainEqual(
        expect.objectContaining({ source: 'constructor', status: 'ok' }),
      );
    });

    // The ledger's `attempt` and a fact's `freshForSeconds` are `integer` columns: a larger
    // number failed the insert on PostgreSQL (22003, a 500; in a batch, the whole batch).
    it('refuses integers beyond their columns with a 400 naming the field, per batch item', async () => {
      const base = {
        entityRef: CHECKOUT,
        provider: 'github-actions',
        workflow: 'ci',
        branch: 'main',
        defaultBranch: true,
        commitSha: 'abc123',
        status: 'queued',
      };
      const over = await post('/ci-runs', 'ci:attempt:over').send({
        ...base,
        runId: nextId(),
        attempt: 2147483648,
      });
      expect({ status: over.status, error: over.body.error }).toEqual({
        status: 400,
        error: expect.objectContaining({
          code: 'INVALID_FIELD',
          field: 'attempt',
          message:
            'attempt must be an integer between 1 and 2147483647 (got 2147483648)',
        }),
      });
      const batch = await post('/ci-runs/batch').send({
        items: [
          {
            idempotencyKey: 'ci:attempt:max',
            ...base,
            runId: nextId(),
            attempt: 2147483647,
          },
          {
            idempotencyKey: 'ci:attempt:over2',
            ...base,
            runId: nextId(),
            attempt: 2147483648,
          },
        ],
      });
      expect(batch.status).toBe(200);
      expect(batch.body.results).toEqual([
        expect.objectContaining({ index: 0, status: 201 }),
        expect.objectContaining({
          index: 1,
          status: 400,
          error: expect.objectContaining({ field: 'items[1].attempt' }),
        }),
      ]);
      const fresh = await post('/facts', 'fresh:over').send(
        fact({ freshForSeconds: 2147483648 }),
      );
      expect(fresh.body.error).toMatchObject({
        field: 'freshForSeconds',
        message:
          'freshForSeconds must be an integer between 1 and 2147483647 (got 2147483648)',
      });
    });

    // JSON nested past the engine's stack: the canonical JSON of a value, the body's fingerprint
    // and the stored row's text recurse, so a body deeper than the suite's 64 levels is refused
    // as a whole before any of them (a 500, or one item failing its whole batch, before).
    const DEEP = 'request body is nested deeper than 64 levels';
    const deepArray = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const nested = (depth: number, leaf = '1') =>
      `${'{"a":'.repeat(depth)}${leaf}${'}'.repeat(depth)}`;
    const factJson = (value: string, name = 'deep-fact') =>
      JSON.stringify(fact({ entityRef: `component:default/${name}` })).replace(
        '{"paths":["README.md"]}',
        value,
      );
    it.each<[string, string | undefined, string]>([
      ['/changes', 'k:deep:1', deepArray],
      ['/facts', 'k:deep:2', deepArray],
      ['/ci-runs', 'k:deep:3', deepArray],
      ['/read', undefined, deepArray],
      ['/changes/query', undefined, deepArray],
      ['/facts', 'k:deep:4', factJson(nested(5000))],
      [
        '/facts/batch',
        undefined,
        `{"items":[${JSON.stringify({
          idempotencyKey: 'k:deep-batch',
          ...fact({ entityRef: 'component:default/deep-batch' }),
        })},{"idempotencyKey":${nested(50000)}}]}`,
      ],
    ])(
      'POST %s with JSON nested thousands deep → 400 MALFORMED_JSON',
      async (path, key, body) => {
        const res = await post(path, key)
          .set('Content-Type', 'application/json')
          .send(body);
        expect({ status: res.status, error: res.body.error }).toEqual({
          status: 400,
          error: expect.objectContaining({
            code: 'MALFORMED_JSON',
            message: DEEP,
          }),
        });
      },
    );

    it('takes a fact value nested to the limit', async () => {
      const res = await post('/facts', 'k:deep:ok')
        .set('Content-Type', 'application/json')
        .send(factJson(nested(60), 'nested-fact'));
      expect(res.status).toBe(201);
    });

    // JSON.parse makes "__proto__" an own key; validation dropped it without a word while the
    // idempotency fingerprint still counted it (and a deep value under it overflowed the stack).
    it.each([
      [
        '/changes',
        JSON.stringify(deploy()).replace(
          '"attributes":{',
          '"attributes":{"__proto__":{"x":1},',
        ),
      ],
      ['/facts', factJson('{"__proto__":{"x":1},"paths":[]}', 'proto-fact')],
    ])(
      'POST %s with a key named __proto__ → 400 MALFORMED_JSON',
      async (path, body) => {
        expect(body).toContain('__proto__');
        const res = await post(path, `k:proto:${path}`)
          .set('Content-Type', 'application/json')
          .send(body);
        expect({ status: res.status, error: res.body.error }).toEqual({
          status: 400,
          error: expect.objectContaining({
            code: 'MALFORMED_JSON',
            message:
              'request body must not hold a key named "__proto__" (at any depth)',
          }),
        });
      },
    );

    it('reads one entity with its ledger window and summary from one ledger read', async () => {
      const posted = await post('/changes', 'gha:acme/cart:read-one').send(
        deploy(),
      );
      expect(posted.status).toBeLessThan(300);
      expect(
        (await post('/facts', 'golden-paths:read-one').send(fact())).status,
      ).toBeLessThan(300);
      const res = await get(`/entities/component/default/checkout-service`);
      expect(res.status).toBe(200);
      expect(res.body.entityRef).toBe(CHECKOUT);
      const ledger = res.body.ledger as { id: string; entityRef: string }[];
      expect(ledger.length).toBeGreaterThan(0);
      expect(ledger.every(c => c.entityRef === CHECKOUT)).toBe(true);
      expect(ledger.map(c => c.id)).toContain(posted.body.record.id);
      expect(res.body.ledgerSummary.lastChange.entityRef).toBe(CHECKOUT);
      expect(res.body.ledgerSummary.coverage.deploy.count).toBeGreaterThan(0);
      for (const record of res.body.facts) {
        expect(record.entityRef).toBe(CHECKOUT);
        expect(typeof record.value).not.toBe('string');
      }
    });

    it('EV40 moves source health with since only on a status change and lastSuccessAt only on ok/degraded', async () => {
      const at = (seconds: number) =>
        new Date(Date.parse(T) + seconds * 1000).toISOString();
      const health = async (source: string) =>
        (await get('/sources')).body.items.find(
          (h: { source: string }) => h.source === source,
        );

      // A collector source through ok → degraded → unavailable → ok, each status twice:
      // [run at (s), outcome, error, expected since (s), expected lastSuccessAt (s)].
      const runs: [
        number,
        'ok' | 'degraded' | 'unavailable',
        string | undefined,
        number,
        number | null,
      ][] = [
        [0, 'ok', undefined, 0, 0],
        [300, 'ok', undefined, 0, 300],
        [600, 'degraded', 'rules API answered 500', 600, 600],
        [900, 'degraded', 'rules API answered 500', 600, 900],
        [1200, 'unavailable', 'connect ECONNREFUSED', 1200, 900],
        [1500, 'unavailable', 'connect ECONNREFUSED', 1200, 900],
        [1800, 'ok', undefined, 1800, 1800],
      ];
      for (const [step, [runAt, outcome, error, since, lastSuccess]] of [
        ...runs.entries(),
      ]) {
        t.clock.now = new Date(at(runAt));
        await t.store().recordSourceRun({
          source: 'ev40-collector',
          outcome,
          at: new Date(at(runAt)),
          error,
        });
        expect({ step, ...(await health('ev40-collector')) }).toEqual({
          step,
          source: 'ev40-collector',
          status: outcome,
          since: at(since),
          lastSuccessAt: lastSuccess === null ? null : at(lastSuccess),
          lastAttemptAt: at(runAt),
          ...(error ? { lastError: error } : {}),
        });
      }
      const log = await t
        .knex('evidence_source_health_log')
        .where({ source: 'ev40-collector' })
        .orderBy('at_ms');
      expect(log.map(l => l.status)).toEqual(runs.map(r => r[1]));

      // A push source with `expectEvery: 1h`: ok while pushes arrive, degraded once overdue
      // (since = the moment it became overdue), ok again with a new since on the next push:
      // [at (s), push?, expected status, since (s), lastSuccessAt (s)].
      const push: [number, boolean, 'ok' | 'degraded', number, number][] = [
        [0, true, 'ok', 0, 0],
        [1800, true, 'ok', 0, 1800],
        [5400, false, 'ok', 0, 1800], // exactly expectEvery after the last push
        [5401, false, 'degraded', 5400, 1800],
        [9000, false, 'degraded', 5400, 1800],
        [9600, true, 'ok', 9600, 9600],
        [10200, true, 'ok', 9600, 10200],
        [13801, false, 'degraded', 13800, 10200],
      ];
      for (const [step, [now, pushes, status, since, lastSuccess]] of [
        ...push.entries(),
      ]) {
        t.clock.now = new Date(at(now));
        const accepted = pushes
          ? (
              await post('/facts', `ev40-push-${step}`).send(
                fact({
                  source: 'ev40-scanner',
                  key: 'ev40',
                  observedAt: at(now),
                }),
              )
            ).status < 300
          : null;
        // A push is an attempt and a success at once.
        expect({ step, accepted, ...(await health('ev40-scanner')) }).toEqual({
          step,
          accepted: pushes ? true : null,
          source: 'ev40-scanner',
          status,
          since: at(since),
          lastSuccessAt: at(lastSuccess),
          lastAttemptAt: at(lastSuccess),
        });
      }
    });

    it('EV46 answers { restricted: true } for refs a user may not read and all data to services', async () => {
      t.resolver.rebuild(CATALOG);
      const factIds: Record<string, string> = {};
      for (const ref of [CHECKOUT, LEDGER, REPLICA]) {
        const res = await post('/facts', `ev46-${ref}`).send(
          fact({ entityRef: ref, key: 'ev46' }),
        );
        expect(res.status).toBeLessThan(300);
        factIds[ref] = res.body.record.id;
      }
      const include = [
        'facts',
        'collection',
        'edges',
        'ledger',
        'ledgerSummary',
      ];
      const read = (authorization: string, entityRefs: string[]) =>
        request(t.server)
          .post('/api/evidence/read')
          .set('Authorization', authorization)
          .send({ entityRefs, include });
      const factIdsOf = (entry: { facts: { id: string }[] }) =>
        entry.facts.map(f => f.id);

      // Mallory: the denied and the conditional ref are restricted, in the casing asked for;
      // one authorize call with one request per distinct normalized ref.
      entityReadCalls.length = 0;
      const denied = await read(mallory, [
        CHECKOUT,
        'Component:default/Payments-Ledger',
        LEDGER,
        REPLICA,
      ]);
      expect(denied.status).toBe(200);
      expect(Object.keys(denied.body.entities)).toEqual([
        CHECKOUT,
        'Component:default/Payments-Ledger',
        LEDGER,
        REPLICA,
      ]);
      expect(denied.body.entities[LEDGER]).toEqual({ restricted: true });
      expect(denied.body.entities['Component:default/Payments-Ledger']).toEqual(
        { restricted: true },
      );
      expect(denied.body.entities[REPLICA]).toEqual({ restricted: true });
      expect(factIdsOf(denied.body.entities[CHECKOUT])).toContain(
        factIds[CHECKOUT],
      );
      expect(denied.body.sourceHealth).toEqual(expect.any(Array));
      expect(denied.text).not.toContain(factIds[LEDGER]);
      expect(denied.text).not.toContain(factIds[REPLICA]);
      expect(entityReadCalls).toEqual([
        {
          principal: 'user:default/mallory',
          refs: [CHECKOUT, LEDGER, REPLICA],
        },
      ]);

      // A user the policy allows sees everything, after the same one call.
      entityReadCalls.length = 0;
      const allowed = await read(alice, [CHECKOUT, LEDGER, REPLICA]);
      expect(factIdsOf(allowed.body.entities[LEDGER])).toContain(
        factIds[LEDGER],
      );
      expect(factIdsOf(allowed.body.entities[REPLICA])).toContain(
        factIds[REPLICA],
      );
      expect(entityReadCalls).toHaveLength(1);

      // A service principal is not filtered and causes no catalog.entity.read check.
      entityReadCalls.length = 0;
      const service = await read(serviceHeader('plugin:scorecards'), [
        CHECKOUT,
        LEDGER,
        REPLICA,
      ]);
      expect(service.status).toBe(200);
      for (const ref of [CHECKOUT, LEDGER, REPLICA]) {
        expect(service.body.entities[ref].restricted).toBeUndefined();
        expect(factIdsOf(service.body.entities[ref])).toContain(factIds[ref]);
      }
      expect(entityReadCalls).toEqual([]);

      // The single-entity read answers the same shape in its envelope.
      const one = (authorization: string) =>
        request(t.server)
          .get('/api/evidence/entities/component/default/payments-ledger')
          .set('Authorization', authorization);
      const hidden = await one(mallory);
      expect(hidden.status).toBe(200);
      expect(hidden.body).toEqual({
        asOf: T,
        sourceHealth: expect.any(Array),
        entityRef: LEDGER,
        restricted: true,
      });
      const shown = await one(serviceHeader('plugin:incident-brief'));
      expect(shown.body.restricted).toBeUndefined();
      expect(factIdsOf(shown.body)).toContain(factIds[LEDGER]);
      const mine = await request(t.server)
        .get('/api/evidence/entities/component/default/checkout-service')
        .set('Authorization', mallory);
      expect(factIdsOf(mine.body)).toContain(factIds[CHECKOUT]);
    });

    it('EV46 filters every read route by catalog.entity.read, service principals not (§5.1)', async () => {
      t.resolver.rebuild(CATALOG);
      const env = 'ev46-routes';
      const window = {
        from: '2026-03-14T00:00:00Z',
        to: T,
        environment: env,
      };
      const created = async (path: string, key: string, body: object) => {
        const res = await post(path, key).send(body);
        expect(res.status).toBe(201);
        return res.body.record.id as string;
      };
      const ledgerChange = await created(
        '/changes',
        'ev46r-ledger-change',
        deploy({ entityRef: LEDGER, environment: env }),
      );
      const checkoutChange = await created(
        '/changes',
        'ev46r-checkout-change',
        deploy({ environment: env }),
      );
      const aliasChange = await created(
        '/changes',
        'ev46r-alias-change',
        deploy({
          entityRef: undefined,
          alias: 'ev46-nobody',
          environment: env,
        }),
      );
      const ledgerFact = await created(
        '/facts',
        'ev46r-ledger-fact',
        fact({ entityRef: LEDGER, key: 'ev46r' }),
      );
      const checkoutFact = await created(
        '/facts',
        'ev46r-checkout-fact',
        fact({ key: 'ev46r' }),
      );
      const aliasFact = await created(
        '/facts',
        'ev46r-alias-fact',
        fact({ entityRef: undefined, alias: 'ev46-nobody', key: 'ev46r' }),
      );
      const ledgerRun = await created('/ci-runs', 'ev46r-ledger-run', {
        entityRef: LEDGER,
        provider: 'github-actions',
        runId: 'ev46r',
        attempt: 1,
        workflow: 'ci',
        branch: 'main',
        defaultBranch: true,
        commitSha: 'abc',
        status: 'queued',
      });
      // checkout → payments-ledger (the implicit alias of LEDGER) and → an unmapped name.
      const edges = await post('/edges/batch').send({
        items: ['payments-ledger', 'ev46-unmapped'].map(server => ({
          idempotencyKey: `ev46r-edge-${server}`,
          source: 'mesh',
          client: 'checkout',
          server,
          connectionType: '',
          lastSeen: '2026-03-14T02:00:00Z',
        })),
      });
      expect(edges.body.summary.failed).toBe(0);
      const [ledgerEdge, unmappedEdge] = edges.body.results.map(
        (r: { id: string }) => r.id,
      );

      const as = (authorization: string) => ({
        get: (path: string) =>
          request(t.server)
            .get(`/api/evidence${path}`)
            .set('Authorization', authorization),
        post: (path: string, body: object) =>
          request(t.server)
            .post(`/api/evidence${path}`)
            .set('Authorization', authorization)
            .send(body),
      });
      const m = as(mallory);

      // Routes naming a restricted ref: the usual envelope, no rows, `restricted: true`.
      for (const path of [
        `/facts?entityRef=${LEDGER}`,
        `/facts?entityRef=${REPLICA}`,
        `/facts/history?entityRef=${LEDGER}`,
        `/changes?entityRef=${LEDGER}`,
        `/changes?entityRef=${LEDGER}&resolution=unresolved`,
        `/edges?entityRef=${LEDGER}`,
        `/ci-runs?entityRef=${LEDGER}`,
      ]) {
        const res = await m.get(path);
        expect({ path, status: res.status, body: res.body }).toEqual({
          path,
          status: 200,
          body: expect.objectContaining({ items: [], restricted: true }),
        });
      }
      // One record by id: as if unknown, so the answer does not confirm it exists.
      const byId = await m.get(`/changes/${ledgerChange}`);
      expect({ status: byId.status, error: byId.body.error }).toEqual({
        status: 404,
        error: expect.objectContaining({
          code: 'NOT_FOUND',
          message: `change ${ledgerChange} not found`,
        }),
      });
      expect((await m.get(`/changes/${checkoutChange}`)).status).toBe(200);
      // Keyed by ref: the restricted ref's slot holds `{ restricted: true }`.
      const summary = await m.get(
        `/changes/summary?entityRefs=${CHECKOUT},${LEDGER}&environment=${env}`,
      );
      expect(summary.body.summaries[LEDGER]).toEqual({ restricted: true });
      expect(summary.body.summaries[CHECKOUT].lastChange.id).toBe(
        checkoutChange,
      );
      const query = await m.post('/changes/query', {
        entityRefs: [CHECKOUT, 'Component:default/Payments-Ledger'],
        ...window,
      });
      expect(query.status).toBe(200);
      expect(ids(query)).toEqual([checkoutChange]);
      expect(query.body.restrictedRefs).toEqual([
        'Component:default/Payments-Ledger',
      ]);

      // Listings without a ref drop rows of restricted entities, in one decision per page;
      // rows naming no entity (an unresolved alias, an unmapped name) stay.
      entityReadCalls.length = 0;
      expect(ids(await m.get(`/changes?environment=${env}`))).toEqual([
        checkoutChange,
      ]);
      expect(entityReadCalls).toHaveLength(1);
      expect(entityReadCalls[0].principal).toBe('user:default/mallory');
      expect([...entityReadCalls[0].refs].sort()).toEqual([CHECKOUT, LEDGER]);
      expect(
        ids(await m.get(`/changes?environment=${env}&resolution=unresolved`)),
      ).toEqual([aliasChange]);
      expect(ids(await m.get('/facts?key=ev46r'))).toEqual([checkoutFact]);
      expect(
        ids(await m.get('/facts?key=ev46r&resolution=unresolved')),
      ).toEqual([aliasFact]);
      expect(
        ids(await m.get(`/facts?entityRef=${CHECKOUT}&key=ev46r`)),
      ).toEqual([checkoutFact]);
      // An edge names two entities: hidden when either end is restricted, on every route.
      const shownEdges = [
        ...ids(await m.get('/edges')),
        ...ids(await m.get(`/edges?entityRef=${CHECKOUT}`)),
        ...(await m.get('/edges/changes?cursor=0')).body.edges.map(
          (e: { id: string }) => e.id,
        ),
        ...(
          await m.post('/read', { entityRefs: [CHECKOUT], include: ['edges'] })
        ).body.entities[CHECKOUT].edges.outgoing.map(
          (e: { id: string }) => e.id,
        ),
      ];
      expect(shownEdges).toContain(unmappedEdge);
      expect(shownEdges).not.toContain(ledgerEdge);

      // A user the policy allows, and a service principal, see all of it.
      for (const who of [alice, serviceHeader('plugin:incident-brief')]) {
        const r = as(who);
        expect(
          ids(await r.get(`/facts?entityRef=${LEDGER}&key=ev46r`)),
        ).toEqual([ledgerFact]);
        expect(ids(await r.get(`/changes?environment=${env}`))).toEqual(
          expect.arrayContaining([checkoutChange, ledgerChange]),
        );
        expect((await r.get(`/changes/${ledgerChange}`)).status).toBe(200);
        expect(ids(await r.get(`/ci-runs?entityRef=${LEDGER}`))).toEqual([
          ledgerRun,
        ]);
        expect(ids(await r.get(`/edges?entityRef=${LEDGER}`))).toEqual([
          ledgerEdge,
        ]);
        const q = await r.post('/changes/query', {
          entityRefs: [CHECKOUT, LEDGER],
          ...window,
        });
        expect(ids(q)).toEqual(
          expect.arrayContaining([checkoutChange, ledgerChange]),
        );
        expect(q.body.restrictedRefs).toBeUndefined();
      }
    });

    it('EV46 answers GET /aliases/:name of a restricted entity as an unknown alias (§5.1)', async () => {
      // payments-ledger and ledger-replica also claim `ev46-shared`, checkout-service and
      // payments-ledger `ev46-mixed`: void aliases (§2.1) whose claimants mallory may read in part.
      t.resolver.rebuild([
        entity('Component', 'checkout-service', {
          'ops.example.com/aliases': 'checkout, ev46-mixed',
        }),
        entity('Component', 'payments-ledger', {
          'ops.example.com/aliases': 'ev46-ledger, ev46-shared, ev46-mixed',
        }),
        entity('Component', 'ledger-replica', {
          'ops.example.com/aliases': 'ev46-shared',
        }),
      ]);
      try {
        const alias = (authorization: string, name: string) =>
          request(t.server)
            .get(`/api/evidence/aliases/${name}`)
            .set('Authorization', authorization);
        const unknown = (name: string) => ({
          name,
          entityRef: null,
          origin: null,
          conflictRefs: [],
        });

        // Nothing to decide for an alias no entity claims: no catalog.entity.read call.
        entityReadCalls.length = 0;
        const none = await alias(mallory, 'ev46-nobody');
        expect({ status: none.status, body: none.body }).toEqual({
          status: 200,
          body: unknown('ev46-nobody'),
        });
        expect(entityReadCalls).toEqual([]);

        // Mallory may not read payments-ledger (DENY) nor ledger-replica (CONDITIONAL): the
        // answer is exactly an unknown alias's, naming neither the ref nor where it came from.
        for (const name of [
          'ev46-ledger',
          'payments-ledger',
          'ledger-replica',
        ]) {
          const hidden = await alias(mallory, name);
          expect({ name, status: hidden.status, body: hidden.body }).toEqual({
            name,
            status: 200,
            body: unknown(name),
          });
          expect(hidden.text).not.toContain('component:');
        }
        // A void alias whose claimants are all restricted is unknown too.
        const shared = await alias(mallory, 'ev46-shared');
        expect(shared.body).toEqual(unknown('ev46-shared'));
        // A void alias with a readable claimant names only that one and counts the others.
        const mixed = await alias(mallory, 'EV46-Mixed');
        expect(mixed.body).toEqual({
          name: 'ev46-mixed',
          entityRef: null,
          origin: 'annotation',
          conflictRefs: [CHECKOUT],
          restrictedConflicts: 1,
        });
        expect(mixed.text).not.toContain(LEDGER);
        // What mallory may read is answered as before.
        expect((await alias(mallory, 'checkout')).body).toEqual({
          name: 'checkout',
          entityRef: CHECKOUT,
          origin: 'annotation',
          conflictRefs: [],
        });

        // A user the policy allows, and a service principal (without any check), see all.
        for (const who of [alice, serviceHeader('plugin:incident-brief')]) {
          entityReadCalls.length = 0;
          expect((await alias(who, 'ev46-ledger')).body).toEqual({
            name: 'ev46-ledger',
            entityRef: LEDGER,
            origin: 'annotation',
            conflictRefs: [],
          });
          expect((await alias(who, 'ev46-mixed')).body).toEqual({
            name: 'ev46-mixed',
            entityRef: null,
            origin: 'annotation',
            conflictRefs: [CHECKOUT, LEDGER],
          });
          expect(entityReadCalls.length).toBe(who === alice ? 2 : 0);
        }
      } finally {
        t.resolver.rebuild(CATALOG);
      }
    });

    describe('CI runs (§2.5, §3.5)', () => {
      const run = (over: Record<string, unknown> = {}) => ({
        entityRef: CHECKOUT,
        provider: 'github-actions',
        runId: nextId(),
        attempt: 1,
        workflow: 'ci',
        branch: 'main',
        defaultBranch: true,
        commitSha: 'abc123',
        status: 'queued',
        queuedAt: '2026-03-14T01:00:00Z',
        ...over,
      });

      it('moves a run queued → in_progress → completed under one key per event', async () => {
        const body = run();
        const key = `gha:acme/cart:${body.runId}:1`;
        const queued = await post('/ci-runs', `${key}:queued`).send(body);
        expect(queued.status).toBe(201);
        expect(queued.body.record).toMatchObject({
          entityRef: CHECKOUT,
          resolution: 'resolved',
          status: 'queued',
          queuedAt: '2026-03-14T01:00:00.000Z',
        });
        // Each event re-sends the whole run as first sent (seconds, no milliseconds).
        const started = await post('/ci-runs', `${key}:start`).send({
          ...body,
          status: 'in_progress',
          startedAt: '2026-03-14T01:01:00Z',
        });
        expect({ status: started.status, error: started.body.error }).toEqual({
          status: 200,
          error: undefined,
        });
        const done = await post('/ci-runs', `${key}:finish`).send({
          ...body,
          status: 'completed',
          conclusion: 'success',
          startedAt: '2026-03-14T01:01:00Z',
          finishedAt: '2026-03-14T01:05:00Z',
        });
        expect({ status: done.status, error: done.body.error }).toEqual({
          status: 200,
          error: undefined,
        });
        expect(done.body.record).toMatchObject({
          id: queued.body.record.id,
          status: 'completed',
          conclusion: 'success',
          queuedAt: '2026-03-14T01:00:00.000Z',
          startedAt: '2026-03-14T01:01:00.000Z',
          finishedAt: '2026-03-14T01:05:00.000Z',
        });
        // The same final event again under a new key (a retried step): unchanged.
        const again = await post('/ci-runs', `${key}:finish-retry`).send({
          ...body,
          status: 'completed',
          conclusion: 'success',
          startedAt: '2026-03-14T01:01:00.000Z',
          finishedAt: '2026-03-14T01:05:00Z',
        });
        expect({
          status: again.status,
          unchanged: again.body.unchanged,
        }).toEqual({ status: 200, unchanged: true });
        const listed = await get(`/ci-runs?entityRef=${CHECKOUT}`);
        expect(
          listed.body.items.filter(
            (r: { runId: string }) => r.runId === body.runId,
          ),
        ).toHaveLength(1);
      });

      it('compares refs and repositories case-insensitively, as stored', async () => {
        const byRef = run({ entityRef: 'Component:default/Checkout-Service' });
        expect(
          (await post('/ci-runs', `${byRef.runId}-1`).send(byRef)).status,
        ).toBe(201);
        const refDone = await post('/ci-runs', `${byRef.runId}-2`).send({
          ...byRef,
          status: 'completed',
          conclusion: 'success',
        });
        expect({ status: refDone.status, error: refDone.body.error }).toEqual({
          status: 200,
          error: undefined,
        });
        const byRepo = run({
          entityRef: undefined,
          repository: 'github.com/Acme/Cart-API',
        });
        expect(
          (await post('/ci-runs', `${byRepo.runId}-1`).send(byRepo)).status,
        ).toBe(201);
        const repoDone = await post('/ci-runs', `${byRepo.runId}-2`).send({
          ...byRepo,
          status: 'completed',
          conclusion: 'failure',
        });
        expect({ status: repoDone.status, error: repoDone.body.error }).toEqual(
          {
            status: 200,
            error: undefined,
          },
        );
        expect(repoDone.body.record.repository).toBe(
          'github.com/acme/cart-api',
        );
      });

      it('compares a skewed time as the first receipt stored it', async () => {
        // queuedAt 10 min ahead of the server clock: stored as the receipt time, SKEWED.
        const body = run({ queuedAt: '2026-03-14T02:15:00Z' });
        const first = await post('/ci-runs', `${body.runId}-1`).send(body);
        expect(first.body.record).toMatchObject({
          queuedAt: T,
          flags: ['SKEWED'],
        });
        t.clock.now = new Date(Date.parse(T) + 60_000);
        const next = await post('/ci-runs', `${body.runId}-2`).send({
          ...body,
          status: 'in_progress',
        });
        expect({ status: next.status, error: next.body.error }).toEqual({
          status: 200,
          error: undefined,
        });
      });

      it('answers a retried final event unchanged minutes after the first receipt', async () => {
        // Each event is posted when it happens, so later events carry times past the first
        // receipt by more than maxSkew without being ahead of the server clock.
        const at = (minutes: number) =>
          new Date(Date.parse(T) + minutes * 60_000);
        const body = run({ queuedAt: T });
        t.clock.now = at(0);
        await post('/ci-runs', `${body.runId}-queued`).send(body);
        t.clock.now = at(10);
        const done = {
          ...body,
          status: 'completed',
          conclusion: 'success',
          startedAt: at(1).toISOString(),
          finishedAt: at(10).toISOString(),
        };
        const first = await post('/ci-runs', `${body.runId}-done`).send(done);
        expect(first.body.record).toMatchObject({
          startedAt: at(1).toISOString(),
          finishedAt: at(10).toISOString(),
          flags: [],
        });
        t.clock.now = at(11);
        const again = await post('/ci-runs', `${body.runId}-retry`).send(done);
        expect({
          status: again.status,
          unchanged: again.body.unchanged,
          updatedAt: again.body.record.updatedAt,
        }).toEqual({
          status: 200,
          unchanged: true,
          updatedAt: at(10).toISOString(),
        });

        // A finish 20 min ahead of the clock, first sent by an update: read as the receipt
        // time and flagged, and the same event again later is still unchanged.
        const ahead = run({ queuedAt: T });
        t.clock.now = at(0);
        await post('/ci-runs', `${ahead.runId}-queued`).send(ahead);
        const aheadDone = {
          ...ahead,
          status: 'completed',
          conclusion: 'success',
          finishedAt: at(20).toISOString(),
        };
        const clamped = await post('/ci-runs', `${ahead.runId}-done`).send(
          aheadDone,
        );
        expect(clamped.body.record).toMatchObject({
          finishedAt: T,
          flags: ['SKEWED'],
        });
        t.clock.now = at(2);
        const retried = await post('/ci-runs', `${ahead.runId}-retry`).send(
          aheadDone,
        );
        expect({
          unchanged: retried.body.unchanged,
          finishedAt: retried.body.record.finishedAt,
        }).toEqual({ unchanged: true, finishedAt: T });
      });

      it('still refuses real changes of identity fields and backward moves', async () => {
        const body = run({ status: 'in_progress' });
        await post('/ci-runs', `${body.runId}-1`).send(body);
        const queuedAt = await post('/ci-runs', `${body.runId}-2`).send({
          ...body,
          queuedAt: '2026-03-14T01:00:01Z',
        });
        expect(queuedAt.status).toBe(409);
        expect(queuedAt.body.error).toMatchObject({
          code: 'IMMUTABLE_FIELD',
          field: 'queuedAt',
          message: `queuedAt cannot change for github-actions/${body.runId}/1 (stored "2026-03-14T01:00:00.000Z", got "2026-03-14T01:00:01.000Z")`,
        });
        const other = await post('/ci-runs', `${body.runId}-3`).send({
          ...body,
          entityRef: LEDGER,
        });
        expect(other.body.error).toMatchObject({
          code: 'IMMUTABLE_FIELD',
          field: 'entityRef',
        });
        const back = await post('/ci-runs', `${body.runId}-4`).send({
          ...body,
          status: 'queued',
        });
        expect(back.body.error).toMatchObject({ code: 'INVALID_TRANSITION' });
        await post('/ci-runs', `${body.runId}-5`).send({
          ...body,
          status: 'completed',
          conclusion: 'success',
        });
        const conclusion = await post('/ci-runs', `${body.runId}-6`).send({
          ...body,
          status: 'completed',
          conclusion: 'failure',
        });
        expect(conclusion.body.error).toMatchObject({
          code: 'IMMUTABLE_FIELD',
          field: 'conclusion',
        });
      });

      it('fills in the times, failure domain and link once, and refuses moving them after (§3.5)', async () => {
        const body = run({ status: 'in_progress' });
        await post('/ci-runs', `${body.runId}-1`).send(body);
        const done = {
          ...body,
          status: 'completed',
          conclusion: 'failure',
          startedAt: '2026-03-14T01:01:00Z',
          finishedAt: '2026-03-14T01:10:00Z',
          failureDomain: 'environment',
        };
        expect(
          (await post('/ci-runs', `${body.runId}-2`).send(done)).status,
        ).toBe(200);
        // A completed run moved out of the summary's window, or blamed on a test, is refused.
        for (const [field, value] of [
          ['finishedAt', '2026-01-01T00:00:00Z'],
          ['startedAt', '2026-01-01T00:00:00Z'],
          ['failureDomain', 'test'],
        ] as const) {
          const moved = await post('/ci-runs', `${body.runId}-${field}`).send({
            ...done,
            [field]: value,
          });
          expect({ status: moved.status, error: moved.body.error }).toEqual({
            status: 409,
            error: expect.objectContaining({ code: 'IMMUTABLE_FIELD', field }),
          });
        }
        const stored = await post('/ci-runs', `${body.runId}-again`).send(done);
        expect(stored.body).toMatchObject({
          unchanged: true,
          record: {
            finishedAt: '2026-03-14T01:10:00.000Z',
            failureDomain: 'environment',
          },
        });
      });
    });

    it('R7 lists refs that gained evidence by re-resolution in /entities/changed', async () => {
      t.resolver.rebuild(CATALOG);
      try {
        const written = await post('/facts', 'r7-feed-fact').send(
          fact({ entityRef: undefined, alias: 'r7-late-svc' }),
        );
        expect(written.body.record.resolution).toBe('unresolved');
        const change = await post('/changes', 'r7-feed-change').send(
          deploy({ entityRef: undefined, alias: 'r7-late-svc' }),
        );
        expect(change.body.record.resolution).toBe('unresolved');
        t.clock.now = new Date(Date.parse(T) + 60_000);
        const first = await get('/entities/changed?since=0');
        const late = 'component:default/r7-late-engine';
        expect(first.body.refs).not.toContain(late);

        // The entity claiming the alias is registered and re-resolution attaches the rows.
        t.resolver.rebuild([
          ...CATALOG,
          entity('Component', 'r7-late-engine', {
            'ops.example.com/aliases': 'r7-late-svc',
          }),
        ]);
        t.clock.now = new Date(Date.parse(T) + 120_000);
        expect(await t.store().reresolve()).toBeGreaterThanOrEqual(2);
        expect(ids(await get(`/facts?entityRef=${late}`))).toEqual([
          written.body.record.id,
        ]);
        const next = await get(`/entities/changed?since=${first.body.until}`);
        expect(next.body.refs).toContain(late);
        // Nothing moved since: the next poll is empty of it.
        t.clock.now = new Date(Date.parse(T) + 180_000);
        expect(await t.store().reresolve()).toBe(0);
        const quiet = await get(`/entities/changed?since=${next.body.until}`);
        expect(quiet.body.refs).not.toContain(late);
      } finally {
        t.resolver.rebuild(CATALOG);
      }
    });

    it('R14 lists the old and the new owner in /entities/changed when an alias moves', async () => {
      const OLD = 'component:default/r14-old-svc';
      const NEW = 'component:default/r14-new-svc';
      const claiming = (oldClaims: string, newClaims: string) => [
        ...CATALOG,
        entity('Component', 'r14-old-svc', {
          'ops.example.com/aliases': oldClaims,
        }),
        entity('Component', 'r14-new-svc', {
          'ops.example.com/aliases': newClaims,
        }),
      ];
      const at = (seconds: number) => {
        t.clock.now = new Date(Date.parse(T) + seconds * 1000);
      };
      const edge = (key: string, lastSeen: string) =>
        post('/edges/batch').send({
          items: [
            {
              idempotencyKey: key,
              source: 'mesh',
              client: 'r14-moving',
              server: 'checkout',
              connectionType: '',
              lastSeen,
            },
          ],
        });
      t.resolver.rebuild(claiming('r14-moving', ''));
      try {
        const written = await post('/facts', 'r14-feed-fact').send(
          fact({ entityRef: undefined, alias: 'r14-moving' }),
        );
        expect(written.body.record.entityRef).toBe(OLD);
        const change = await post('/changes', 'r14-feed-change').send(
          deploy({ entityRef: undefined, alias: 'r14-moving' }),
        );
        expect(change.body.record.entityRef).toBe(OLD);
        expect((await edge('r14-edge-1', T)).body.summary.failed).toBe(0);
        at(60);
        const first = await get('/entities/changed?since=0');
        expect(first.body.refs).toContain(OLD);

        // The alias moves to r14-new-svc. The old owner's evidence changes as much as the new
        // one's: both are listed. A fact written now resolves anew and moves at once ...
        t.resolver.rebuild(claiming('', 'r14-moving'));
        at(90);
        const rewritten = await post('/facts', 'r14-feed-fact-2').send(
          fact({
            entityRef: undefined,
            alias: 'r14-moving',
            value: { paths: ['README.md', 'CODEOWNERS'] },
            observedAt: new Date(Date.parse(T) + 80_000).toISOString(),
          }),
        );
        expect(rewritten.body.record.entityRef).toBe(NEW);
        expect(ids(await get(`/facts?entityRef=${OLD}`))).toEqual([]);
        const refacted = await get(
          `/entities/changed?since=${first.body.until}`,
        );
        expect(refacted.body.refs).toEqual(expect.arrayContaining([OLD, NEW]));
        // ... and re-resolution takes the change along.
        const feedBefore = (await get('/edges/changes?cursor=0')).body.cursor;
        at(120);
        expect(await t.store().reresolve()).toBeGreaterThanOrEqual(1);
        expect(
          (await get(`/changes/${change.body.record.id}`)).body.record
            .entityRef,
        ).toBe(NEW);
        const moved = await get(
          `/entities/changed?since=${refacted.body.until}`,
        );
        expect(moved.body.refs).toEqual(expect.arrayContaining([OLD, NEW]));

        // ... and so does the edge nobody observed since: remapped with the new owner, listed on
        // the edge feed with a new sequence.
        const edgeAfterMove = (await get(`/edges?entityRef=${NEW}`)).body.items;
        expect(edgeAfterMove.map((e: any) => e.dependentRef)).toEqual([NEW]);
        expect((await get(`/edges?entityRef=${OLD}`)).body.items).toEqual([]);
        const feedAfter = await get(`/edges/changes?cursor=${feedBefore}`);
        expect(
          feedAfter.body.edges.map((e: any) => [e.client, e.dependentRef]),
        ).toEqual([['r14-moving', NEW]]);

        // The edge is also mapped anew at its next observation.
        at(180);
        const seen = new Date(Date.parse(T) + 170_000).toISOString();
        expect((await edge('r14-edge-2', seen)).body.summary.failed).toBe(0);
        const edges = await get(`/edges?entityRef=${OLD}`);
        expect(edges.body.items).toEqual([]);
        const reobserved = await get(
          `/entities/changed?since=${moved.body.until}`,
        );
        // re-resolution already took the edge from the old owner: only its ends are listed
        expect(reobserved.body.refs).toEqual(
          expect.arrayContaining([NEW, CHECKOUT]),
        );
        expect(reobserved.body.refs).not.toContain(OLD);

        // Claimed by both, the alias is void (§2.1): its rows leave r14-new-svc, listed again.
        t.resolver.rebuild(claiming('r14-moving', 'r14-moving'));
        at(240);
        expect(await t.store().reresolve()).toBeGreaterThanOrEqual(2);
        const voided = await get(
          `/entities/changed?since=${reobserved.body.until}`,
        );
        expect(voided.body.refs).toContain(NEW);

        // Nothing moved since: the next poll lists neither.
        at(300);
        expect(await t.store().reresolve()).toBe(0);
        const quiet = await get(`/entities/changed?since=${voided.body.until}`);
        expect(quiet.body.refs).not.toContain(OLD);
        expect(quiet.body.refs).not.toContain(NEW);
        // A full read lists the refs holding evidence, not the ones that lost theirs.
        expect((await get('/entities/changed')).body.refs).not.toContain(OLD);
      } finally {
        t.resolver.rebuild(CATALOG);
      }
    });

    it('stamps collector writes with the server clock for /entities/changed', async () => {
      t.resolver.rebuild(CATALOG);
      // A long run: it started (and collected) at T, it writes 20 minutes later, after a
      // mirror polled at T + 10 min.
      const runStart = new Date(T);
      t.clock.now = new Date(Date.parse(T) + 10 * 60_000);
      const poll = await get(`/entities/changed?since=${Date.parse(T) - 1}`);
      t.clock.now = new Date(Date.parse(T) + 20 * 60_000);
      const store = t.store();
      await store.writeFact({
        entityRef: REPLICA,
        source: 'repo',
        kind: 'repo.files',
        value: { paths: ['collector.md'] },
        observedAt: runStart,
        collectedAt: runStart,
      });
      await store.writeEdges(
        'prometheus:collector-feed',
        [
          {
            source: 'prometheus:collector-feed',
            client: 'checkout',
            server: 'ledger-replica',
            connectionType: '',
            lastSeen: T,
          },
        ],
        runStart,
      );
      await store.recordCollectionStatus({
        entityRef: LEDGER,
        source: 'repo',
        at: runStart,
        succeeded: false,
        error: 'not-found',
      });
      const next = await get(`/entities/changed?since=${poll.body.until}`);
      expect(next.body.refs).toEqual(
        expect.arrayContaining([REPLICA, CHECKOUT, LEDGER]),
      );
      // The records keep the collector's times.
      const facts = await get(`/facts?entityRef=${REPLICA}&source=repo`);
      expect(facts.body.items[0]).toMatchObject({
        observedAt: T,
        collectedAt: T,
      });
      const read = await post('/read').send({
        entityRefs: [LEDGER],
        include: ['collection'],
      });
      expect(read.body.entities[LEDGER].collection).toContainEqual(
        expect.objectContaining({ source: 'repo', lastAttemptAt: T }),
      );
    });

    it('GET /changes/summary?at= answers the last change and last succeeded deploy as of that instant', async () => {
      const env = 'summary-at';
      // 01:00 succeeded at 01:10; 01:40 succeeded at 01:55; 02:00 still running
      const first = await post('/changes', 'summary-at-1').send(
        deploy({
          environment: env,
          startedAt: '2026-03-14T01:00:00Z',
          finishedAt: '2026-03-14T01:10:00Z',
          status: 'succeeded',
        }),
      );
      const second = await post('/changes', 'summary-at-2').send(
        deploy({
          environment: env,
          startedAt: '2026-03-14T01:40:00Z',
          finishedAt: '2026-03-14T01:55:00Z',
          status: 'succeeded',
        }),
      );
      const third = await post('/changes', 'summary-at-3').send(
        deploy({ environment: env, startedAt: '2026-03-14T02:00:00Z' }),
      );
      const summaryAt = async (at?: string) => {
        const res = await get(
          `/changes/summary?entityRefs=${CHECKOUT}&environment=${env}${
            at ? `&at=${at}` : ''
          }`,
        );
        expect(res.status).toBe(200);
        const s = res.body.summaries[CHECKOUT];
        return {
          asOf: res.body.asOf,
          lastChange: s.lastChange?.id ?? null,
          lastSucceededDeploy: s.lastSucceededDeploy?.id ?? null,
          recent30d: s.recent30d,
        };
      };
      const id = (r: { body: any }) => r.body.record.id;
      expect(await summaryAt()).toMatchObject({
        lastChange: id(third),
        lastSucceededDeploy: id(second),
      });
      // at 01:45 the second had begun but not yet succeeded: the rollback target was the first
      expect(await summaryAt('2026-03-14T01:45:00Z')).toEqual({
        asOf: '2026-03-14T01:45:00.000Z',
        lastChange: id(second),
        lastSucceededDeploy: id(first),
        // the 30 days up to 01:45: not the deploy of 02:00
        recent30d: 2,
      });
      expect(await summaryAt('2026-03-14T00:59:00Z')).toMatchObject({
        lastChange: null,
        lastSucceededDeploy: null,
      });
      const bad = await get(
        `/changes/summary?entityRefs=${CHECKOUT}&at=yesterday`,
      );
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toBe(
        'at must be an ISO-8601 UTC timestamp (got "yesterday")',
      );
    });

    it('LEDGER_NO_COVERAGE: coverage of alias changes follows the alias to its entity', async () => {
      t.resolver.rebuild(CATALOG);
      try {
        const env = 'cov-alias';
        const res = await post('/changes', 'cov-alias-change').send(
          deploy({
            entityRef: undefined,
            alias: 'cov-late-pay',
            environment: env,
          }),
        );
        expect(res.body.record.resolution).toBe('unresolved');
        const ref = 'component:default/cov-late-pay-svc';
        t.resolver.rebuild([
          ...CATALOG,
          entity('Component', 'cov-late-pay-svc', {
            'ops.example.com/aliases': 'cov-late-pay',
          }),
        ]);
        // At once through the live map (R7), and the same after re-resolution.
        for (const when of ['before re-resolution', 'after re-resolution']) {
          const summary = (
            await get(`/changes/summary?entityRefs=${ref}&environment=${env}`)
          ).body.summaries[ref];
          expect({ when, id: summary.lastChange?.id, summary }).toEqual({
            when,
            id: res.body.record.id,
            summary: expect.objectContaining({
              coverage: {
                deploy: {
                  firstAt: '2026-03-14T01:40:00.000Z',
                  lastAt: '2026-03-14T01:40:00.000Z',
                  count: 1,
                },
              },
            }),
          });
          await t.store().reresolve();
        }
        // A later change of the entity by its ref adds to the same kind.
        await post('/changes', 'cov-alias-change-2').send(
          deploy({
            entityRef: ref,
            environment: env,
            startedAt: '2026-03-14T01:50:00Z',
          }),
        );
        const both = (
          await post('/read').send({
            entityRefs: [ref],
            include: ['ledgerSummary'],
          })
        ).body.entities[ref].ledgerSummary;
        expect(both.coverage.deploy).toEqual({
          firstAt: '2026-03-14T01:40:00.000Z',
          lastAt: '2026-03-14T01:50:00.000Z',
          count: 2,
        });
        // Once the alias belongs to nobody, its coverage is nobody's either.
        t.resolver.rebuild(CATALOG);
        const gone = (
          await get(`/changes/summary?entityRefs=${ref}&environment=${env}`)
        ).body.summaries[ref];
        expect(gone.coverage.deploy.count).toBe(1);
      } finally {
        t.resolver.rebuild(CATALOG);
      }
    });
  },
);

describe.each(databases.eachSupportedId())(
  'evidence edge feed on %s',
  databaseId => {
    let t: EvidenceTestBackend;

    beforeAll(async () => {
      t = await startEvidenceTestBackend(databases, databaseId, {
        entities: CATALOG,
      });
    });

    afterAll(async () => {
      await t.stop();
    });

    beforeEach(() => {
      t.clock.now = new Date(T);
    });

    const ago = (ms: number) => toIsoTimestamp(Date.parse(T) - ms);
    const feed = (cursor: string) =>
      request(t.server)
        .get(`/api/evidence/edges/changes?cursor=${cursor}`)
        .set('Authorization', alice);
    let keys = 0;
    const edge = (server: string, lastSeen: string, rpm?: number) => ({
      idempotencyKey: `ev21-${(keys += 1)}`,
      source: 'mesh',
      client: 'checkout',
      server,
      connectionType: '',
      lastSeen,
      ...(rpm === undefined ? {} : { requestsPerMinute: rpm }),
    });
    const postEdges = async (items: ReturnType<typeof edge>[]) => {
      const res = await request(t.server)
        .post('/api/evidence/edges/batch')
        .set('Authorization', alice)
        .send({ items });
      expect(res.status).toBe(200);
      expect(res.body.summary.failed).toBe(0);
      return res.body.results.map((r: { id: string }) => r.id) as string[];
    };
    const retention = (at: string) =>
      new RetentionRunner(t.knex, t.store().options).run(new Date(at));

    /**
     * Follows the feed from `cursor` until `hasMore` is false, applying upserts and removals to
     * `state`; returns the cursors answered, in order.
     */
    async function follow(
      state: Map<string, ObservedEdge>,
      cursor: string,
    ): Promise<string[]> {
      const cursors: string[] = [];
      for (let next = cursor; ; ) {
        const res = await feed(next);
        expect(res.status).toBe(200);
        for (const e of res.body.edges as ObservedEdge[]) state.set(e.id, e);
        for (const id of res.body.removed as string[]) state.delete(id);
        next = res.body.cursor;
        cursors.push(next);
        if (!res.body.hasMore) return cursors;
      }
    }

    it('EV21 lists a deleted edge in removed and answers 410 to a cursor older than the pruned tombstones', async () => {
      const [oldId, liveId] = await postEdges([
        edge('ev21-old', ago(31 * DAY_MS)),
        edge('ev21-live', ago(60_000)),
      ]);
      const first = await feed('0');
      expect(first.body.edges.map((e: ObservedEdge) => e.id)).toEqual(
        expect.arrayContaining([oldId, liveId]),
      );
      const before = first.body.cursor as string;

      // Retention at T deletes the edge unseen for 30 d and leaves a tombstone for the feed.
      expect((await retention(T)).edges).toBe(1);
      const removal = await feed(before);
      expect(removal.status).toBe(200);
      expect(removal.body).toEqual({
        edges: [],
        removed: [oldId],
        cursor: expect.any(String),
        hasMore: false,
      });
      const after = removal.body.cursor as string;
      expect(Number(after)).toBeGreaterThan(Number(before));

      // Eight days later the tombstone is pruned: a cursor from before it can no longer be
      // answered, one taken after it still can, and cursor 0 is a full read without it.
      t.clock.now = new Date(Date.parse(T) + 8 * DAY_MS);
      expect((await retention(t.clock.now.toISOString())).tombstones).toBe(1);
      const expired = await feed(before);
      expect(expired.status).toBe(410);
      expect(expired.body.error).toMatchObject({
        code: 'CURSOR_EXPIRED',
        message: `cursor ${before} is older than the 7-day tombstone window; read /edges in full`,
      });
      const current = await feed(after);
      expect(current.status).toBe(200);
      expect(current.body).toMatchObject({ edges: [], removed: [] });
      const full = await feed('0');
      expect(full.status).toBe(200);
      const fullIds = full.body.edges.map((e: ObservedEdge) => e.id);
      expect(fullIds).toContain(liveId);
      expect(fullIds).not.toContain(oldId);

      const bad = await feed('abc');
      expect(bad.status).toBe(400);
      expect(bad.body.error).toMatchObject({
        code: 'INVALID_FIELD',
        field: 'cursor',
      });
    });

    it('EV21 keeps the pruned mark when retention runs disagree on the clock', async () => {
      const state = new Map<string, ObservedEdge>();
      const start = (await follow(state, '0')).pop()!;
      await postEdges([edge('ev21-skew-a', ago(31 * DAY_MS))]);
      await retention(T);
      const afterA = (await follow(state, start)).pop()!;
      // A replica whose clock is five days behind deletes B: a later seq, an earlier time.
      await postEdges([edge('ev21-skew-b', ago(40 * DAY_MS))]);
      await retention(ago(5 * DAY_MS));
      const expiresB = toIsoTimestamp(Date.parse(T) + 3 * DAY_MS);
      const expiresA = toIsoTimestamp(Date.parse(T) + 8 * DAY_MS);
      expect((await retention(expiresB)).tombstones).toBe(1);
      expect((await feed(afterA)).status).toBe(410);
      // Pruning A's older tombstone later must not lower the mark below B's.
      expect((await retention(expiresA)).tombstones).toBe(1);
      expect((await feed(afterA)).status).toBe(410);
    });

    it('EV21 ends a page at the last row it returns, edge or removal', async () => {
      const reader = new EvidenceReader(t.knex, t.resolver, t.store().options);
      const state = new Map<string, ObservedEdge>();
      const start = (await follow(state, '0')).pop()!;
      const [e1, e2, e3] = await postEdges([
        edge('ev21-page-1', ago(60_000)),
        edge('ev21-page-2', ago(60_000)),
        edge('ev21-page-3', ago(60_000)),
      ]);
      const gone = await postEdges([
        edge('ev21-gone-1', ago(31 * DAY_MS)),
        edge('ev21-gone-2', ago(31 * DAY_MS)),
        edge('ev21-gone-3', ago(31 * DAY_MS)),
      ]);
      expect((await retention(T)).edges).toBe(3);
      // Sequence: e1 e2 e3, three edges later deleted, their three tombstones.
      const pages = [];
      for (let cursor = Number(start); ; ) {
        const page = await reader.edgeChanges(cursor, T, 2);
        pages.push({
          edges: page.edges.map(e => e.id),
          removed: page.removed,
          hasMore: page.hasMore,
        });
        cursor = Number(page.cursor);
        if (!page.hasMore) break;
      }
      expect(pages).toEqual([
        { edges: [e1, e2], removed: [], hasMore: true },
        { edges: [e3], removed: gone.slice(0, 2), hasMore: true },
        { edges: [], removed: gone.slice(2), hasMore: false },
      ]);
    });

    it('EV21 keeps cursors monotonic and the feed complete under concurrent writers', async () => {
      const state = new Map<string, ObservedEdge>();
      await postEdges(
        Array.from({ length: 6 }, (_, i) =>
          edge(`ev21-stale-${i}`, ago(31 * DAY_MS)),
        ),
      );
      // The reader holds the stale edges, so only their removals can take them out again.
      const cursors = ['0', ...(await follow(state, '0'))];
      const last = () => cursors[cursors.length - 1];
      expect(
        [...state.values()].filter(e => e.server.startsWith('ev21-stale')),
      ).toHaveLength(6);

      // Six writers post overlapping natural keys while retention deletes the stale edges
      // and a reader follows the feed.
      let writing = true;
      const writers = Array.from({ length: 6 }, async (_, w) => {
        for (let b = 0; b < 5; b += 1) {
          await postEdges(
            Array.from({ length: 8 }, (__, i) =>
              edge(
                `ev21-busy-${(w + i) % 10}`,
                ago((b * 60 + w) * 1000),
                w * 100 + b,
              ),
            ),
          );
        }
      });
      const reader = (async () => {
        while (writing) cursors.push(...(await follow(state, last())));
      })();
      const [report] = await Promise.all([retention(T), ...writers]);
      writing = false;
      await reader;
      cursors.push(...(await follow(state, last())));

      expect(report.edges).toBe(6);
      const numbers = cursors.map(Number);
      expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
      // Replaying the feed gives exactly the stored edges with their latest observation.
      const rows = await t.knex('evidence_edges').select();
      const stored = new Map(
        rows.map(row => [
          row.id as string,
          {
            lastSeen: toIsoTimestamp(Number(row.last_seen_ms)),
            requestsPerMinute: row.rpm === null ? undefined : Number(row.rpm),
          },
        ]),
      );
      const replayed = new Map(
        [...state.values()].map(e => [
          e.id,
          { lastSeen: e.lastSeen, requestsPerMinute: e.requestsPerMinute },
        ]),
      );
      expect(replayed).toEqual(stored);
      expect(
        [...state.values()].filter(e => e.server.startsWith('ev21-stale')),
      ).toEqual([]);
    });
  },
);

function riskBody() {
  return {
    modelVersion: 'risk/1',
    score: 3,
    tier: 'Low',
    lowConfidence: false,
    dimensions: [{ id: 'D1', value: 1, unknown: false, reason: 'small diff' }],
    floorsApplied: [],
  };
}

describe.each(databases.eachSupportedId())(
  'evidence listings on %s',
  databaseId => {
    let t: EvidenceTestBackend;

    beforeAll(async () => {
      t = await startEvidenceTestBackend(databases, databaseId, {
        entities: CATALOG,
      });
    });

    afterAll(async () => {
      await t.stop();
    });

    beforeEach(() => {
      t.clock.now = new Date(T);
    });

    const get = (path: string) =>
      request(t.server).get(`/api/evidence${path}`).set('Authorization', alice);
    const post = (path: string, key: string) =>
      request(t.server)
        .post(`/api/evidence${path}`)
        .set('Authorization', alice)
        .set('Idempotency-Key', key);

    /** Every item of a listing, following nextCursor; also the pages' sizes. */
    async function walk(path: string, start?: string) {
      const items: { id: string }[] = [];
      const sizes: number[] = [];
      const sep = path.includes('?') ? '&' : '?';
      for (let cursor: string | undefined = start; ; ) {
        const res = await get(
          cursor ? `${path}${sep}cursor=${encodeURIComponent(cursor)}` : path,
        );
        expect(res.status).toBe(200);
        items.push(...res.body.items);
        sizes.push(res.body.items.length);
        cursor = res.body.nextCursor;
        if (!cursor) return { items, sizes };
      }
    }

    it('pages GET /changes in ledger order (§3.8) with a keyset cursor', async () => {
      const env = 'paging-order';
      // Ties on effectiveAt are broken as orderChanges does: in progress first, then
      // finishedAt desc (none last), receivedAt desc, id desc.
      const specs = [
        { startedAt: '2026-03-14T01:00:00Z', status: 'started' },
        {
          startedAt: '2026-03-14T01:00:00Z',
          status: 'succeeded',
          finishedAt: '2026-03-14T01:10:00Z',
        },
        {
          startedAt: '2026-03-14T01:00:00Z',
          status: 'failed',
          finishedAt: '2026-03-14T01:20:00Z',
        },
        { startedAt: '2026-03-14T01:00:00Z', status: 'cancelled' },
        { startedAt: '2026-03-14T01:30:00Z', status: 'started' },
        { startedAt: '2026-03-14T00:30:00Z', status: 'started' },
        { startedAt: '2026-03-14T01:00:00Z', status: 'started' },
      ];
      const written: StoredChange[] = [];
      for (const [i, spec] of specs.entries()) {
        t.clock.now = new Date(Date.parse(T) + (i % 3) * 1000);
        const res = await post('/changes', `paging-order-${i}`).send(
          deploy({ environment: env, ...spec }),
        );
        expect(res.status).toBe(201);
        written.push(res.body.record);
      }
      const expected = orderChanges(written).map(c => c.id);
      const whole = await get(`/changes?environment=${env}`);
      expect(whole.body.items.map((c: { id: string }) => c.id)).toEqual(
        expected,
      );
      expect(whole.body.nextCursor).toBeUndefined();
      const paged = await walk(`/changes?environment=${env}&limit=2`);
      expect(paged.items.map(c => c.id)).toEqual(expected);
      expect(paged.sizes).toEqual([2, 2, 2, 1]);
      // The same through an entity's ledger (stored ref or a live alias).
      const mine = await walk(
        `/changes?entityRef=${CHECKOUT}&environment=${env}&limit=3`,
      );
      expect(mine.items.map(c => c.id)).toEqual(expected);
      // A row written behind the cursor is not repeated; one ahead of it is found.
      const first = await get(`/changes?environment=${env}&limit=2`);
      await post('/changes', 'paging-order-late').send(
        deploy({ environment: env, startedAt: '2026-03-14T00:00:00Z' }),
      );
      const rest = await walk(
        `/changes?environment=${env}&limit=2`,
        first.body.nextCursor,
      );
      expect(rest.items.map(c => c.id)).toEqual([
        ...expected.slice(2),
        expect.any(String),
      ]);
    });

    it.each([
      {
        name: 'a change that finishes between two pages is listed once, not twice',
        env: 'paging-finish',
        // B (in progress) sorts before C at their instant; finished later than C, still first
        later: { status: 'started' },
        update: { status: 'succeeded', finishedAt: '2026-03-14T01:55:00Z' },
      },
      {
        name: 'a change whose finishedAt moves between two pages is listed, not skipped',
        env: 'paging-move',
        // B finished 01:40, before C (01:45): after the correction it sorts before C
        later: { status: 'succeeded', finishedAt: '2026-03-14T01:40:00Z' },
        update: { status: 'succeeded', finishedAt: '2026-03-14T01:58:00Z' },
      },
    ])(
      '$name (the cursor names the ids listed at its instant)',
      async ({ env, later, update }) => {
        const at = '2026-03-14T01:30:00Z';
        const a = deploy({
          environment: env,
          startedAt: '2026-03-14T01:50:00Z',
          status: 'succeeded',
          finishedAt: '2026-03-14T01:52:00Z',
        });
        const c = deploy({
          environment: env,
          startedAt: at,
          status: 'succeeded',
          finishedAt: '2026-03-14T01:45:00Z',
        });
        const b = deploy({ environment: env, startedAt: at, ...later });
        for (const [key, body] of [
          [`${env}-a`, a],
          [`${env}-b`, b],
          [`${env}-c`, c],
        ] as const) {
          expect((await post('/changes', key).send(body)).status).toBe(201);
        }
        const first = await get(`/changes?environment=${env}&limit=2`);
        const summaries = (items: { source: { externalId: string } }[]) =>
          items.map(i => i.source.externalId);
        const firstTwo = summaries(first.body.items);
        expect(firstTwo).toHaveLength(2);
        expect(
          (await post('/changes', `${env}-b2`).send({ ...b, ...update }))
            .status,
        ).toBe(200);
        const rest = await walk(
          `/changes?environment=${env}&limit=2`,
          first.body.nextCursor,
        );
        const listed = [...firstTwo, ...summaries(rest.items as never)];
        expect([...listed].sort()).toEqual(
          [a, b, c].map(x => x.source.externalId).sort(),
        );
      },
    );

    it('falls back to the last change’s sort keys at an instant with more changes than a cursor holds', async () => {
      const env = 'paging-crowded';
      const at = '2026-03-14T01:10:00Z';
      for (let i = 0; i < 150; i++) {
        const res = await post('/changes', `${env}-${i}`).send(
          deploy({ environment: env, startedAt: at }),
        );
        expect(res.status).toBe(201);
      }
      const whole = await get(`/changes?environment=${env}&limit=1000`);
      const paged = await walk(`/changes?environment=${env}&limit=60`);
      expect(paged.sizes).toEqual([60, 60, 30]);
      expect(paged.items.map(c => c.id)).toEqual(
        whole.body.items.map((c: { id: string }) => c.id),
      );
    });

    it('finds the newest changes past 10,000 rows, ordered in SQL', async () => {
      const seed = await post('/changes', 'paging-bulk-seed').send(
        deploy({
          environment: 'paging-bulk',
          startedAt: '2025-01-01T00:00:00Z',
        }),
      );
      expect(seed.status).toBe(201);
      const row = await t
        .knex('evidence_changes')
        .where({ id: seed.body.record.id })
        .first();
      const base = Date.parse('2025-01-01T00:00:00Z');
      const rows = [];
      for (let i = 1; i <= 10050; i++) {
        rows.push({
          ...row,
          id: `PB${String(i).padStart(24, '0')}`,
          external_id: `paging-bulk-${i}`,
          started_ms: base + i * 60_000,
          effective_ms: base + i * 60_000,
        });
      }
      await t.knex.batchInsert('evidence_changes', rows, 200);
      const newest = await get('/changes?environment=paging-bulk&limit=1');
      expect(newest.status).toBe(200);
      expect(newest.body.items.map((c: { id: string }) => c.id)).toEqual([
        `PB${String(10050).padStart(24, '0')}`,
      ]);
      const byRef = await get(
        `/changes?entityRef=${CHECKOUT}&environment=paging-bulk&limit=2`,
      );
      expect(byRef.body.items.map((c: { id: string }) => c.id)).toEqual([
        `PB${String(10050).padStart(24, '0')}`,
        `PB${String(10049).padStart(24, '0')}`,
      ]);
      // The last page ends with the oldest.
      const all = await walk('/changes?environment=paging-bulk&limit=1000');
      expect(all.items).toHaveLength(10051);
      expect(all.items[10050].id).toBe(seed.body.record.id);
      expect(new Set(all.items.map(c => c.id)).size).toBe(10051);
    });

    it('pages GET /facts with a keyset cursor', async () => {
      const ids: string[] = [];
      for (const [i, ref] of [CHECKOUT, LEDGER, REPLICA].entries()) {
        for (const key of ['b', 'a']) {
          const res = await post('/facts', `paging-facts-${i}-${key}`).send(
            fact({ entityRef: ref, key: `paging-${key}` }),
          );
          expect(res.status).toBe(201);
          ids.push(res.body.record.id);
        }
      }
      const whole = await get('/facts?source=golden-paths');
      expect(whole.body.nextCursor).toBeUndefined();
      const order = whole.body.items.map(
        (f: { entityRef: string; key: string }) => [f.entityRef, f.key],
      );
      expect(order).toEqual([
        [CHECKOUT, 'paging-a'],
        [CHECKOUT, 'paging-b'],
        [REPLICA, 'paging-a'],
        [REPLICA, 'paging-b'],
        [LEDGER, 'paging-a'],
        [LEDGER, 'paging-b'],
      ]);
      const paged = await walk('/facts?source=golden-paths&limit=4');
      expect(paged.sizes).toEqual([4, 2]);
      expect(paged.items).toEqual(whole.body.items);
      expect(new Set(paged.items.map(f => f.id))).toEqual(new Set(ids));
    });

    it.each([
      ['GET /changes?cursor=abc', 'cursor'],
      ['GET /changes?cursor=-5', 'cursor'],
      ['GET /changes?cursor=100', 'cursor'],
      // a facts cursor is not a changes cursor, and the other way round
      [
        `GET /changes?cursor=${Buffer.from(
          '["facts","a","b","c","d","e"]',
        ).toString('base64url')}`,
        'cursor',
      ],
      [
        `GET /facts?cursor=${Buffer.from('["changes",1,0,-1,1,"x"]').toString(
          'base64url',
        )}`,
        'cursor',
      ],
      [
        `GET /changes?cursor=${Buffer.from(
          '["changes","1",0,-1,1,"x"]',
        ).toString('base64url')}`,
        'cursor',
      ],
      ['GET /facts?limit=0', 'limit'],
    ])('%s → 400 naming %s', async (route, field) => {
      const res = await get(route.split(' ')[1]);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({
        code: 'INVALID_FIELD',
        field,
        message: expect.stringMatching(new RegExp(`^${field} `)),
      });
    });
  },
);

describe('evidence router: an unexpected failure', () => {
  it('answers 500 "internal error" without the SQL that failed', async () => {
    const t = await startEvidenceTestBackend(databases, 'SQLITE_3');
    try {
      await t.knex.schema.renameTable(
        'evidence_changes',
        'evidence_changes_gone',
      );
      const res = await request(t.server)
        .get('/api/evidence/changes/chg_1')
        .set('Authorization', alice);
      expect(res.status).toBe(500);
      expect(res.body.error).toEqual({
        name: 'Error',
        message: 'internal error',
      });
      expect(JSON.stringify(res.body)).not.toContain('evidence_changes');
      // the named errors keep their statuses through the same handler
      const forbidden = await request(t.server)
        .get('/api/evidence/changes/chg_1')
        .set('Authorization', 'Bearer not-a-token');
      expect(forbidden.status).toBe(401);
    } finally {
      await t.stop();
    }
  });
});
