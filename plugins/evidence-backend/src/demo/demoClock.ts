import { createHash } from 'node:crypto';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** `T` of the demo (evidence §7.1): the seeding time truncated to the minute, epoch ms. */
export function truncateToMinute(now: Date): number {
  return Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS;
}

/** The ISO timestamp `offsetMs` from `t` (offsets are negative: before `T`). */
export function demoTime(t: number, offsetMs: number): string {
  return new Date(t + offsetMs).toISOString();
}

/** A demo artifact digest: `sha256:` + hex SHA-256 of `demo:<id>`. */
export function demoDigest(id: string): string {
  return `sha256:${createHash('sha256').update(`demo:${id}`).digest('hex')}`;
}
