import { applyFactClock } from './factClock';
import { clampToReceipt } from './clampToReceipt';

const collectedAt = '2026-03-14T02:05:00.000Z';
const week = 604800;

describe('fact clock (§3.8, EV12, SR25)', () => {
  it.each<[string, string, number, object]>([
    [
      '6 min ahead is stored at collectedAt and SKEWED',
      '2026-03-14T02:11:00Z',
      week,
      {
        ok: true,
        observedAt: collectedAt,
        flags: ['SKEWED'],
        expiresAt: '2026-03-21T02:05:00.000Z',
      },
    ],
    [
      'exactly 5 min ahead is kept',
      '2026-03-14T02:10:00Z',
      week,
      { ok: true, observedAt: '2026-03-14T02:10:00.000Z', flags: [] },
    ],
    [
      'past its window at receipt is STALE_ON_ARRIVAL',
      '2026-03-01T00:00:00Z',
      3600,
      {
        ok: true,
        flags: ['STALE_ON_ARRIVAL'],
        expiresAt: '2026-03-01T01:00:00.000Z',
      },
    ],
    [
      'exactly at the end of its window is not stale',
      '2026-03-14T01:05:00Z',
      3600,
      { ok: true, flags: [] },
    ],
    [
      'older than 400 days is refused',
      '2025-02-06T02:04:59Z',
      week,
      { ok: false, reason: 'older-than-history' },
    ],
    [
      'exactly 400 days old is accepted',
      '2025-02-07T02:05:00Z',
      week,
      { ok: true, flags: ['STALE_ON_ARRIVAL'] },
    ],
  ])('%s', (_name, observedAt, freshForSeconds, expected) => {
    expect(
      applyFactClock({ observedAt, collectedAt, freshForSeconds }),
    ).toMatchObject(expected);
  });
});

describe('edge and CI-run timestamps (§3.8)', () => {
  it.each<[string, string, { value: string; skewed: boolean }]>([
    [
      'beyond maxSkew is clamped',
      '2026-03-14T02:10:00.001Z',
      { value: collectedAt, skewed: true },
    ],
    [
      'within maxSkew is kept',
      '2026-03-14T02:10:00Z',
      { value: '2026-03-14T02:10:00.000Z', skewed: false },
    ],
    [
      'the past is kept',
      '2026-03-13T00:00:00Z',
      { value: '2026-03-13T00:00:00.000Z', skewed: false },
    ],
  ])('%s', (_name, at, expected) => {
    expect(clampToReceipt(at, collectedAt)).toEqual(expected);
  });
});
