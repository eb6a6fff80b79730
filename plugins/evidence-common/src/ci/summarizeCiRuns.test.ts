import { CiRunInput } from '../schemas/ciRunInput';
import { summarizeCiRuns } from './summarizeCiRuns';

const now = '2026-03-14T02:05:00.000Z';
let seq = 0;
function run(overrides: Partial<CiRunInput>): CiRunInput {
  seq += 1;
  return {
    entityRef: 'component:default/checkout-service',
    provider: 'github',
    runId: `r${seq}`,
    attempt: 1,
    workflow: 'ci',
    branch: 'main',
    defaultBranch: true,
    commitSha: 'x',
    status: 'completed',
    conclusion: 'success',
    finishedAt: '2026-03-10T00:00:00.000Z',
    ...overrides,
  };
}

describe('summarizeCiRuns (§2.5, EV23)', () => {
  it('computes the EV23 vector exactly', () => {
    const runs = [
      run({
        runId: 'R1',
        commitSha: 'a',
        attempt: 1,
        conclusion: 'failure',
        finishedAt: '2026-03-10T00:00:00.000Z',
      }),
      run({
        runId: 'R1',
        commitSha: 'a',
        attempt: 2,
        conclusion: 'success',
        finishedAt: '2026-03-10T00:10:00.000Z',
      }),
      run({
        runId: 'R2',
        commitSha: 'b',
        conclusion: 'success',
        finishedAt: '2026-03-11T00:00:00.000Z',
      }),
      run({
        runId: 'R3',
        commitSha: 'c',
        conclusion: 'failure',
        finishedAt: '2026-03-12T00:00:00.000Z',
        failureDomain: 'test',
      }),
      run({
        runId: 'R4',
        commitSha: 'c',
        conclusion: 'success',
        finishedAt: '2026-03-12T01:00:00.000Z',
      }),
      run({
        runId: 'R5',
        commitSha: 'd',
        conclusion: 'cancelled',
        finishedAt: '2026-03-13T00:00:00.000Z',
      }),
      run({
        runId: 'R6',
        commitSha: 'e',
        branch: 'feature',
        defaultBranch: false,
        conclusion: 'failure',
        finishedAt: '2026-03-14T00:00:00.000Z',
      }),
    ];
    const { value, observedAt } = summarizeCiRuns(runs, now);
    expect(value).toEqual({
      windowDays: 30,
      runs: 4,
      passed: 3,
      failed: 1,
      flaky: 2,
      passRate: 0.75,
      flakeRate: 0.5,
      newestRunAt: '2026-03-13T00:00:00.000Z',
      queueP50Ms: null,
      byFailureDomain: { test: 1 },
    });
    expect(observedAt).toBe('2026-03-13T00:00:00.000Z');
  });

  it.each<[string, CiRunInput[], object]>([
    [
      'runs finished more than 30 days ago leave the window',
      [
        run({ finishedAt: '2026-02-12T02:04:59.000Z' }),
        run({ finishedAt: '2026-02-12T02:05:00.000Z' }),
      ],
      { runs: 1, passed: 1 },
    ],
    [
      'timed_out counts as failed, skipped and neutral leave the denominator',
      [
        run({ conclusion: 'timed_out' }),
        run({ conclusion: 'skipped' }),
        run({ conclusion: 'neutral' }),
      ],
      { runs: 1, failed: 1, passRate: 0, byFailureDomain: { unclassified: 1 } },
    ],
    [
      'a run still in progress does not count',
      [
        run({
          status: 'in_progress',
          conclusion: undefined,
          finishedAt: undefined,
        }),
      ],
      { runs: 0, passRate: null, flakeRate: null, newestRunAt: null },
    ],
    [
      'the highest completed attempt decides the unit',
      [
        run({ runId: 'X', attempt: 1, conclusion: 'success' }),
        run({ runId: 'X', attempt: 2, conclusion: 'failure' }),
      ],
      { runs: 1, failed: 1, flaky: 0 },
    ],
    [
      'a pass after a failure on another commit is not flaky',
      [
        run({
          commitSha: 'a',
          conclusion: 'failure',
          finishedAt: '2026-03-10T00:00:00.000Z',
        }),
        run({ commitSha: 'b', finishedAt: '2026-03-11T00:00:00.000Z' }),
      ],
      { flaky: 0 },
    ],
    [
      'a failure after the pass does not make it flaky',
      [
        run({ commitSha: 'a', finishedAt: '2026-03-10T00:00:00.000Z' }),
        run({
          commitSha: 'a',
          conclusion: 'failure',
          finishedAt: '2026-03-11T00:00:00.000Z',
        }),
      ],
      { flaky: 0, passed: 1, failed: 1 },
    ],
    [
      'queue p50 is the lower median of queuedAt → startedAt',
      [
        run({
          queuedAt: '2026-03-10T00:00:00.000Z',
          startedAt: '2026-03-10T00:00:01.000Z',
        }),
        run({
          queuedAt: '2026-03-10T00:00:00.000Z',
          startedAt: '2026-03-10T00:00:03.000Z',
        }),
        run({
          queuedAt: '2026-03-10T00:00:00.000Z',
          startedAt: '2026-03-10T00:00:10.000Z',
        }),
        run({
          queuedAt: '2026-03-10T00:00:00.000Z',
          startedAt: '2026-03-10T00:00:20.000Z',
        }),
      ],
      { queueP50Ms: 3000 },
    ],
  ])('%s', (_name, runs, expected) => {
    expect(summarizeCiRuns(runs, now).value).toMatchObject(expected);
  });
});
