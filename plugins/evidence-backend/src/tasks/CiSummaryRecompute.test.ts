import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  CiRunInput,
  fingerprint,
  summarizeCiRuns,
} from '@internal/plugin-evidence-common';
import { Knex } from 'knex';
import { T, entity } from '../__testUtils__/startEvidenceTestBackend';
import { EvidenceStore } from '../database/EvidenceStore';
import { FactRow } from '../database/rows';
import { AliasResolver } from '../service/AliasResolver';
import { readEvidenceOptions } from '../service/evidenceConfig';
import { CiSummaryRecompute } from './CiSummaryRecompute';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['POSTGRES_15', 'SQLITE_3'],
  disableDocker: true,
});

const CHECKOUT = 'component:default/checkout-service';
const CART = 'component:default/cart-api';
const MINUTE = 60_000;
const DAY = 86400_000;

type RunBody = CiRunInput & { entityRef: string };

/** The EV23 vector (§8): runs 4, passed 3, failed 1, flaky 2. */
function ev23(entityRef: string): RunBody[] {
  const base = {
    entityRef,
    provider: 'github-actions',
    attempt: 1,
    workflow: 'ci',
    branch: 'main',
    defaultBranch: true,
    status: 'completed' as const,
  };
  return [
    {
      ...base,
      runId: 'R1',
      commitSha: 'a',
      conclusion: 'failure',
      queuedAt: '2026-03-09T23:50:00Z',
      startedAt: '2026-03-09T23:51:00Z',
      finishedAt: '2026-03-10T00:00:00Z',
    },
    {
      ...base,
      runId: 'R1',
      attempt: 2,
      commitSha: 'a',
      conclusion: 'success',
      queuedAt: '2026-03-10T00:01:00Z',
      startedAt: '2026-03-10T00:01:30Z',
      finishedAt: '2026-03-10T00:10:00Z',
      url: 'https://github.com/shop-example/checkout-service/actions/runs/1',
    },
    {
      ...base,
      runId: 'R2',
      commitSha: 'b',
      conclusion: 'success',
      finishedAt: '2026-03-11T00:00:00Z',
    },
    {
      ...base,
      runId: 'R3',
      commitSha: 'c',
      conclusion: 'failure',
      failureDomain: 'test',
      finishedAt: '2026-03-12T00:00:00Z',
    },
    {
      ...base,
      runId: 'R4',
      commitSha: 'c',
      conclusion: 'success',
      finishedAt: '2026-03-12T01:00:00Z',
      url: 'https://github.com/shop-example/checkout-service/actions/runs/4',
    },
    {
      ...base,
      runId: 'R5',
      commitSha: 'd',
      conclusion: 'cancelled',
      finishedAt: '2026-03-13T00:00:00Z',
    },
    {
      ...base,
      runId: 'R6',
      commitSha: 'e',
      branch: 'feature',
      defaultBranch: false,
      conclusion: 'failure',
      finishedAt: '2026-03-14T00:00:00Z',
    },
  ];
}

async function setUp(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  const options = readEvidenceOptions(new ConfigReader({}));
  const resolver = new AliasResolver();
  resolver.rebuild([
    entity('Component', 'checkout-service'),
    entity('Component', 'cart-api'),
  ]);
  const clock = { now: new Date(T) };
  const store = await EvidenceStore.create({
    database: mockServices.database({ knex }),
    resolver,
    options,
    logger: mockServices.logger.mock(),
    clock: () => clock.now,
  });
  const recompute = CiSummaryRecompute.fromStore(
    store,
    mockServices.logger.mock(),
  );
  let n = 0;
  const postRun = async (body: RunBody) => {
    const outcome = await store.ingest(
      'ci-runs',
      `run-${(n += 1)}`,
      body,
      'external:ci',
    );
    expect(outcome.ok).toBe(true);
  };
  return { knex, clock, store, recompute, postRun };
}

async function summaryRows(knex: Knex, entityRef: string) {
  const latest = await knex<FactRow>('evidence_facts')
    .where({ subject: entityRef, source: 'ci', kind: 'ci.summary' })
    .select();
  const history = await knex('evidence_fact_history')
    .where({ subject: entityRef, source: 'ci', kind: 'ci.summary' })
    .select();
  return { latest, history };
}

