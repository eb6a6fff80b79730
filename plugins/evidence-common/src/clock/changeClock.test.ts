import { applyChangeClock } from './changeClock';

const received = '2026-03-14T02:05:00.000Z';

describe('change clock (§3.8, EV11, IB R9)', () => {
  it.each<
    [
      string,
      { startedAt: string; finishedAt?: string },
      string,
      string[],
      string | undefined,
    ]
  >([
    [
      '10 min ahead is skewed and read at receipt',
      { startedAt: '2026-03-14T02:15:00Z' },
      received,
      ['SKEWED'],
      undefined,
    ],
    [
      '4 min ahead is kept unflagged',
      { startedAt: '2026-03-14T02:09:00Z' },
      '2026-03-14T02:09:00.000Z',
      [],
      undefined,
    ],
    [
      'exactly maxSkew ahead is kept',
      { startedAt: '2026-03-14T02:10:00Z' },
      '2026-03-14T02:10:00.000Z',
      [],
      undefined,
    ],
    [
      '1 ms beyond maxSkew is skewed',
      { startedAt: '2026-03-14T02:10:00.001Z' },
      received,
      ['SKEWED'],
      undefined,
    ],
    [
      'a future finish is skewed and read at receipt',
      { startedAt: '2026-03-14T02:00:00Z', finishedAt: '2026-03-14T03:00:00Z' },
      '2026-03-14T02:00:00.000Z',
      ['SKEWED'],
      received,
    ],
    [
      'received 3 days after finishing is LATE, still effective at its start',
      { startedAt: '2026-03-11T01:00:00Z', finishedAt: '2026-03-11T02:00:00Z' },
      '2026-03-11T01:00:00.000Z',
      ['LATE'],
      '2026-03-11T02:00:00.000Z',
    ],
    [
      'exactly 24 h after the start is not late',
      { startedAt: '2026-03-13T02:05:00Z' },
      '2026-03-13T02:05:00.000Z',
      [],
      undefined,
    ],
    [
      '24 h + 1 ms after an unfinished start is late',
      { startedAt: '2026-03-13T02:04:59.999Z' },
      '2026-03-13T02:04:59.999Z',
      ['LATE'],
      undefined,
    ],
  ])('%s', (_name, times, effectiveAt, flags, finishedAt) => {
    const clock = applyChangeClock({ ...times, receivedAt: received });
    expect(clock.effectiveAt).toBe(effectiveAt);
    expect(clock.flags).toEqual(flags);
    expect(clock.finishedAt).toBe(finishedAt);
  });

  it('honours a configured maxSkew', () => {
    expect(
      applyChangeClock({
        startedAt: '2026-03-14T02:09:00Z',
        receivedAt: received,
        maxSkewSeconds: 60,
      }).flags,
    ).toEqual(['SKEWED']);
  });
});
