import {
  formatAge,
  formatClock,
  formatClockAt,
  formatRelative,
  formatShiftEnd,
} from './formatTimes';

describe('§6.3 times: the clock and the time relative to T agree', () => {
  // the reader subtracts the clocks shown: 02:05Z − 01:39Z is 26 minutes, whatever the seconds
  it.each([
    ['2026-03-14T01:39:50Z', '2026-03-14T02:05:00Z', '01:39Z', '−26 m'],
    ['2026-03-14T01:40:10Z', '2026-03-14T02:05:50Z', '01:40Z', '−25 m'],
    ['2026-03-14T01:40:00Z', '2026-03-14T02:05:00Z', '01:40Z', '−25 m'],
    ['2026-03-14T02:04:59.999Z', '2026-03-14T02:05:00Z', '02:04Z', '−1 m'],
    ['2026-03-14T02:05:59Z', '2026-03-14T02:05:00Z', '02:05Z', '+0 m'],
    ['2026-03-13T16:25:30Z', '2026-03-14T02:05:10Z', '16:25Z', '−9 h 40 m'],
    ['2026-03-11T02:04:59Z', '2026-03-14T02:05:00Z', '02:04Z', '−3 d'],
    ['2026-03-14T02:06:30Z', '2026-03-14T02:05:59Z', '02:06Z', '+1 m'],
  ])('%s at T = %s → %s (%s)', (iso, t, clock, relative) => {
    expect(formatClock(iso)).toBe(clock);
    expect(formatRelative(iso, t)).toBe(relative);
  });

  it('for every second of an hour, relative minutes = clock(T) − clock(time)', () => {
    const t = Date.parse('2026-03-14T02:05:37Z');
    const minuteOf = (ms: number) => {
      const [h, m] = formatClock(new Date(ms).toISOString())
        .slice(0, 5)
        .split(':')
        .map(Number);
      return h * 60 + m;
    };
    for (let s = 0; s < 3600; s++) {
      const ms = t - s * 1000;
      const expected = minuteOf(t) - minuteOf(ms);
      expect(
        formatRelative(new Date(ms).toISOString(), new Date(t).toISOString()),
      ).toBe(`${expected > 0 ? '−' : '+'}${expected} m`);
    }
  });
});

describe('formatAge: how long ago, in the units of formatRelative', () => {
  it.each([
    ['2026-03-14T02:00:00Z', '2026-03-14T02:05:00Z', '5 m ago'],
    ['2026-03-13T00:05:00Z', '2026-03-14T02:05:00Z', '26 h ago'],
    ['2026-03-13T16:25:00Z', '2026-03-14T02:05:00Z', '9 h 40 m ago'],
    ['2026-03-10T02:05:00Z', '2026-03-14T02:05:00Z', '4 d ago'],
  ])('%s at %s → %s', (iso, now, expected) => {
    expect(formatAge(iso, now)).toBe(expected);
  });
});

describe('formatClockAt: a bare clock only earlier on T’s UTC day', () => {
  it.each([
    ['2026-03-14T02:04:00Z', '2026-03-14T02:05:00Z', false, '02:04Z'],
    ['2026-03-14T00:00:00Z', '2026-03-14T02:05:00Z', false, '00:00Z'],
    ['2026-03-14T02:05:59Z', '2026-03-14T02:05:00Z', false, '02:05Z'],
    [
      '2026-03-13T23:59:00Z',
      '2026-03-14T02:05:00Z',
      false,
      '23:59Z (−2 h 6 m)',
    ],
    ['2026-03-11T09:23:00Z', '2026-03-14T02:05:00Z', false, '09:23Z (−2 d)'],
    ['2026-03-11T09:23:00Z', '2026-03-14T02:05:00Z', true, '09:23Z, −2 d'],
    ['2026-03-14T02:06:00Z', '2026-03-14T02:05:00Z', false, '02:06Z (+1 m)'],
    // T with a zone other than UTC: the day is T's UTC day
    ['2026-03-13T23:00:00Z', '2026-03-14T00:05:00+01:00', false, '23:00Z'],
    [
      '2026-03-13T23:30:00Z',
      '2026-03-14T00:05:00+01:00',
      false,
      '23:30Z (+25 m)',
    ],
  ])('%s at T = %s (in parentheses: %s) → %s', (iso, t, inner, expected) => {
    expect(formatClockAt(iso, t, inner)).toBe(expected);
  });
});

describe('§6.3 the end of an on-call shift: a weekday only where it names one day', () => {
  it.each([
    // §6.3: T Saturday 02:05Z, the weekly hand-off Monday 09:00Z
    ['2026-03-16T09:00:00Z', '2026-03-14T02:05:00Z', 'Mon 09:00Z'],
    ['2026-12-07T23:50:00Z', '2026-12-07T23:33:00Z', 'Mon 23:50Z'],
    ['2026-12-07T23:33:59Z', '2026-12-07T23:33:00Z', 'Mon 23:33Z'],
    ['2026-12-13T23:32:00Z', '2026-12-07T23:33:00Z', 'Sun 23:32Z'],
    // 6 days on: the next weekdays are T's own again
    ['2026-12-13T23:33:00Z', '2026-12-07T23:33:00Z', '2026-12-13T23:33Z'],
    ['2026-12-14T09:00:00Z', '2026-12-07T23:33:00Z', '2026-12-14T09:00Z'],
    ['2026-12-14T09:00:00Z', '2026-12-07T08:00:00Z', '2026-12-14T09:00Z'],
    // ended before T (a stale answer): never "the coming Monday"
    ['2026-12-07T09:00:00Z', '2026-12-07T23:33:00Z', '2026-12-07T09:00Z'],
    ['2026-12-07T23:32:59Z', '2026-12-07T23:33:00Z', '2026-12-07T23:32Z'],
  ])('ends %s, T = %s → %s', (until, t, expected) => {
    expect(formatShiftEnd(until, t)).toBe(expected);
  });

  it.each(['', 'next monday', 'undefined'])(
    'an end that is no time (%j) reads as unknown instead of throwing',
    until => {
      expect(formatShiftEnd(until, '2026-12-07T23:33:00Z')).toBe('unknown');
    },
  );
});
