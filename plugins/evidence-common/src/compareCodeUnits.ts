/**
 * Orders strings by UTF-16 code units, independent of locale, so sort results are the same in
 * every browser and Node.
 *
 * @public
 */
export function compareCodeUnits(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
