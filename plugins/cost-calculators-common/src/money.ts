import DecimalBase from 'decimal.js';

/**
 * Decimal type used in every money and quantity path.
 *
 * A private clone so that other packages changing the global Decimal
 * configuration cannot change our results. 60 significant digits keep
 * quotients such as 7/365 far beyond the cent before display rounding;
 * ROUND_HALF_UP in decimal.js rounds ties away from zero (0.125 → 0.13,
 * −0.125 → −0.13), which is the note's display rule.
 */
export const Decimal = DecimalBase.clone({
  precision: 60,
  rounding: DecimalBase.ROUND_HALF_UP,
  toExpNeg: -100,
  toExpPos: 100,
});

/** A decimal value (exact up to 60 significant digits). */
export type Dec = InstanceType<typeof Decimal>;

/** Input accepted where a decimal is expected. */
export type DecimalLike = Dec | number | string;

/** Converts a number or decimal string to an exact decimal. */
export function dec(value: DecimalLike): Dec {
  return new Decimal(value);
}

/** The zero decimal. */
export const ZERO = dec(0);

/** Sums decimals exactly. */
export function sum(values: Dec[]): Dec {
  return values.reduce((acc, v) => acc.plus(v), ZERO);
}

/** Larger of two decimals. */
export function maxDec(a: Dec, b: Dec): Dec {
  return a.greaterThanOrEqualTo(b) ? a : b;
}

/** Smaller of two decimals. */
export function minDec(a: Dec, b: Dec): Dec {
  return a.lessThanOrEqualTo(b) ? a : b;
}

/** Rounds half away from zero to `dp` decimal places. */
export function roundHalfAway(value: Dec, dp: number): Dec {
  return value.toDecimalPlaces(dp, Decimal.ROUND_HALF_UP);
}

/** Plain (non-exponential) string of the exact value, trailing zeros trimmed. */
export function exactString(value: Dec): string {
  // toFixed() without an argument never uses exponent notation.
  return value.toFixed();
}

function groupThousands(fixed: string): string {
  const negative = fixed.startsWith('-');
  const body = negative ? fixed.slice(1) : fixed;
  const [int, frac] = body.split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${
    frac !== undefined ? `.${frac}` : ''
  }`;
}

/** Rounds to `dp` places and formats with thousands separators ("1,234.50"). */
export function formatFixed(value: Dec, dp: number, grouped = true): string {
  const rounded = roundHalfAway(value, dp);
  // Avoid "-0.00" after rounding a tiny negative value.
  const fixed = rounded.isZero() ? dec(0).toFixed(dp) : rounded.toFixed(dp);
  return grouped ? groupThousands(fixed) : fixed;
}

/** Decimal places of money as displayed: cents. */
export const MONEY_DP = 2;

/**
 * Money rounded as {@link formatMoney} displays it (cents, half away from zero). A rule that
 * branches on an amount's sign branches on this, so that its sentence never says "saves
 * $0.00" or "costs more" next to a displayed 0.00.
 */
export function roundMoney(value: Dec): Dec {
  return roundHalfAway(value, MONEY_DP);
}

/** Money display: cents, half away from zero, grouped ("5,000.00"). */
export function formatMoney(value: Dec, dp: number = MONEY_DP): string {
  return formatFixed(value, dp);
}

/**
 * Money with its currency for sentences: "$5,000.00" for USD, "5,000.00 EUR" otherwise; `dp`
 * more than cents only where {@link decimalsApart} asks for them.
 */
export function formatCurrency(
  value: Dec,
  currency: string,
  dp: number = MONEY_DP,
): string {
  if (currency === 'USD') {
    const s = formatMoney(value, dp);
    return s.startsWith('-') ? `-$${s.slice(1)}` : `$${s}`;
  }
  return `${formatMoney(value, dp)} ${currency}`;
}

/** Most decimals {@link decimalsApart} adds to a display's own. */
const MAX_EXTRA_DP = 6;

/**
 * The decimals to print `value` with in a sentence that compares it with `other` (a rule
 * decided on the exact values): `dp`, or as many more as it takes for the two to print apart,
 * so that "P95 70.04% is above the 70.0% target" is never printed as "70.0% is above the 70.0%
 * target". Up to six more; two values closer than that print exactly (as many decimals as the
 * longer of them has). Equal values keep `dp`.
 */
export function decimalsApart(value: Dec, other: Dec, dp: number): number {
  if (value.equals(other)) return dp;
  for (let places = dp; places <= dp + MAX_EXTRA_DP; places++) {
    if (!roundHalfAway(value, places).equals(roundHalfAway(other, places))) {
      return places;
    }
  }
  return Math.max(value.decimalPlaces(), other.decimalPlaces());
}

/** Decimal places of a percentage as displayed. */
export const PERCENT_DP = 1;

/** Percentage display: one decimal place ("44.0"), or `dp` where {@link decimalsApart} asks. */
export function formatPercent(value: Dec, dp: number = PERCENT_DP): string {
  return formatFixed(value, dp);
}

/** Display of a quantity with at most `dp` decimals, trailing zeros dropped ("120", "2.5"). */
export function formatTrimmed(value: Dec, dp: number): string {
  const fixed = formatFixed(value, dp);
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}
