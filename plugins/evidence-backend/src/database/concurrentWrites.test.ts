import { TestDatabases } from '@backstage/backend-test-utils';
import {
  EvidenceTestBackend,
  entity,
  startEvidenceTestBackend,
} from '../__testUtils__/startEvidenceTestBackend';

jest.setTimeout(120_000);

/**
 * Two writers of one record at the same moment (§3.5). On SQLite transactions run one after
 * another; on PostgreSQL both read the record before either committed, until each write took
 * its record's lock first (`lockNaturalKeys`). Each race runs `ROUNDS` times: one round
 * interleaved the writers in most rounds before the locks.
 */
const ROUNDS = 20;
const P = 'user:default/alice';

const databases = TestDatabases.create({
  ids: ['POSTGRES_15', 'SQLITE_3'],
  disableDocker: true,
});

function deploy(externalId: string, over: Record<string, unknown> = {}) {
  return {
    entityRef: 'component:default/checkout-service',
    kind: 'deploy',
    environment: 'production',
    ref: 'v1.2.3',
    summary: 'Deploy checkout-service 1.2.3',
    actor: { type: 'bot', id: 'github-actions' },
    source: { system: 'github-actions', externalId },
    startedAt: '2026-03-14T01:40:00Z',
    status: 'started',
    attributes: { artifactDigest: 'sha256:abc' },
    ...over,
  };
}

function rollbackOf(externalId: string) {
  return deploy(`${externalId}-rollback`, {
    status: 'succeeded',
    startedAt: '2026-03-14T01:52:00Z',
    finishedAt: '2026-03-14T01:55:00Z',
    rollbackOf: { system: 'github-actions', externalId },
  });
}

function ciRun(runId: string, over: Record<string, unknown> = {}) {
  return {
    entityRef: 'component:default/checkout-service',
    provider: 'github-actions',
    runId,
    attempt: 1,
    workflow: 'ci',
    branch: 'main',
    defaultBranch: true,
    commitSha: 'abc',
    status: 'queued',
    ...over,
  };
}

function fact(key: string, observedAt: string, version: number) {
  return {
    entityRef: 'component:default/checkout-service',
    source: 'golden-paths',
    kind: 'repo.files',
    key,
    value: { paths: [`v${version}`] },
    observedAt,
  };
}

describe.each(databases.eachSupportedId())(
  'concurrent writes of one record on %p',
  databaseId => {
    let t: EvidenceTestBackend;
    beforeAll(async () => {
      t = await startEvidenceTestBackend(databases, databaseId, {
        entities: [entity('Component', 'checkout-service')],
      });
    });
    afterAll(() => t.stop());

    const rounds = Array.from({ length: ROUNDS }, (_, i) => i);
    const change = (externalId: string) =>
      t.knex('evidence_changes').where({ external_id: externalId }).first();

    it('accepts one of two status moves that cannot both happen (INVALID_TRANSITION)', async () => {
      const store = t.store();
      for (const i of rounds) {
        const ext = `status-${i}`;
        expect(
          (await store.ingest('changes', `s0-${ext}`, deploy(ext), P)).ok,
        ).toBe(true);
        const outcomes = await Promise.all([
          store.ingest(
            'changes',
            `sa-${ext}`,
            deploy(ext, {
              status: 'succeeded',
              finishedAt: '2026-03-14T01:50:00Z',
            }),
            P,
          ),
          store.ingest(
            'changes',
            `sb-${ext}`,
            deploy(ext, {
              status: 'failed',
              finishedAt: '2026-03-14T01:51:00Z',
            }),
            P,
          ),
        ]);
        const accepted = outcomes.filter(o => o.ok);
        const refused = outcomes.filter(o => !o.ok);
        expect(accepted).toHaveLength(1);
        expect(refused.map(o => !o.ok && o.error.code)).toEqual([
          'INVALID_TRANSITION',
        ]);
        // the stored status is the accepted one's
        const winner = outcomes[0].ok ? 'succeeded' : 'failed';
        expect((await change(ext)).status).toBe(winner);
      }
    });

    it('links a rollback that arrives with its target, alone or in a batch (IB R11)', async () => {
      const store = t.store();
      for (const i of rounds) {
        const ext = `target-${i}`;
        const target = deploy(ext, {
          status: 'succeeded',
          finishedAt: '2026-03-14T01:50:00Z',
        });
        const writeTarget =
          i % 2 === 0
            ? store.ingest('changes', `x-${ext}`, target, P)
            : store
                .ingestBatch(
                  'changes',
                  [
                    {
                      idempotencyKey: `x-${ext}`,
                      body: target,
                      prefix: 'items[0]',
                    },
                  ],
                  P,
                )
                .then(([o]) => o);
        const outcomes = await Promise.all([
          writeTarget,
          store.ingest('changes', `r-${ext}`, rollbackOf(ext), P),
        ]);
        expect(outcomes.every(o => o.ok)).toBe(true);
        const [x, r] = [await change(ext), await change(`${ext}-rollback`)];
        expect({
          rollbackOf: r.rollback_of,
          flags: r.flags,
          target: x.status,
        }).toEqual({
          rollbackOf: x.id,
          flags: expect.not.stringContaining('ROLLBACK_TARGET_UNKNOWN'),
          target: 'rolled-back',
        });
      }
    });

    it('sets a CI run conclusion once (IMMUTABLE_FIELD)', async () => {
      const store = t.store();
      for (const i of rounds) {
        const id = `run-${i}`;
        expect(
          (await store.ingest('ci-runs', `q-${id}`, ciRun(id), P)).ok,
        ).toBe(true);
        const outcomes = await Promise.all([
          store.ingest(
            'ci-runs',
            `c-${id}`,
            ciRun(id, { status: 'completed', conclusion: 'success' }),
            P,
          ),
          store.ingest(
            'ci-runs',
            `f-${id}`,
            ciRun(id, { status: 'completed', conclusion: 'failure' }),
            P,
          ),
        ]);
        expect(outcomes.filter(o => o.ok)).toHaveLength(1);
        const stored = await t
          .knex('evidence_ci_runs')
          .where({ run_id: id })
          .first();
        expect(stored.conclusion).toBe(outcomes[0].ok ? 'success' : 'failure');
      }
    });

    it('keeps the newest fact as the latest value when an older one arrives with it (OUT_OF_ORDER)', async () => {
      const store = t.store();
      for (const i of rounds) {
        const key = `fact-${i}`;
        expect(
          (
            await store.ingest(
              'facts',
              `a-${key}`,
              fact(key, '2026-03-14T02:00:00Z', 1),
              P,
            )
          ).ok,
        ).toBe(true);
        await Promise.all([
          store.ingest(
            'facts',
            `b-${key}`,
            fact(key, '2026-03-14T02:03:00Z', 2),
            P,
          ),
          store.ingest(
            'facts',
            `c-${key}`,
            fact(key, '2026-03-14T02:01:00Z', 3),
            P,
          ),
        ]);
        const latest = await t
          .knex('evidence_facts')
          .where({ fact_key: key })
          .first();
        expect(Number(latest.observed_ms)).toBe(
          Date.parse('2026-03-14T02:03:00Z'),
        );
      }
    });
  },
);
