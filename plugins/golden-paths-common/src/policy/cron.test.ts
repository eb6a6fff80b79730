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

  it('counts the gap across midnight only when consecutive days both run', () => {
    expect(smallestGapMinutes(parseCron('58 23 * * *')!)).toBe(1440);
    expect(smallestGapMinutes(parseCron('2,58 0,23 * * *')!)).toBe(4);
    // Only on the 1st of the month: 23:58 and 00:02 never fall on consecutive days.
    expect(smallestGapMinutes(parseCron('2,58 0,23 1 * *')!)).toBe(56);
    expect(smallestGapMinutes(parseCron('0 9 * * MON-FRI')!)).toBe(1440);
  });
});
