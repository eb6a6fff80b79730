/** Plain code-unit string order: deterministic and locale-independent (SR24). */
export function compareText(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}
