/** Code-unit string order (locale-independent, so output is the same everywhere). */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
