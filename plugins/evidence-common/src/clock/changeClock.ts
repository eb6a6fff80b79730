import { MS_PER_SECOND, timestampMs, toIsoTimestamp } from '../time/timestamps';
import { DEFAULT_MAX_SKEW_SECONDS, LATE_AFTER_SECONDS } from './clockDefaults';

/**
 * Flags the clock rules of §3.8 can set on a change.
 *
 * @public
 */
export type ChangeClockFlag = 'SKEWED' | 'LATE';

/**
 * What the clock rules derive for a change at receipt.
 *
 * @public
 */
export interface ChangeClock {
  /** `startedAt`, or `receivedAt` when `startedAt` is beyond `receivedAt + maxSkew`. */
  effectiveAt: string;
  /** `finishedAt` as it is read: `receivedAt` when it was beyond `receivedAt + maxSkew`. */
  finishedAt?: string;
  flags: ChangeClockFlag[];
}

/**
 * Applies the change clock rules of §3.8 (effectiveAt, SKEWED, LATE) to validated timestamps.
 *
 * @public
 */
export function applyChangeClock(input: {
  startedAt: string;
  finishedAt?: string;
  receivedAt: string;
  maxSkewSeconds?: number;
}): ChangeClock {
  const maxSkewMs =
    (input.maxSkewSeconds ?? DEFAULT_MAX_SKEW_SECONDS) * MS_PER_SECOND;
  const received = timestampMs(input.receivedAt);
  const started = timestampMs(input.startedAt);
  const flags = new Set<ChangeClockFlag>();

  // Strictly beyond: a start exactly maxSkew ahead is still trusted (4 min ahead is normal drift).
  let effective = started;
  if (started > received + maxSkewMs) {
    effective = received;
    flags.add('SKEWED');
  }

  let finished: number | undefined;
  if (input.finishedAt !== undefined) {
    finished = timestampMs(input.finishedAt);
    if (finished > received + maxSkewMs) {
      finished = received;
      flags.add('SKEWED');
    }
  }

  // Lateness is measured from the corrected end, so a future-dated record is never also LATE.
  const end = finished ?? effective;
  if (received - end > LATE_AFTER_SECONDS * MS_PER_SECOND) {
    flags.add('LATE');
  }

  return {
    effectiveAt: toIsoTimestamp(effective),
    ...(finished !== undefined ? { finishedAt: toIsoTimestamp(finished) } : {}),
    flags: [...flags],
  };
}
