import { addMonths, daysBetween, isIsoDate, wholeMonthsBetween } from './dates';

describe('dates', () => {
  it.each([
    ['2026-03-18', '2026-11-23', 250],
    ['2024-06-10', '2026-11-23', 896],
    ['2026-09-01', '2026-11-23', 83],
  ])('%s → %s is %i days', (a, b, d) => expect(daysBetween(a, b)).toBe(d));

  it('adds months with end-of-month clamping and counts whole months', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(wholeMonthsBetween('2026-11-23', '2028-05-23')).toBe(18);
    expect(wholeMonthsBetween('2026-11-23', '2028-05-22')).toBe(17);
    expect(wholeMonthsBetween('2026-11-23', '2026-01-01')).toBe(0);
  });

  it('rejects impossible dates', () => {
    expect(isIsoDate('2026-02-30')).toBe(false);
    expect(isIsoDate('2026-02-28')).toBe(true);
  });
});
