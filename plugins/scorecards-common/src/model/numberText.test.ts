import { fixed4Text, numberText } from './numberText';

describe('numberText and fixed4Text', () => {
  const values = [
    0,
    -0,
    1,
    -7,
    2 ** 31,
    -(2 ** 31) - 1,
    0.1,
    1 / 3,
    20 / 21,
    1480.8000000000002,
    1234.56789,
    -0.00004,
    0.00005,
    1e21,
    1.5e-7,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
  ];

  it('writes what String and toFixed write, the first time and when remembered', () => {
    for (let round = 0; round < 2; round++) {
      for (const n of values) {
        expect(numberText(n)).toBe(String(n));
        expect(fixed4Text(n)).toBe(String(+n.toFixed(4)));
      }
    }
  });

  it('stays exact past the number of remembered texts', () => {
    // More distinct values than the maps keep, then the first ones again.
    for (let i = 0; i < 20_000; i++) {
      const n = i / 7 + 0.5;
      expect(numberText(n)).toBe(String(n));
      expect(fixed4Text(n * 1.2)).toBe(String(+(n * 1.2).toFixed(4)));
    }
    expect(numberText(1 / 7 + 0.5)).toBe(String(1 / 7 + 0.5));
    expect(fixed4Text((1 / 7 + 0.5) * 1.2)).toBe(
      String(+((1 / 7 + 0.5) * 1.2).toFixed(4)),
    );
  });
});
