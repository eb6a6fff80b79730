/**
 * Texts of numbers that are not small integers, by value. Writing a fraction
 * (`0.9523809523809523`) or rounding one (`toFixed`) costs several times a map lookup, and the
 * values a standard writes repeat across entities and evaluations (ratios of small counts such
 * as pass and flake rates, a budget annotation times a factor). A text depends on the number
 * only, so nothing here can go stale; each map is bounded and starts over when full. Map keys
 * compare like `SameValueZero` (0 and -0 are one key): both write "0".
 */
const MAX_TEXTS = 16384;
const plainTexts = new Map<number, string>();
const fixed4Texts = new Map<number, string>();

/** `String(n)`. */
export function numberText(n: number): string {
  // Small integers are written from V8's own cache; a lookup would only cost more.
  if ((n | 0) === n) return String(n);
  let text = plainTexts.get(n);
  if (text === undefined) {
    text = String(n);
    if (plainTexts.size >= MAX_TEXTS) plainTexts.clear();
    plainTexts.set(n, text);
  }
  return text;
}

/** `String(+n.toFixed(4))`: the number rounded to four decimals, without trailing zeros. */
export function fixed4Text(n: number): string {
  let text = fixed4Texts.get(n);
  if (text === undefined) {
    text = String(+n.toFixed(4));
    if (fixed4Texts.size >= MAX_TEXTS) fixed4Texts.clear();
    fixed4Texts.set(n, text);
  }
  return text;
}
