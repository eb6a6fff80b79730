import { checkSchedule } from './rules/workerRules';
import { parseCron, smallestGapMinutes } from './cron';

const outcome = (cron: string) =>
  checkSchedule(cron)
    .filter(r => r.outcome === 'deny')
    .map(r => r.message);

describe('cron unit vectors (§10, GP-W01/W02)', () => {
  it('*/5 * * * * passes W02', () => {
    expect(outcome('*/5 * * * *')).toEqual([]);
  });

  it('*/4 * * * * fails W02', () => {
    expect(outcome('*/4 * * * *')).toEqual([
      'GP-W02: Schedule "*/4 * * * *" runs every 4 minutes; the minimum interval is 5 minutes. Use a queue trigger for near-real-time work.',
    ]);
  });

  it('0,3 * * * * fails W02 with the 3-minute gap', () => {
    expect(outcome('0,3 * * * *')).toEqual([
      'GP-W02: Schedule "0,3 * * * *" runs every 3 minutes; the minimum interval is 5 minutes. Use a queue trigger for near-real-time work.',
    ]);
  });

  it.each([
    '* * * *',
    '60 * * * *',
    'a b c d e',
    '*/0 * * * *',
    '5-1 * * * *',
    '0 *\n* * *',
    '0\t* * * *',
  ])('%s is not valid cron (W01)', cron => {
    expect(outcome(cron)).toEqual([
      `GP-W01: Schedule "${cron}" is not a valid 5-field cron expression (minute hour day month weekday, UTC).`,
    ]);
  });

  it.each(['0 3 * * 7', '0 3 * * 5-7', '0 3 * * 0-7', '0 3 * * 1,7'])(
    '%s is refused: the Kubernetes CronJob knows weekdays 0-6 only (W01)',
    cron => {
      expect(outcome(cron)).toEqual([
        `GP-W01: Schedule "${cron}" is not a valid 5-field cron expression (minute hour day month weekday, UTC). Weekday 7 is not accepted by the Kubernetes CronJob that runs the worker; use 0 for Sunday.`,
      ]);
    },
  );

  it.each(['0 3 * * 0', '0 3 * * 5-6,0', '0 3 * * SUN', '0 3 * * 0-6'])(
    '%s names Sunday as 0 and passes',
    cron => {
      expect(outcome(cron)).toEqual([]);
    },
  );

  it.each([
    ['0 0 30 2 *', 'February has no day 30'],
    ['0 0 30,31 2 *', 'February has no day 30 or 31'],
    ['0 0 31 2,4,JUN *', 'February, April, June have no day 31'],
    // `*/1` is any weekday to cron too
    ['0 0 30 2 */1', 'February has no day 30'],
  ])('%s is refused: it can never run (W01)', (cron, why) => {
    expect(outcome(cron)).toEqual([
      `GP-W01: Schedule "${cron}" is not a valid 5-field cron expression (minute hour day month weekday, UTC). It would never run: ${why}.`,
    ]);
  });

  it.each([
    '0 0 29 2 *', // leap years
    '0 0 30,31 1-2 *',
    '0 0 30 2 MON', // a restricted weekday fires it too (classic cron: day or weekday)
  ])('%s runs at least once in four years and passes', cron => {
    expect(outcome(cron)).toEqual([]);
  });

  it('counts the gap across midnight only when consecutive days both run', () => {
    expect(smallestGapMinutes(parseCron('58 23 * * *')!)).toBe(1440);
    expect(smallestGapMinutes(parseCron('2,58 0,23 * * *')!)).toBe(4);
    // Only on the 1st of the month: 23:58 and 00:02 never fall on consecutive days.
    expect(smallestGapMinutes(parseCron('2,58 0,23 1 * *')!)).toBe(56);
    expect(smallestGapMinutes(parseCron('0 9 * * MON-FRI')!)).toBe(1440);
  });
});
