import type { Transition } from '@internal/plugin-scorecards-common';
import type { LevelPoint } from '../api';
import {
  describeOutage,
  historyOutageDrops,
  outageDrops,
  outageSpans,
} from './outageSpans';

const days = (levels: LevelPoint['level'][]): LevelPoint[] =>
  levels.map((level, i) => ({
    date: `2026-11-${String(18 + i).padStart(2, '0')}`,
    level,
  }));

function levelRow(over: Partial<Transition>): Transition {
  return {
    entityRef: 'component:default/checkout-service',
    checkId: null,
    from: 'L2',
    to: 'L1',
    at: '2026-11-20T20:05:00.000Z',
    cause: 'source-outage',
    checkVersion: null,
    regression: false,
    ...over,
  };
}

describe('outageDrops', () => {
  it('keeps only level drops caused by a source outage, oldest first', () => {
    const later = levelRow({ at: '2026-11-22T01:00:00.000Z' });
    const drop = levelRow({});
    expect(
      outageDrops([
        later,
        levelRow({ cause: 'evidence-changed', regression: true }),
        levelRow({ checkId: 'alerts-routed', from: 'pass', to: 'unknown' }),
        // the level going back up after the outage is no drop
        levelRow({ from: 'L1', to: 'L2' }),
        // a first rating has nothing to drop from
        levelRow({ from: null }),
        drop,
      ]),
    ).toEqual([drop, later]);
  });
});

describe('historyOutageDrops', () => {
  // L3 → L1 by an outage, then L1 → L2 by another cause, both before the trend's first day.
  const drop = levelRow({ from: 'L3', to: 'L1', at: '2026-08-02T20:05:00Z' });
  const partial = levelRow({
    from: 'L1',
    to: 'L2',
    at: '2026-08-10T08:00:00Z',
    cause: 'evidence-changed',
  });
  const rise = levelRow({
    from: 'L2',
    to: 'L3',
    at: '2026-11-20T08:00:00Z',
    cause: 'evidence-changed',
  });

  it('hatches from the first day an outage a partial recovery before the trend did not undo', () => {
    const drops = historyOutageDrops({
      levelInEffect: partial,
      outageInEffect: drop,
      transitions: [rise],
    });
    expect(drops).toEqual([drop]);
    expect(outageSpans(days(['L2', 'L2', 'L3']), drops)).toEqual([
      { drop, start: 0, beganBefore: true, recoveredAt: 2 },
    ]);
  });

  it('adds the outage in effect to the drops of the range once (the simple case)', () => {
    const inRange = levelRow({ at: '2026-11-19T03:00:00Z' });
    expect(
      historyOutageDrops({
        levelInEffect: drop,
        outageInEffect: drop,
        transitions: [inRange],
      }),
    ).toEqual([drop, inRange]);
    expect(
      historyOutageDrops({
        levelInEffect: partial,
        outageInEffect: null,
        transitions: [rise],
      }),
    ).toEqual([]);
  });

  it('falls back to `levelInEffect` from a backend that does not answer `outageInEffect`', () => {
    expect(
      historyOutageDrops({ levelInEffect: drop, transitions: [rise] }),
    ).toEqual([drop]);
    expect(historyOutageDrops({ transitions: [rise] })).toEqual([]);
  });
});

describe('outageSpans', () => {
  it('runs from the drop to the first day back at the level before it', () => {
    const points = days(['L2', 'L2', 'L1', 'L0', 'L1', 'L2', 'L2']);
    const [span] = outageSpans(points, [levelRow({})]);
    expect(span).toMatchObject({ start: 2, recoveredAt: 5 });
    expect(describeOutage(span, points)).toBe(
      'dropped to L1 on 2026-11-20: source outage (recovered on 2026-11-23)',
    );
  });

  it('runs to today while the level is still lower', () => {
    const points = days(['L2', 'L2', 'L1', 'L1']);
    const [span] = outageSpans(points, [levelRow({})]);
    expect(span.recoveredAt).toBeUndefined();
    expect(describeOutage(span, points)).toBe(
      'dropped to L1 on 2026-11-20: source outage (still lower)',
    );
  });

  it('has no days to hatch when the level recovered the same day', () => {
    const points = days(['L2', 'L2', 'L2']);
    const [span] = outageSpans(points, [levelRow({})]);
    expect(span).toMatchObject({ start: 2, recoveredAt: 2 });
    expect(describeOutage(span, points)).toContain('recovered the same day');
  });

  it('starts at the first day for a drop before the trend that still holds the level lower', () => {
    const points = days(['L1', 'L0', 'L1', 'L2', 'L2']);
    const older = levelRow({ at: '2026-09-01T10:00:00.000Z' });
    const [span] = outageSpans(points, [older]);
    expect(span).toEqual({
      drop: older,
      start: 0,
      beganBefore: true,
      recoveredAt: 3,
    });
    expect(describeOutage(span, points)).toBe(
      'dropped to L1 on 2026-09-01, before the first day shown: source outage (recovered on 2026-11-21)',
    );
    const still = outageSpans(days(['L1', 'L1']), [older]);
    expect(still).toEqual([{ drop: older, start: 0, beganBefore: true }]);
    expect(describeOutage(still[0], days(['L1', 'L1']))).toBe(
      'dropped to L1 on 2026-09-01, before the first day shown: source outage (still lower)',
    );
  });

  it('ends at a not-rated day and leaves out a drop outside the trend', () => {
    const points = days(['L2', 'L2', 'L1', 'not-rated', 'L1']);
    expect(
      outageSpans(points, [
        levelRow({}),
        // before the trend, but the level is back on its first day: nothing of it is shown
        levelRow({ at: '2026-10-01T00:00:00.000Z' }),
        // after the trend's last day
        levelRow({ at: '2026-11-23T00:00:00.000Z' }),
      ]),
    ).toEqual([expect.objectContaining({ start: 2, recoveredAt: 3 })]);
    // before a trend that starts not-rated: no level there, so not lower for the outage
    expect(
      outageSpans(days(['not-rated', 'L1']), [
        levelRow({ at: '2026-10-01T00:00:00.000Z' }),
      ]),
    ).toEqual([]);
  });
});
