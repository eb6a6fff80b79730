const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})/;

/**
 * The instant of an `ops.example.com/retire-by` value (an ISO date, `2026-09-30`, or date-time),
 * or NaN when it is not one. `Date.parse` alone reads `2026-02-31` as 3 March and accepts free
 * text such as `March 1, 2026`; a retirement date must say what the owner meant.
 */
export function retireByMs(value: string | undefined): number {
  const m = value ? ISO_DATE.exec(value) : null;
  if (!m) return Number.NaN;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // Date.UTC reads years 0–99 as 1900–1999
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return Number.NaN;
  }
  return Date.parse(value!);
}
