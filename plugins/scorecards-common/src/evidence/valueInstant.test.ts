import { collectTimeLimit } from '../engine/timeLimits';
import { readValueInstant } from './valueInstant';

const SKEW = 5 * 60_000;
const at = (iso: string) => Date.parse(iso);

describe('readValueInstant', () => {
  it('takes a date alone once it has begun in the zone furthest ahead (UTC+14), as age 0', () => {
    // 2026-03-15 begins at 2026-03-14T10:00Z in UTC+14
    expect(
      readValueInstant('2026-03-15', at('2026-03-14T12:00:00Z'), SKEW),
    ).toEqual({ ms: at('2026-03-14T12:00:00Z'), problem: null });
    expect(
      readValueInstant('2026-03-15', at('2026-03-14T09:00:00Z'), SKEW).problem,
    ).toBe('lies in the future (got "2026-03-15")');
  });

  it('notes when a value in the future comes within reach, so a reused evaluation is redone then', () => {
    const limited = collectTimeLimit(() =>
      readValueInstant('2026-03-15', at('2026-03-14T09:00:00Z'), SKEW),
    );
    expect(limited.value.problem).toMatch(/lies in the future/);
    expect(limited.untilMs).toBe(at('2026-03-14T09:55:00Z'));
  });

  it('allows an instant the clock skew ahead, and no more', () => {
    const now = at('2026-03-14T02:05:00Z');
    expect(
      readValueInstant('2026-03-14T02:10:00Z', now, SKEW).problem,
    ).toBeNull();
    expect(readValueInstant('2026-03-14T02:10:01Z', now, SKEW).problem).toBe(
      'lies in the future (got "2026-03-14T02:10:01Z")',
    );
  });

  it('names what is wrong with a text that does not read the same everywhere', () => {
    const now = at('2026-03-14T02:05:00Z');
    expect(readValueInstant('2026-03-01T00:00:00', now, SKEW).problem).toMatch(
      /has no time zone/,
    );
    expect(readValueInstant('12/14/2025', now, SKEW).problem).toMatch(
      /must be an ISO-8601 date/,
    );
    expect(readValueInstant(42, now, SKEW).problem).toBe('is not a date');
  });
});
