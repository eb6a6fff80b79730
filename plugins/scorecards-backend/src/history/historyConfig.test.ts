import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { readHistoryConfig } from './historyConfig';

const read = (history?: JsonObject) =>
  readHistoryConfig(
    new ConfigReader({ scorecards: history ? { history } : {} }),
  );

describe('readHistoryConfig', () => {
  it('defaults to 730 days kept, 10 minutes of settling and 14 days of a departed entity', () => {
    expect(read()).toEqual({
      retainDays: 730,
      settleMs: 600_000,
      departedGraceMs: 14 * 86400_000,
    });
  });

  it.each([
    [
      { settleMinutes: 0 },
      { retainDays: 730, settleMs: 0, departedGraceMs: 14 * 86400_000 },
    ],
    [
      { settleMinutes: 2.5 },
      { retainDays: 730, settleMs: 150_000, departedGraceMs: 14 * 86400_000 },
    ],
    [
      { retainDays: 90 },
      { retainDays: 90, settleMs: 600_000, departedGraceMs: 14 * 86400_000 },
    ],
    [
      { departedGraceDays: 0 },
      { retainDays: 730, settleMs: 600_000, departedGraceMs: 0 },
    ],
  ])('reads %j', (history, expected) => {
    expect(read(history)).toEqual(expected);
  });

  it.each([
    [
      { settleMinutes: -1 },
      /settleMinutes must be a number of minutes, at least 0 \(got -1\)/,
    ],
    [{ settleMinutes: 'soon' }, /settleMinutes/],
    [
      { departedGraceDays: -1 },
      /departedGraceDays must be a number of days, at least 0 \(got -1\)/,
    ],
    [
      { retainDays: 0 },
      /retainDays must be a whole number of days, at least 1 \(got 0\)/,
    ],
  ])('refuses %j, naming the key', (history, message) => {
    expect(() => read(history)).toThrow(message);
  });
});
