import fc from 'fast-check';
import {
  dec,
  decimalsApart,
  formatCurrency,
  formatFixed,
  formatMoney,
  roundHalfAway,
} from './money';

describe('money', () => {
  it.each([
    ['0.125', '0.13'],
    ['-0.125', '-0.13'],
    ['1.005', '1.01'],
    ['62500000', '62,500,000.00'],
    ['-0.001', '0.00'],
  ])('formats %s as %s (half away from zero)', (value, expected) => {
    expect(formatMoney(dec(value))).toBe(expected);
  });

  it('puts the sign before the currency symbol', () => {
    expect(formatCurrency(dec('-170000'), 'USD')).toBe('-$170,000.00');
    expect(formatCurrency(dec('5'), 'EUR')).toBe('5.00 EUR');
  });

  it('display is within 0.005 of the exact value', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        fc.integer({ min: 0, max: 8 }),
        (units, scale) => {
          const exact = dec(units.toString()).div(dec(10).pow(scale));
          const shown = dec(formatFixed(exact, 2, false));
          expect(shown.minus(exact).abs().lte('0.005')).toBe(true);
          expect(roundHalfAway(exact, 2).toFixed(2)).toBe(
            formatFixed(exact, 2, false),
          );
        },
      ),
    );
  });
});

describe('decimalsApart', () => {
  it.each([
    ['70.04', '70', 1, 2],
    ['70', '70.04', 1, 2],
    ['85', '70', 1, 1],
    ['70', '70', 1, 1],
    ['422.5', '422.496', 2, 3],
    ['0.0000001', '0', 1, 7],
    ['0.00000001', '0', 1, 8],
    ['70.000000000001', '70', 1, 12],
  ])('%s against %s from %i places: %i', (value, other, dp, expected) => {
    expect(decimalsApart(dec(value), dec(other), dp)).toBe(expected);
  });
});
