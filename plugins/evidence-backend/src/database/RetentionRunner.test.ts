import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { AliasResolver } from '../service/AliasResolver';
import { readEvidenceOptions } from '../service/evidenceConfig';
import { T, entity } from '../__testUtils__/startEvidenceTestBackend';
import { EvidenceStore } from './EvidenceStore';
import { RetentionRunner } from './RetentionRunner';
import { recordDetachedRefs } from './detachedRefs';
import {
  ROLLOUT_WINDOW_MS,
  collisionRecordName,
} from './redactStoredCredentials';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['POSTGRES_15', 'SQLITE_3'],
  disableDocker: true,
});

const DAY = 86400_000;
const X = Date.parse(T);
const CHECKOUT = 'component:default/checkout-service';
const daysAgo = (d: number, hours = 0) =>
  new Date(X - d * DAY + hours * 3600_000);

function change(externalId: string, startedAt: Date, finishedAt: Date) {
  return {
    entityRef: CHECKOUT,
    kind: 'deploy',
    ref: 'v1',
    summary: 'deploy',
    actor: { type: 'bot', id: 'ci' },
    source: { system: 'github-actions', externalId },
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    status: 'succeeded',
    attributes: { artifactDigest: 'sha256:1' },
  };
}

describe('RetentionRunner (EV41, EV4, EV37)', () => {
  it.each(databases.eachSupportedId())(
    'bounds every table on %s',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const options = readEvidenceOptions(
        new ConfigReader({ evidence: { retention: { chunkSize: 3 } } }),
      );
      const resolver = new AliasResolver();
      resolver.rebuild([entity('Component', 'checkout-service')]);
      const clock = { now: new Date(T) };
      const store = await EvidenceStore.create({
        database: mockServices.database({ knex }),
        resolver,
        options,
        logger: mockServices.logger.mock(),
        clock: () => clock.now,
      });
      const at = async <R>(when: Date, fn: () => Promise<R>) => {
        clock.now = when;
        return fn();
      };
      let n = 0;
      const pushFact = (key: string, when: Date) =>
        at(when, () =>
          store.ingest(
            'facts',
            `fact-${(n += 1)}`,
            {
              entityRef: CHECKOUT,
              source: 'golden-paths',
              kind: 'repo.files',
              key,
              value: { n },
              observedAt: when.toISOString(),
            },
            'test',
          ),
        );

      // Key "a": values spread over 500 days, three per day on some days.
      for (const d of [500, 450, 401, 399, 200, 100, 91, 89, 10]) {
        for (const h of d % 2 === 0 ? [1, 5, 9] : [2]) {
          expect((await pushFact('a', daysAgo(d, h))).ok).toBe(true);
        }
      }
      // Key "b": its only value is 450 days old, so that row is its newest and stays.
      await pushFact('b', daysAgo(450));

      const old = await at(daysAgo(740), () =>
        store.ingest(
          'changes',
          'change-old',
          change('old', daysAgo(740), daysAgo(731)),
          'test',
        ),
      );
      expect(old.ok).toBe(true);
      await at(daysAgo(729), () =>
        store.ingest(
          'changes',
          'change-kept',
          change('kept', daysAgo(729), daysAgo(729)),
          'test',
        ),
      );
      const reSentBody = change('resent', daysAgo(8), daysAgo(8));
      await at(daysAgo(8), () =>
        store.ingest('changes', 'change-8d', reSentBody, 'test'),
      );
      await at(daysAgo(6), () =>
        store.ingest(
          'changes',
          'change-6d',
          change('six', daysAgo(6), daysAgo(6)),
          'test',
        ),
      );
      for (const [server, d] of [
        ['gone-svc', 31],
        ['kept-svc', 29],
      ] as const) {
        await at(daysAgo(d), () =>
          store.ingest(
            'edges',
            `edge-${server}`,
            {
              source: 'mesh',
              client: 'checkout-service',
              server,
              connectionType: '',
              lastSeen: daysAgo(d).toISOString(),
            },
            'test',
          ),
        );
      }
      for (const [runId, d] of [
        ['91', 91],
        ['89', 89],
      ] as const) {
        await at(daysAgo(d), () =>
          store.ingest(
            'ci-runs',
            `ci-${runId}`,
            {
              entityRef: CHECKOUT,
              provider: 'github-actions',
              runId,
              attempt: 1,
              workflow: 'ci',
              branch: 'main',
              defaultBranch: true,
              commitSha: 'abc',
              status: 'completed',
              conclusion: 'success',
              finishedAt: daysAgo(d).toISOString(),
            },
            'test',
          ),
        );
      }

      clock.now = new Date(X);
      const runner = new RetentionRunner(knex, options, resolver);
      const first = await runner.run(new Date(X));
      expect(first.idempotency).toBeGreaterThan(0);

      const history = await knex('evidence_fact_history').select();
      const latestIds = new Set(
        (await knex('evidence_facts').select('id')).map(r => r.id),
      );
      const age = (row: { observed_ms: unknown }) =>
        X - Number(row.observed_ms);
      expect(
        history.filter(r => r.granularity === 'raw' && age(r) > 90 * DAY),
      ).toEqual([]);
      const perDay = new Map<string, number>();
      for (const row of history.filter(
        r => age(r) > 90 * DAY && age(r) <= 400 * DAY,
      )) {
        const k = `${row.fact_key}/${Math.floor(
          Number(row.observed_ms) / DAY,
        )}`;
        perDay.set(k, (perDay.get(k) ?? 0) + 1);
      }
      expect([...perDay.values()].every(c => c === 1)).toBe(true);
      expect(perDay.size).toBe(4); // key a: days 399, 200, 100, 91
      const ancient = history.filter(r => age(r) > 400 * DAY);
      expect(ancient.map(r => r.fact_key)).toEqual(['b']);
      expect(ancient.every(r => latestIds.has(r.id))).toBe(true);
      // The newest value of key "a" (10 days old) is untouched and still raw.
      expect(
        history.filter(r => r.fact_key === 'a' && age(r) < 90 * DAY),
      ).toHaveLength(4);

      const changes = await knex('evidence_changes').select('external_id');
      expect(changes.map(c => c.external_id).sort()).toEqual([
        'kept',
        'resent',
        'six',
      ]);
      // EV37: coverage survives ledger retention.
      const coverage = await knex('evidence_change_coverage')
        .where({ entity_ref: CHECKOUT, kind: 'deploy' })
        .first();
      expect(Number(coverage.count)).toBe(4);
      expect(Number(coverage.first_ms)).toBe(daysAgo(740).getTime());

      const keys = await knex('evidence_idempotency').select('idem_key');
      expect(
        (await knex('evidence_idempotency').select('created_ms')).every(
          r => X - Number(r.created_ms) <= 7 * DAY,
        ),
      ).toBe(true);
      expect(keys.map(k => k.idem_key)).toContain('change-6d');
      expect(keys.map(k => k.idem_key)).not.toContain('change-8d');

      const edges = await knex('evidence_edges').select('server');
      expect(edges.map(e => e.server)).toEqual(['kept-svc']);
      expect(await knex('evidence_edge_tombstones').select()).toHaveLength(1);
      const runs = await knex('evidence_ci_runs').select('run_id');
      expect(runs.map(r => r.run_id)).toEqual(['89']);

      // A second run at the same clock deletes nothing.
      const second = await runner.run(new Date(X));
      expect(Object.values(second).every(v => v === 0)).toBe(true);

      // EV4: after its key expired, the same change is a no-op update through its natural key.
      const resent = await store.ingest(
        'changes',
        'change-8d',
        reSentBody,
        'test',
      );
      expect(resent).toMatchObject({ ok: true, status: 200, unchanged: true });
      expect(
        await knex('evidence_changes').where({ external_id: 'resent' }),
      ).toHaveLength(1);

      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    "forgets the credential pass's collision records once its rollout window closed on %s",
    async databaseId => {
      const knex = await databases.init(databaseId);
      const options = readEvidenceOptions(new ConfigReader({}));
      const store = await EvidenceStore.create({
        database: mockServices.database({ knex }),
        resolver: new AliasResolver(),
        options,
        logger: mockServices.logger.mock(),
        clock: () => new Date(X),
      });
      // The first pass finished at X: starts until X + 7 days run it again.
      expect(await store.credentialRedaction).toMatchObject({ ran: true });
      const record = (id: string) =>
        collisionRecordName('evidence_facts', { id });
      await knex('evidence_sequences').insert([
        { name: record('old'), value: X },
        { name: record('recent'), value: X + 6 * DAY },
      ]);
      const records = async () =>
        (
          await knex('evidence_sequences')
            .where('name', 'like', 'redaction-collision:%')
            .orderBy('name')
        ).map(r => r.name);
      const runner = new RetentionRunner(knex, options);

      // Within the window, re-runs read them: kept, however old.
      const open = await runner.run(new Date(X + ROLLOUT_WINDOW_MS - 1));
      expect(open.redactionCollisions).toBe(0);
      expect(await records()).toEqual([record('old'), record('recent')]);

      const closed = await runner.run(new Date(X + ROLLOUT_WINDOW_MS + 1));
      expect(closed.redactionCollisions).toBe(1);
      expect(await records()).toEqual([record('recent')]);
      expect(
        await knex('evidence_sequences')
          .whereIn('name', ['redacted-credentials-v1', 'edges'])
          .select('name'),
      ).toHaveLength(2);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'forgets the entities evidence left (R14) after the tombstone window on %s',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const options = readEvidenceOptions(new ConfigReader({}));
      await EvidenceStore.create({
        database: mockServices.database({ knex }),
        resolver: new AliasResolver(),
        options,
        logger: mockServices.logger.mock(),
        clock: () => new Date(T),
      });
      const old = 'component:default/old-owner';
      const recent = 'component:default/recent-owner';
      await recordDetachedRefs(knex, [old], [CHECKOUT], daysAgo(8).getTime());
      await recordDetachedRefs(
        knex,
        [recent],
        [CHECKOUT],
        daysAgo(6).getTime(),
      );
      const runner = new RetentionRunner(knex, options);
      expect((await runner.run(new Date(X))).detachedRefs).toBe(1);
      const left = await knex('evidence_detached_refs').select('entity_ref');
      expect(left.map(r => r.entity_ref)).toEqual([recent]);
      expect((await runner.run(new Date(X))).detachedRefs).toBe(0);
      await knex.destroy();
    },
  );
});
