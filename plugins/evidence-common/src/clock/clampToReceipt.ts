import { MS_PER_SECOND, timestampMs, toIsoTimestamp } from '../time/timestamps';
import { DEFAULT_MAX_SKEW_SECONDS } from './clockDefaults';

/**
 * Clamps a pushed edge or CI-run timestamp to `receivedAt` when it lies beyond
 * `receivedAt + maxSkew` (§3.8), reporting whether it did.
 *
 * @public
 */
export function clampToReceipt(
  timestamp: string,
  receivedAt: string,
  maxSkewSeconds: number = DEFAULT_MAX_SKEW_SECONDS,
): { value: string; skewed: boolean } {
  const at = timestampMs(timestamp);
  const received = timestampMs(receivedAt);
  if (at > received + maxSkewSeconds * MS_PER_SECOND) {
    return { value: toIsoTimestamp(received), skewed: true };
  }
  return { value: toIsoTimestamp(at), skewed: false };
}
