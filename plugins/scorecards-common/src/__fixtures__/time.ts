/** The vector clock of scorecards §6 (the incident-brief `T`). */
export const T = '2026-03-14T02:05:00Z';
const T_MS = Date.parse(T);

/** An instant before T: `before({ d: 2 })` is "T−2 d". */
export function before(offset: {
  d?: number;
  h?: number;
  m?: number;
  s?: number;
}): string {
  const ms =
    (((offset.d ?? 0) * 24 + (offset.h ?? 0)) * 60 + (offset.m ?? 0)) * 60000 +
    (offset.s ?? 0) * 1000;
  return new Date(T_MS - ms).toISOString();
}

/** An instant after T. */
export function after(offset: { d?: number; h?: number; m?: number }): string {
  return before({
    d: -(offset.d ?? 0),
    h: -(offset.h ?? 0),
    m: -(offset.m ?? 0),
  });
}

/** Shifts an ISO instant by a number of days (negative = earlier). */
export function shiftDays(iso: string, days: number): string {
  return new Date(Date.parse(iso) + days * 86400000).toISOString();
}

/** A distinct, valid `sha256:` + 64 hex digest for fixture number n. */
export function digest(n: number): string {
  return `sha256:${n.toString(16).padStart(64, 'a')}`;
}

export const DAY = 86400;
