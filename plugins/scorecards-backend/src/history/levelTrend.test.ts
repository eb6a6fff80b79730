import type {
  LevelValue,
  Transition,
} from '@internal/plugin-scorecards-common';
import { levelTrendAsOf, outageDropInEffect } from './levelTrend';

const T = '2026-03-14T02:05:00.000Z';

function levelRow(
  from: LevelValue | null,
  to: LevelValue,
  at: string,
  cause: Transition['cause'] = 'evidence-changed',
) {
  return {
    entityRef: 'component:default/x',
    checkId: null,
    from,
    to,
    at,
    cause,
    checkVersion: null,
    regression: false,
  } satisfies Transition;
}

const levelsOf = (points: { level: LevelValue }[]) =>
  new Set(points.map(p => p.level));

describe('levelTrendAsOf (§2.10)', () => {
  const rows = [levelRow('L1', 'L2', T)];
  const dayBefore = '2026-03-13T02:05:00.000Z';

  it('the rows of the 90 days alone give the trend all rows give (what the entity route reads)', () => {
    const ago = (days: number) =>
      new Date(Date.parse(T) - days * 86400_000).toISOString();
    const all = [
      levelRow(null, 'L0', ago(700)),
      levelRow('L0', 'L1', ago(699)),
      levelRow('L1', 'L2', ago(200)),
      levelRow('L2', 'L1', ago(30)),
    ];
    const inWindow = all.filter(t => Date.parse(t.at) >= Date.parse(ago(91)));
    const whole = levelTrendAsOf(all, 'L1', T, ago(700));
    expect(levelTrendAsOf(inWindow, 'L1', T, ago(700))).toEqual(whole);
    expect(whole.slice(0, 59).map(p => p.level)).toEqual(Array(59).fill('L2'));
    expect(levelsOf(whole.slice(61))).toEqual(new Set(['L1']));
  });

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

describe('outageDropInEffect', () => {
  const day = (d: number) =>
    `2026-01-${String(d).padStart(2, '0')}T00:00:00.000Z`;
  const from = day(20);

  it('is the last row when it is an outage drop (the simple case)', () => {
    const drop = levelRow('L3', 'L1', day(5), 'source-outage');
    expect(outageDropInEffect([drop], from)).toBe(drop);
  });

  it('is an outage drop that a partial recovery of another cause did not undo', () => {
    const drop = levelRow('L3', 'L1', day(5), 'source-outage');
    const partial = levelRow('L1', 'L2', day(8));
    expect(outageDropInEffect([drop, partial], from)).toBe(drop);
  });

  it('is null once a later row before `from` reaches the level before the drop', () => {
    const rows = [
      levelRow('L3', 'L1', day(5), 'source-outage'),
      levelRow('L1', 'L2', day(8)),
      levelRow('L2', 'L3', day(10)),
      levelRow('L3', 'L2', day(12)),
    ];
    expect(outageDropInEffect(rows, from)).toBeNull();
  });

  it('skips a recovered later drop and finds the earlier one still in effect', () => {
    const first = levelRow('L3', 'L2', day(3), 'source-outage');
    const rows = [
      first,
      levelRow('L2', 'L1', day(5), 'source-outage'),
      levelRow('L1', 'L2', day(8)),
    ];
    expect(outageDropInEffect(rows, from)).toBe(first);
  });

  it('ignores rows at or after `from`, check rows, other causes and rises', () => {
    const rows: Transition[] = [
      levelRow('L3', 'L1', day(5)),
      levelRow('L1', 'L2', day(6), 'source-outage'),
      { ...levelRow('L2', 'L1', day(7), 'source-outage'), checkId: 'c' },
      levelRow('L2', 'L0', day(20), 'source-outage'),
    ];
    expect(outageDropInEffect(rows, from)).toBeNull();
  });

  it('ends at a later not-rated row: without a level the entity is not lower', () => {
    const rows = [
      levelRow('L3', 'L1', day(5), 'source-outage'),
      levelRow('L1', 'not-rated', day(8)),
      levelRow('not-rated', 'L0', day(10)),
    ];
    expect(outageDropInEffect(rows, from)).toBeNull();
  });
});
