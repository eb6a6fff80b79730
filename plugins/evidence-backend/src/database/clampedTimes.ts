import { timestampMs, toIsoTimestamp } from '@internal/plugin-evidence-common';
import { splitFlags } from './rows';

/**
 * An incoming time in the form the stored row holds it (§3.8). A time more than `maxSkew`
 * ahead of the receipt that wrote it was stored as that receipt time and the row flagged
 * `SKEWED`, so the stored value is then more than `maxSkew` behind what the sender sent. The
 * same time sent again (a retried event under a new key, a re-send after the key expired, EV4)
 * must compare equal to the stored value: otherwise it reads as a change and is clamped anew to
 * the later receipt, moving a time the sender never changed. Rows without `SKEWED` stored every
 * time as sent, so their times compare as they are.
 */
export function asStoredTime(
  incoming: string | undefined,
  row: { storedMs: unknown; flags: unknown },
  maxSkewSeconds: number,
): string | undefined {
  if (incoming === undefined) return incoming;
  if (row.storedMs === null || row.storedMs === undefined) return incoming;
  if (!splitFlags(row.flags).includes('SKEWED')) return incoming;
  const stored = Number(row.storedMs);
  return timestampMs(incoming) > stored + maxSkewSeconds * 1000
    ? toIsoTimestamp(stored)
    : incoming;
}
