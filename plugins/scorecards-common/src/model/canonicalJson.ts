/**
 * JSON with object keys sorted at every level and `undefined` members left out, so two values
 * that are equal as data give the same text whatever order their keys were written in. Used to
 * hash entities (`hashEntity`) and to break full ties between evidence records (SR24).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object')
    return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value as object).sort();
  return `{${keys
    .filter(k => (value as Record<string, unknown>)[k] !== undefined)
    .map(
      k =>
        `${JSON.stringify(k)}:${canonicalJson(
          (value as Record<string, unknown>)[k],
        )}`,
    )
    .join(',')}}`;
}
