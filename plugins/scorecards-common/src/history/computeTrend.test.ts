import { LevelValue } from '../model/levels';
import { T, before } from '../__fixtures__/time';
import { Transition } from './computeTransitions';
import { computeTrend } from './computeTrend';

/** A level row (`checkId` null) of entity x. */
function levelRow(from: LevelValue | null, to: LevelValue, at: string) {
  return {
    entityRef: 'x',
    checkId: null,
    from,
    to,
    at,
    cause: 'evidence-changed',
    checkVersion: null,
    regression: false,
  } satisfies Transition;
}

/** The trend as runs "level×days", oldest first, e.g. `['not-rated×89', 'L2×1']`. */
function runs(points: readonly { level: LevelValue }[]): string[] {
  const out: { level: LevelValue; n: number }[] = [];
  for (const p of points) {
    const last = out[out.length - 1];
    if (last?.level === p.level) last.n++;
    else out.push({ level: p.level, n: 1 });
  }
  return out.map(r => `${r.level}×${r.n}`);
}

describe('computeTrend: days before the first evaluation (§2.10)', () => {
  // T is 2026-03-14T02:05Z; the last point is 2026-03-14.
  it.each<{
    name: string;
    rows: Transition[];
    firstEvaluatedAt?: string;
    expected: string[];
  }>([
    {
      name: 'first evaluated today, no level row since',
      rows: [],
      firstEvaluatedAt: before({ h: 1 }),
      expected: ['not-rated×89', 'L2×1'],
    },
    {
      name: 'first evaluated 10 days ago, no level row since',
      rows: [],
      firstEvaluatedAt: before({ d: 10 }),
      expected: ['not-rated×79', 'L2×11'],
    },
    {
      name: 'first evaluated 10 days ago, level changed 3 days ago',
      rows: [levelRow('L1', 'L2', before({ d: 3 }))],
      firstEvaluatedAt: before({ d: 10 }),
      expected: ['not-rated×79', 'L1×7', 'L2×4'],
    },
    {
      name: 'a first level row with `from: null` is the first evaluation',
      rows: [
        levelRow(null, 'L1', before({ d: 10 })),
        levelRow('L1', 'L2', before({ d: 3 })),
      ],
      expected: ['not-rated×79', 'L1×7', 'L2×4'],
    },
    {
      name: 'first evaluated at 00:00 exactly: that day already has the level',
      rows: [],
      firstEvaluatedAt: '2026-03-13T00:00:00.000Z',
      expected: ['not-rated×88', 'L2×2'],
    },
    {
      name: 'truncated history: the earliest kept row has a `from`, which was known then',
      rows: [levelRow('L1', 'L2', before({ d: 3 }))],
      expected: ['L1×86', 'L2×4'],
    },
    {
      name: 'first evaluated before the window: as truncated history',
      rows: [levelRow('L1', 'L2', before({ d: 3 }))],
      firstEvaluatedAt: before({ d: 400 }),
      expected: ['L1×86', 'L2×4'],
    },
    {
      name: 'no rows and no first evaluation known: the current level',
      rows: [],
      expected: ['L2×90'],
    },
    {
      name: 'a level row older than the given first evaluation still counts',
      rows: [levelRow('L1', 'L2', before({ d: 3 }))],
      firstEvaluatedAt: before({ h: 1 }),
      expected: ['not-rated×86', 'L2×4'],
    },
  ])('$name', ({ rows, firstEvaluatedAt, expected }) => {
    const trend = computeTrend(rows, 'L2', T, { firstEvaluatedAt });
    expect(trend).toHaveLength(90);
    expect(trend[89].date).toBe('2026-03-14');
    expect(runs(trend)).toEqual(expected);
  });

  it('gives the day of the first evaluation the level at its end', () => {
    const trend = computeTrend(
      [levelRow('none', 'L0', '2026-03-12T18:00:00Z')],
      'L0',
      T,
      { days: 4, firstEvaluatedAt: '2026-03-12T09:00:00Z' },
    );
    expect(trend).toEqual([
      { date: '2026-03-11', level: 'not-rated' },
      { date: '2026-03-12', level: 'L0' },
      { date: '2026-03-13', level: 'L0' },
      { date: '2026-03-14', level: 'L0' },
    ]);
  });
});
