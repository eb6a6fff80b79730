import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { EXIT } from '../src/exitCodes.ts';
import { run, STATE_REQUIRED } from '../src/job.ts';
import { JOB_NAME, operationKey } from '../src/operations.ts';
import { DependencyError, work, type Work } from '../src/work.ts';

const window = [
  '--from',
  '2026-11-23T07:00:00Z',
  '--to',
  '2026-11-23T10:00:00Z',
];
let dir: string;
let events: Record<string, unknown>[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'job-test-'));
  events = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function deps(overrides: Partial<Work> = {}, env: Record<string, string> = {}) {
  const applied: string[] = [];
  const w: Work = {
    ...work,
    async applyUnit(unit) {
      applied.push(unit.id);
      return { processed: unit.id };
    },
    ...overrides,
  };
  return {
    applied,
    deps: {
      work: w,
      now: () => new Date('2026-11-23T10:05:00Z'),
      env: { JOB_STATE_DB: join(dir, 'state.sqlite'), RUN_ID: 'run-1', ...env },
      sink: (line: string) => events.push(JSON.parse(line)),
    },
  };
}

test('operation keys come from the business identity of the unit', () => {
  assert.equal(
    operationKey('hour-2026-11-23T07'),
    `${JOB_NAME}:hour-2026-11-23T07`,
  );
});

test('a dry run plans the work, changes nothing and exits 10', async () => {
  const { deps: d, applied } = deps();
  assert.equal(await run(['--dry-run', ...window], d), EXIT.dryRunChanges);
  assert.deepEqual(applied, []);
  const planned = events.find(e => e.event === 'job.planned');
  assert.equal(planned?.changes, 3);
  // The real run afterwards still has all three units to do: the dry run claimed nothing.
  assert.equal(await run(window, d), EXIT.ok);
  assert.equal(applied.length, 3);
});

test('a rerun returns the recorded results and does no work twice', async () => {
  const { deps: d, applied } = deps();
  assert.equal(await run(window, d), EXIT.ok);
  assert.equal(
    await run(window, { ...d, env: { ...d.env, RUN_ID: 'run-2' } }),
    EXIT.ok,
  );
  assert.equal(applied.length, 3);
  const last = events.filter(e => e.event === 'job.applied').at(-1);
  assert.deepEqual(
    { applied: last?.applied, skipped: last?.skipped },
    { applied: 0, skipped: 3 },
  );
  assert.equal(await run(['--dry-run', ...window], d), EXIT.ok);
});

test('every event carries run_id, attempt and idempotency_key', async () => {
  const { deps: d } = deps({}, { JOB_ATTEMPT: '2' });
  await run(window, d);
  assert.deepEqual(
    events.map(e => e.event),
    ['job.started', 'job.planned', 'job.applied'],
  );
  for (const e of events) {
    assert.equal(e.run_id, 'run-1');
    assert.equal(e.attempt, 2);
    assert.equal(
      e.idempotency_key,
      `${JOB_NAME}:2026-11-23T07:00:00.000Z/2026-11-23T10:00:00.000Z`,
    );
  }
});

test('bad arguments exit 2', async () => {
  const { deps: d } = deps();
  assert.equal(await run(['--nope'], d), EXIT.badArguments);
  assert.equal(
    await run(['--from', 'yesterday', '--to', 'today'], d),
    EXIT.badArguments,
  );
});

test('validation fails before any change with exit 3', async () => {
  const { deps: d, applied } = deps({
    validateUnit: unit => (unit.id.endsWith('T08') ? 'bad hour' : undefined),
  });
  assert.equal(await run(window, d), EXIT.validationFailed);
  assert.deepEqual(applied, []);
});

test('a failing dependency exits 4, a partly failed run exits 5 and a rerun finishes it', async () => {
  const down = deps({
    async loadUnits() {
      throw new DependencyError('orders-db', 'connection refused');
    },
  });
  assert.equal(await run(window, down.deps), EXIT.dependencyFailure);

  let fail = true;
  const { deps: d, applied } = deps({
    async applyUnit(unit) {
      if (fail && unit.id.endsWith('T08')) throw new Error('boom');
      applied.push(unit.id);
      return { processed: unit.id };
    },
  });
  assert.equal(await run(window, d), EXIT.partialSuccess);
  fail = false;
  assert.equal(
    await run(window, { ...d, env: { ...d.env, RUN_ID: 'run-2' } }),
    EXIT.ok,
  );
  assert.deepEqual(applied.sort(), [
    'hour-2026-11-23T07',
    'hour-2026-11-23T08',
    'hour-2026-11-23T09',
  ]);
});

test('a paused job exits 0 without doing anything', async () => {
  const { deps: d, applied } = deps({}, { JOB_PAUSED: 'true' });
  assert.equal(await run(window, d), EXIT.ok);
  assert.deepEqual(applied, []);
});

test('in production the job refuses to start without JOB_STATE_DB (exit 2)', async () => {
  const { deps: d, applied } = deps();
  const env = { RUN_ID: 'run-1', NODE_ENV: 'production' };
  assert.equal(await run(window, { ...d, env }), EXIT.badArguments);
  assert.deepEqual(applied, []);
  const failed = events.find(e => e.event === 'job.failed');
  assert.equal(failed?.reason, 'config');
  assert.equal(failed?.error, STATE_REQUIRED);
  assert.match(String(failed?.error), /JOB_STATE_DB/);
  assert.match(String(failed?.error), /persistent volume/);
  // a claim table on the mounted volume, named by JOB_STATE_DB or --state, is accepted
  assert.equal(
    await run(window, {
      ...d,
      env: { ...env, JOB_STATE_DB: d.env.JOB_STATE_DB },
    }),
    EXIT.ok,
  );
  assert.equal(
    await run(['--dry-run', '--state', d.env.JOB_STATE_DB, ...window], {
      ...d,
      env,
    }),
    EXIT.ok,
  );
});
