import { parseInstantMs } from './instant';

/** The last age asked for and its text: checks reading the same record ask one after another. */
let lastSeconds = Number.NaN;
let lastText = '';

/** Human age for messages and hints: `45 s`, `4 min`, `30 h`, `120 d`. */
export function formatAge(seconds: number): string {
  if (seconds === lastSeconds) return lastText;
  const s = Math.max(0, Math.round(seconds));
  let text: string;
  if (s < 90) text = `${s} s`;
  else if (s < 90 * 60) text = `${Math.round(s / 60)} min`;
  else if (s < 48 * 3600) text = `${Math.round(s / 3600)} h`;
  else text = `${Math.round(s / 86400)} d`;
  lastSeconds = seconds;
  lastText = text;
  return text;
}

/** Parses an ISO-8601 instant or date; NaN when invalid. */
export function parseInstant(value: unknown): number {
  return typeof value === 'string' ? parseInstantMs(value) : Number.NaN;
}

/** Seconds in a day. */
export const DAY_SECONDS = 86400;
