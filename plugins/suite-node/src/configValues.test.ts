import { ConfigReader } from '@backstage/config';
import {
  readConfigDuration,
  readConfigDurationMs,
  readConfigNumber,
} from './configValues';

const config = (data: object) => new ConfigReader(data);

describe('readConfigNumber', () => {
  it('answers the fallback when the key is absent and the value when it is in range', () => {
    expect(readConfigNumber(config({}), 'a.b', 7, { above: 0 })).toBe(7);
    expect(
      readConfigNumber(config({ a: { b: 5000 } }), 'a.b', 7, {
        integer: true,
        min: 1,
        max: 5000,
      }),
    ).toBe(5000);
    expect(
      readConfigNumber(config({ a: { b: 0 } }), 'a.b', 7, { min: 0 }),
    ).toBe(0);
  });

  it.each([
    [{ above: 0 }, 0, 'a.b must be a number above 0 (got 0)'],
    [{ above: 0 }, -3, 'a.b must be a number above 0 (got -3)'],
    [
      { integer: true, above: 0 },
      0.5,
      'a.b must be a whole number above 0 (got 0.5)',
    ],
    [
      { integer: true, min: 0, max: 10 },
      12,
      'a.b must be a whole number from 0 to 10 (got 12)',
    ],
    [
      { integer: true, min: 0 },
      -1,
      'a.b must be a whole number of at least 0 (got -1)',
    ],
    [{ max: 5 }, 6, 'a.b must be a number of at most 5 (got 6)'],
  ])(
    'refuses %j for %p with a message naming the key',
    (range, value, message) => {
      expect(() =>
        readConfigNumber(config({ a: { b: value } }), 'a.b', 1, range),
      ).toThrow(message);
    },
  );

  it('refuses a value that is not a number, naming the key', () => {
    expect(() =>
      readConfigNumber(config({ a: { b: 'many' } }), 'a.b', 1, { min: 0 }),
    ).toThrow(/a\.b/);
  });
});

describe('readConfigDuration', () => {
  it('answers the fallback when absent and reads every form Backstage takes', () => {
    expect(readConfigDuration(config({}), 'x.every', { minutes: 1 })).toEqual({
      minutes: 1,
    });
    expect(
      readConfigDurationMs(config({ x: { every: '5m' } }), 'x.every', 1),
    ).toBe(300_000);
    expect(
      readConfigDurationMs(config({ x: { every: 'PT2S' } }), 'x.every', 1),
    ).toBe(2_000);
    expect(
      readConfigDurationMs(
        config({ x: { every: { hours: 1, minutes: 30 } } }),
        'x.every',
        1,
      ),
    ).toBe(5_400_000);
    expect(readConfigDurationMs(config({}), 'x.every', 42)).toBe(42);
  });

  it.each([
    ['0s'],
    [{ seconds: 0 }],
    [{ seconds: -5 }],
    [{ hours: 1, minutes: -90 }],
  ])('refuses %j, naming the key', value => {
    expect(() =>
      readConfigDuration(config({ x: { every: value } }), 'x.every', {
        minutes: 1,
      }),
    ).toThrow(/^x\.every must be a positive duration/);
  });

  it('takes zero where zero is a setting, never a negative part', () => {
    expect(
      readConfigDurationMs(config({ x: { grace: '0s' } }), 'x.grace', 1, {
        allowZero: true,
      }),
    ).toBe(0);
    expect(() =>
      readConfigDurationMs(
        config({ x: { grace: { seconds: -1 } } }),
        'x.grace',
        1,
        {
          allowZero: true,
        },
      ),
    ).toThrow(/^x\.grace must be a non-negative duration/);
  });
});
