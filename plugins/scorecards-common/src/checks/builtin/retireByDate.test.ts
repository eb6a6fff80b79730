import { retireByMs } from './retireByDate';

describe('retireByMs', () => {
  const zones = ['UTC', 'America/Los_Angeles', 'Asia/Tokyo'];
  const saved = process.env.TZ;
  afterEach(() => {
    process.env.TZ = saved;
  });

  // The same annotation must retire an entity at the same instant on every server, as a
  // standard's dates do: a date is UTC midnight, a date-time names its zone.
  it.each([
    ['a date (UTC midnight)', '2026-09-30', Date.UTC(2026, 8, 30)],
    ['a date-time in UTC', '2026-09-30T12:00:00Z', Date.UTC(2026, 8, 30, 12)],
    [
      'a date-time with an offset',
      '2026-09-30T14:00+02:00',
      Date.UTC(2026, 8, 30, 12),
    ],
    ['a date-time without a zone', '2026-09-30T12:00', Number.NaN],
    [
      'a date-time without a zone, with seconds',
      '2026-09-30 12:00:00',
      Number.NaN,
    ],
    ['a day that does not exist', '2026-02-31', Number.NaN],
    ['free text', 'March 1, 2026', Number.NaN],
    ['a date followed by text', '2026-09-30 or later', Number.NaN],
    ['nothing', undefined, Number.NaN],
  ])('%s (%s) reads the same in every zone', (_label, value, ms) => {
    for (const zone of zones) {
      process.env.TZ = zone;
      expect([zone, retireByMs(value)]).toEqual([zone, ms]);
    }
  });
});
