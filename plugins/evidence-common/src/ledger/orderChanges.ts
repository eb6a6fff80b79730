import { StoredChange } from '../records/storedChange';
import { timestampMs } from '../time/timestamps';
import { compareCodeUnits } from '../compareCodeUnits';

type Orderable = Pick<
  StoredChange,
  'id' | 'effectiveAt' | 'status' | 'finishedAt' | 'receivedAt'
>;

function desc(a: number, b: number): number {
  return b - a;
}

/**
 * Comparator of the ledger order (§3.8): `effectiveAt` desc, in-progress before finished,
 * `finishedAt` desc, `receivedAt` desc, `id` desc.
 *
 * @public
 */
export function compareChanges(a: Orderable, b: Orderable): number {
  const inProgress = (c: Orderable) => (c.status === 'started' ? 1 : 0);
  return (
    desc(timestampMs(a.effectiveAt), timestampMs(b.effectiveAt)) ||
    desc(inProgress(a), inProgress(b)) ||
    desc(
      a.finishedAt ? timestampMs(a.finishedAt) : -Infinity,
      b.finishedAt ? timestampMs(b.finishedAt) : -Infinity,
    ) ||
    desc(timestampMs(a.receivedAt), timestampMs(b.receivedAt)) ||
    compareCodeUnits(b.id, a.id)
  );
}

/**
 * A new array of changes in the ledger order every read uses (§3.8).
 *
 * @public
 */
export function orderChanges<T extends Orderable>(changes: readonly T[]): T[] {
  return [...changes].sort(compareChanges);
}
