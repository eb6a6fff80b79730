import { ObservedEdgeRecord } from '../records/observedEdge';
import { timestampMs } from '../time/timestamps';

/**
 * Upserts an observation into a stored edge of the same natural key: `lastSeen = max`,
 * `firstSeen = min`, rate and error ratio from the newer observation (§2.4).
 *
 * @public
 */
export function mergeEdgeObservation<T extends ObservedEdgeRecord>(
  stored: T,
  incoming: ObservedEdgeRecord,
): T {
  const incomingIsNewer =
    timestampMs(incoming.lastSeen) >= timestampMs(stored.lastSeen);
  const newer = incomingIsNewer ? incoming : stored;
  const merged: T = {
    ...stored,
    firstSeen:
      timestampMs(incoming.firstSeen) < timestampMs(stored.firstSeen)
        ? incoming.firstSeen
        : stored.firstSeen,
    lastSeen: newer.lastSeen,
  };
  delete merged.requestsPerMinute;
  delete merged.errorRatio;
  if (newer.requestsPerMinute !== undefined)
    merged.requestsPerMinute = newer.requestsPerMinute;
  if (newer.errorRatio !== undefined) merged.errorRatio = newer.errorRatio;
  return merged;
}
