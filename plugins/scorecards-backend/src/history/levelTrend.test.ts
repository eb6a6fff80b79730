import type {
  LevelValue,
  Transition,
} from '@internal/plugin-scorecards-common';
import { levelTrendAsOf } from './levelTrend';

const T = '2026-03-14T02:05:00.000Z';

function levelRow(from: LevelValue | null, to: LevelValue, at: string) {
  return {
    entityRef: 'component:default/x',
    checkId: null,
    from,
    to,
    at,
    cause: 'evidence-changed',
    checkVersion: null,
    regression: false,
  } satisfies Transition;
}

const levelsOf = (points: { level: LevelValue }[]) =>
  new Set(points.map(p => p.level));

describe('levelTrendAsOf (§2.10)', () => {
  const rows = [levelRow('L1', 'L2', T)];
  const dayBefore = '2026-03-13T02:05:00.000Z';

  it('takes the level at a past `asOf` from the `from` of the next level row', () => {
    const trend = levelTrendAsOf(rows, 'L2', dayBefore, '2025-06-01T00:00:00Z');
    expect(trend).toHaveLength(90);
    expect(trend.at(-1)).toEqual({ date: '2026-03-13', level: 'L1' });
    expect(levelsOf(trend)).toEqual(new Set(['L1']));
  });

  it('gives no level before the first evaluation, whatever the next row says', () => {
    const trend = levelTrendAsOf(rows, 'L2', dayBefore, T);
    expect(levelsOf(trend)).toEqual(new Set(['not-rated']));
    const now = levelTrendAsOf(rows, 'L2', T, '2026-03-10T12:00:00Z');
    expect(now.slice(-6)).toEqual([
      { date: '2026-03-09', level: 'not-rated' },
      { date: '2026-03-10', level: 'L1' },
      { date: '2026-03-11', level: 'L1' },
      { date: '2026-03-12', level: 'L1' },
      { date: '2026-03-13', level: 'L1' },
      { date: '2026-03-14', level: 'L2' },
    ]);
  });

  it('reads a next level row with `from: null` as "not evaluated yet"', () => {
    const trend = levelTrendAsOf([levelRow(null, 'L2', T)], 'L2', dayBefore);
    expect(levelsOf(trend)).toEqual(new Set(['not-rated']));
  });
});
