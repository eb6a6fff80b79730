import { isIsoInstant, parseInstant } from './parseInstant';

describe('parseInstant', () => {
  it.each([
    ['2026-03-14T02:05:00Z', Date.UTC(2026, 2, 14, 2, 5)],
    ['2026-03-14T03:05:00+01:00', Date.UTC(2026, 2, 14, 2, 5)],
    ['9999-12-31T23:59:59.999Z', 253402300799999],
    ['0000-01-01T00:00:00Z', -62167219200000],
  ])('reads %s', (raw, ms) => {
    expect(isIsoInstant(raw)).toBe(true);
    expect(parseInstant('now', raw)).toBe(ms);
  });

  it.each([
    'March 14, 2026',
    '2026-03-14T02:05:00', // no zone: the reader's own
    '2026-02-30T00:00:00Z', // no such day
    // the years toISOString writes with more than four digits, which sort wrongly as text
    '9999-12-31T23:59:59-05:00',
    '0000-01-01T00:30:00+01:00',
  ])('refuses %s with a 400 naming the field', raw => {
    expect(isIsoInstant(raw)).toBe(false);
    expect(() => parseInstant('at', raw)).toThrow(
      `at must be an ISO-8601 timestamp with a zone on a day that exists, like 2026-03-14T02:05:00Z (got ${JSON.stringify(
        raw,
      )})`,
    );
  });
});
