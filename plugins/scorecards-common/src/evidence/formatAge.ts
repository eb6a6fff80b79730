/** Human age for messages and hints: `45 s`, `4 min`, `30 h`, `120 d`. */
export function formatAge(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 90) return `${s} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  if (s < 48 * 3600) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} d`;
}

/** Parses an ISO-8601 instant or date; NaN when invalid. */
export function parseInstant(value: unknown): number {
  return typeof value === 'string' ? Date.parse(value) : Number.NaN;
}

/** Seconds in a day. */
export const DAY_SECONDS = 86400;
