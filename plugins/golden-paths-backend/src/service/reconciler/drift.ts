import { CheckResult, checkKey, Mismatch, mismatchesOf } from './compare';

// Drift is recorded once per distinct mismatch, not on every run (§8 step 4): the last drift
// event of a request carries the mismatches open after it, and a run records only the change.
// Pure.

/** `gp_events.event_type` (and auditor event id) of the drift records. */
export const DRIFT_DETECTED = 'golden-path-drift-detected';
export const DRIFT_RESOLVED = 'golden-path-drift-resolved';
export const DRIFT_EVENTS = [DRIFT_DETECTED, DRIFT_RESOLVED] as const;

export interface DriftChange {
  /** Mismatches not open before this run. */
  detected: Mismatch[];
  /** Mismatches open before whose check now finds something else (it passes, or differs). */
  resolved: Mismatch[];
  /** Mismatches open after this run. */
  open: Mismatch[];
}

/**
 * The change in drift between the mismatches open after the last drift event and this run's
 * results. A mismatch whose check could not be observed this run (`unknown`: the catalog did not
 * answer, git failed) stays open — an outage neither resolves drift nor reports it again.
 */
export function diffDrift(
  previousOpen: readonly Mismatch[],
  results: readonly CheckResult[],
): DriftChange {
  const current = mismatchesOf(results);
  const unknown = new Set(
    results.filter(r => r.status === 'unknown').map(checkKey),
  );
  const currentIds = new Set(current.map(m => m.id));
  const carried = previousOpen.filter(
    m => unknown.has(checkKey(m)) && !currentIds.has(m.id),
  );
  const open = [...current, ...carried];
  const openIds = new Set(open.map(m => m.id));
  const previousIds = new Set(previousOpen.map(m => m.id));
  return {
    detected: current.filter(m => !previousIds.has(m.id)),
    resolved: previousOpen.filter(m => !openIds.has(m.id)),
    open,
  };
}

/** The open mismatches a drift event's record carries (none when it is not one). */
export function openMismatches(
  record: Record<string, unknown> | undefined,
): Mismatch[] {
  const open = record?.open;
  return Array.isArray(open)
    ? open.filter(
        (m): m is Mismatch =>
          !!m &&
          typeof m === 'object' &&
          typeof (m as Mismatch).id === 'string' &&
          typeof (m as Mismatch).check === 'string' &&
          typeof (m as Mismatch).target === 'string',
      )
    : [];
}
