import { StoredChange } from '../records/storedChange';
import { timestampMs } from '../time/timestamps';

/**
 * True when a change's span `[effectiveAt, finishedAt ?? asOf]` intersects `[from, to]`
 * (both inclusive), so long rollouts that started before the window are caught (IB §4.4).
 *
 * @public
 */
export function changeInWindow(
  change: Pick<StoredChange, 'effectiveAt' | 'finishedAt'>,
  window: { from: string; to: string; asOf: string },
): boolean {
  const start = timestampMs(change.effectiveAt);
  const end = timestampMs(change.finishedAt ?? window.asOf);
  return start <= timestampMs(window.to) && end >= timestampMs(window.from);
}