describe('CiSummaryRecompute (§2.5, EV23)', () => {
  it.each(databases.eachSupportedId())(
    'writes ci.summary after CI-run writes and nothing new on a second pass on %s',
    async databaseId => {
      const { knex, clock, recompute, postRun } = await setUp(databaseId);
      const runs = ev23(CHECKOUT);
      for (const run of runs) await postRun(run);

      clock.now = new Date(Date.parse(T) + 30_000);
      const first = await recompute.recomputeRecent();
      expect(first).toEqual({
        entities: 1,
        written: 1,
        unchanged: 0,
        skipped: 0,
        failed: 0,
      });

      const expected = summarizeCiRuns(runs, clock.now.toISOString());
      expect(expected.value).toMatchObject({
        runs: 4,
        passed: 3,
        failed: 1,
        flaky: 2,
        passRate: 0.75,
        flakeRate: 0.5,
      });
      const { latest, history } = await summaryRows(knex, CHECKOUT);
      expect(latest).toHaveLength(1);
      const row = latest[0];
      expect(JSON.parse(row.value_json)).toEqual(expected.value);
      expect(row.value_fp).toBe(fingerprint(expected.value as never));
      // observedAt = newest finish (R4, R5 is cancelled but still the newest unit).
      expect(Number(row.observed_ms)).toBe(Date.parse(expected.observedAt!));
      expect(Number(row.observed_ms)).toBe(Date.parse('2026-03-13T00:00:00Z'));
      // Fresh for 30 d after the newest run.
      expect(Number(row.expires_ms)).toBe(Number(row.observed_ms) + 30 * DAY);
      expect(row.entity_ref).toBe(CHECKOUT);
      expect(row.resolution).toBe('resolved');
      expect(JSON.parse(row.provenance_json!)).toEqual({
        collector: 'ci',
        runId: 'R5',
        commitSha: 'd',
      });
      expect(history).toHaveLength(1);

      // No new runs: the next passes (recent and daily) write nothing at all.
      clock.now = new Date(Date.parse(T) + 90_000);
      expect(await recompute.recomputeRecent()).toMatchObject({
        written: 0,
      });
      expect(await recompute.recomputeAll()).toEqual({
        entities: 1,
        written: 0,
        unchanged: 1,
        skipped: 0,
        failed: 0,
      });
      const again = await summaryRows(knex, CHECKOUT);
      expect(again.latest).toEqual(latest);
      expect(again.history).toHaveLength(1);

      // A re-sent run (same body, new key) changes nothing either.
      await postRun(runs[4]);
      clock.now = new Date(Date.parse(T) + 150_000);
      expect(await recompute.recomputeRecent()).toMatchObject({ written: 0 });
      expect((await summaryRows(knex, CHECKOUT)).latest).toEqual(latest);
    },
  );

  it.each(databases.eachSupportedId())(
    'follows a new run with a new version and only touches entities with new runs on %s',
    async databaseId => {
      const { knex, clock, recompute, postRun } = await setUp(databaseId);
      for (const run of ev23(CHECKOUT)) await postRun(run);
      for (const run of ev23(CART).map(r => ({
        ...r,
        provider: 'gitlab',
      })))
        await postRun(run);
      clock.now = new Date(Date.parse(T) + 5 * MINUTE);
      expect(await recompute.recomputeRecent()).toMatchObject({
        entities: 2,
        written: 2,
      });
      const cartBefore = (await summaryRows(knex, CART)).latest;

      // A failed run of checkout on the default branch, then a feature-branch run of cart,
      // written after the previous pass and its 2-minute overlap.
      clock.now = new Date(Date.parse(T) + 6 * MINUTE);
      await postRun({
        entityRef: CHECKOUT,
        provider: 'github-actions',
        runId: 'R7',
        attempt: 1,
        workflow: 'ci',
        branch: 'main',
        defaultBranch: true,
        commitSha: 'f',
        status: 'completed',
        conclusion: 'timed_out',
        failureDomain: 'environment',
        finishedAt: '2026-03-14T02:00:00Z',
      });
      await postRun({
        ...ev23(CART)[6],
        provider: 'gitlab',
        runId: 'R8',
        finishedAt: '2026-03-14T02:00:00Z',
      });
      clock.now = new Date(Date.parse(T) + 7 * MINUTE);
      expect(await recompute.recomputeRecent()).toEqual({
        entities: 1,
        written: 1,
        unchanged: 0,
        skipped: 0,
        failed: 0,
      });
      const { latest, history } = await summaryRows(knex, CHECKOUT);
      expect(JSON.parse(latest[0].value_json)).toMatchObject({
        runs: 5,
        passed: 3,
        failed: 2,
        byFailureDomain: { test: 1, environment: 1 },
        newestRunAt: '2026-03-14T02:00:00.000Z',
      });
      expect(history).toHaveLength(2);
      expect((await summaryRows(knex, CART)).latest).toEqual(cartBefore);
    },
  );

  it.each(databases.eachSupportedId())(
    'looks back past the daily pass on the first recent pass of a process (a takeover after a gap) on %s',
    async databaseId => {
      const { clock, recompute, postRun } = await setUp(databaseId);
      clock.now = new Date(Date.parse(T) - DAY);
      for (const run of ev23(CHECKOUT)) await postRun(run);
      clock.now = new Date(T);
      expect(await recompute.recomputeRecent()).toMatchObject({
        entities: 1,
        written: 1,
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'slides the 30-day window in the daily pass and skips entities without counted runs on %s',
    async databaseId => {
      const { knex, clock, recompute, postRun, store } = await setUp(
        databaseId,
      );
      // Written before the first recent pass of a fresh process looks (here 15 min; 25 h by
      // default): only the daily pass sees them.
      clock.now = new Date(Date.parse(T) - DAY);
      for (const run of ev23(CHECKOUT)) await postRun(run);
      await postRun({
        ...ev23(CART)[6],
        runId: 'only-feature',
      });
      clock.now = new Date(T);
      const freshProcess = CiSummaryRecompute.fromStore(
        store,
        mockServices.logger.mock(),
        { lookbackMs: 15 * 60_000 },
      );
      expect(await freshProcess.recomputeRecent()).toMatchObject({
        entities: 0,
      });
      // cart-api has only a feature-branch run: not an entity with default-branch runs.
      expect(await recompute.recomputeAll()).toMatchObject({
        entities: 1,
        written: 1,
      });
      expect((await summaryRows(knex, CART)).latest).toHaveLength(0);

      // 00:10 on 2026-04-10: R1 and R2 (finished 2026-03-10 and 2026-03-11 00:00) have left
      // the window; R3 (failed), R4 (passed, flaky) and R5 (cancelled) remain.
      clock.now = new Date('2026-04-10T00:10:00Z');
      const runs = ev23(CHECKOUT);
      const expected = summarizeCiRuns(runs, clock.now.toISOString());
      expect(expected.value).toMatchObject({ runs: 2, passed: 1, flaky: 1 });
      expect(await recompute.recomputeAll()).toMatchObject({ written: 1 });
      const { latest, history } = await summaryRows(knex, CHECKOUT);
      expect(JSON.parse(latest[0].value_json)).toEqual(expected.value);
      // Same observedAt, another value: the later receipt wins (§3.5), with a history row.
      expect(Number(latest[0].observed_ms)).toBe(
        Date.parse('2026-03-13T00:00:00Z'),
      );
      expect(history).toHaveLength(2);

      // Past the window entirely: nothing counted, the stored summary simply ages.
      clock.now = new Date('2026-05-01T00:10:00Z');
      expect(await recompute.recomputeAll()).toMatchObject({
        written: 0,
        skipped: 1,
      });
      expect((await summaryRows(knex, CHECKOUT)).latest).toEqual(latest);
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps a newer ci.summary written by another writer on %s',
    async databaseId => {
      const { knex, clock, store, recompute, postRun } = await setUp(
        databaseId,
      );
      for (const run of ev23(CHECKOUT)) await postRun(run);
      await store.writeFact({
        entityRef: CHECKOUT,
        source: 'ci',
        kind: 'ci.summary',
        value: { seeded: true },
        observedAt: new Date(Date.parse(T) - MINUTE),
        collectedAt: new Date(T),
      });
      const before = await summaryRows(knex, CHECKOUT);
      clock.now = new Date(Date.parse(T) + MINUTE);
      expect(await recompute.recomputeRecent()).toMatchObject({
        skipped: 1,
        written: 0,
      });
      expect(await summaryRows(knex, CHECKOUT)).toEqual(before);
    },
  );

  it.each(databases.eachSupportedId())(
    'retries an entity that failed in the next recent pass on %s',
    async databaseId => {
      const { knex, clock, recompute, postRun } = await setUp(databaseId);
      for (const run of ev23(CHECKOUT)) await postRun(run);
      const spy = jest
        .spyOn(
          recompute as unknown as { recomputeEntity: () => Promise<string> },
          'recomputeEntity',
        )
        .mockRejectedValueOnce(new Error('database went away'));
      clock.now = new Date(Date.parse(T) + MINUTE);
      expect(await recompute.recomputeRecent()).toMatchObject({
        entities: 1,
        failed: 1,
      });
      expect((await summaryRows(knex, CHECKOUT)).latest).toHaveLength(0);
      spy.mockRestore();

      // Long after the run's write (outside the overlap): retried because it failed.
      clock.now = new Date(Date.parse(T) + 60 * MINUTE);
      expect(await recompute.recomputeRecent()).toMatchObject({
        entities: 1,
        written: 1,
      });
      expect((await summaryRows(knex, CHECKOUT)).latest).toHaveLength(1);
      clock.now = new Date(Date.parse(T) + 61 * MINUTE);
      expect(await recompute.recomputeRecent()).toMatchObject({
        entities: 0,
      });
    },
  );
});
