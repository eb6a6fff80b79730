import { FactRecord } from '../records/factRecord';
import { timestampMs } from '../time/timestamps';
import { compareCodeUnits } from '../compareCodeUnits';

/**
 * The newest fact of a kind and key across sources: newest `observedAt`, then newest
 * `collectedAt`, then the lexicographically smallest source id (§5.2). `key` defaults to ''.
 *
 * @public
 */
export function pickLatest(
  facts: readonly FactRecord[],
  kind: string,
  key: string = '',
): FactRecord | undefined {
  let best: FactRecord | undefined;
  for (const fact of facts) {
    if (fact.kind !== kind || fact.key !== key) continue;
    if (!best || compareRecency(fact, best) < 0) best = fact;
  }
  return best;
}

/** Negative when `a` should win over `b`. */
function compareRecency(a: FactRecord, b: FactRecord): number {
  return (
    timestampMs(b.observedAt) - timestampMs(a.observedAt) ||
    timestampMs(b.collectedAt) - timestampMs(a.collectedAt) ||
    compareCodeUnits(a.source, b.source)
  );
}
