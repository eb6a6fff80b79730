import { Waiver } from './waiverTypes';
import { compareText } from '../model/compareText';
import { parseInstantMs } from '../evidence/instant';
import { reachedYet } from '../engine/timeLimits';

/**
 * Whether an instant of a waiver record (expiry, revocation) is reached at `now`. Records are
 * read from storage, typed but not trusted: an instant that does not parse counts as reached,
 * so a broken expiry ends the waiver instead of keeping it forever (fail closed; the result
 * then carries the WAIVER_EXPIRED note and shows its raw state).
 */
function reached(instant: string, nowMs: number): boolean {
  // Not only NaN: Date.parse reads a number such as 42 as the year 2042.
  if (typeof instant !== 'string') return true;
  const instantMs = parseInstantMs(instant);
  return reachedYet(!(instantMs > nowMs), nowMs, instantMs);
}

/**
 * The status of a waiver at `now`: an active waiver at or past its expiry is `expired`
 * (exclusive end), and so is a pending one nobody decided on before its expiry — its window
 * is over, so it can no longer be approved and no longer holds the one open slot of its
 * (entity, check) (§2.8). Only `active` waivers ever count.
 */
export function waiverStatusAt(
  waiver: Waiver,
  nowMs: number,
): Waiver['status'] {
  if (waiver.revokedAt && reached(waiver.revokedAt, nowMs)) return 'revoked';
  if (
    (waiver.status === 'active' ||
      waiver.status === 'pending' ||
      waiver.status === 'expired') &&
    reached(waiver.expiresAt, nowMs)
  ) {
    return 'expired';
  }
  return waiver.status;
}

/**
 * Whether a waiver was ever approved: active, or expired with an approval recorded. A pending
 * waiver that lapsed undecided (stored `expired` by the scheduled pass, without `approvedBy`)
 * never counted.
 */
export function wasApproved(waiver: Waiver): boolean {
  if (waiver.status === 'active') return true;
  return (
    waiver.status === 'expired' &&
    (waiver.approvedBy !== undefined || waiver.approvedAt !== undefined)
  );
}

/** Whether a waiver counts at `now`: only active and strictly before expiresAt (SR14, SR17). */
export function isWaiverActive(waiver: Waiver, nowMs: number): boolean {
  return waiverStatusAt(waiver, nowMs) === 'active';
}

/** Deterministic order: latest expiry first, then id, so input order never matters (SR24). */
function byPreference(a: Waiver, b: Waiver): number {
  return (
    parseInstantMs(b.expiresAt) - parseInstantMs(a.expiresAt) ||
    compareText(a.id, b.id)
  );
}

/** The waiver that covers (entity, check) at `now`, if any. */
export function activeWaiverFor(
  waivers: readonly Waiver[],
  entityRef: string,
  checkId: string,
  nowMs: number,
): Waiver | undefined {
  let best: Waiver | undefined;
  for (const w of waivers) {
    if (w.checkId !== checkId || w.entityRef.toLowerCase() !== entityRef)
      continue;
    if (!isWaiverActive(w, nowMs)) continue;
    if (!best || byPreference(w, best) < 0) best = w;
  }
  return best;
}

/**
 * How many days after its expiry an approved waiver still puts the WAIVER_EXPIRED note on the
 * raw result: the 30 days an entity's scorecard lists ended waivers (§7.4). Without a limit the
 * note stayed for ever, and every pass of the backend read every waiver that ever expired.
 */
export const EXPIRED_WAIVER_NOTE_DAYS = 30;
const EXPIRED_WAIVER_NOTE_MS = EXPIRED_WAIVER_NOTE_DAYS * 86_400_000;

/**
 * A waiver for (entity, check) that was approved but has expired by `now`, at most
 * {@link EXPIRED_WAIVER_NOTE_DAYS} ago (for the WAIVER_EXPIRED note). One whose expiry does not
 * parse counts as just expired.
 */
export function expiredWaiverFor(
  waivers: readonly Waiver[],
  entityRef: string,
  checkId: string,
  nowMs: number,
): Waiver | undefined {
  let best: Waiver | undefined;
  for (const w of waivers) {
    if (w.checkId !== checkId || w.entityRef.toLowerCase() !== entityRef)
      continue;
    if (waiverStatusAt(w, nowMs) !== 'expired' || !wasApproved(w)) continue;
    const expiredMs =
      typeof w.expiresAt === 'string' ? parseInstantMs(w.expiresAt) : NaN;
    if (expiredMs < nowMs - EXPIRED_WAIVER_NOTE_MS) continue;
    if (!best || byPreference(w, best) < 0) best = w;
  }
  return best;
}

/** All waivers active at `now`. */
export function activeWaivers(
  waivers: readonly Waiver[],
  now: string,
): Waiver[] {
  const nowMs = Date.parse(now);
  return waivers.filter(w => isWaiverActive(w, nowMs)).sort(byPreference);
}
