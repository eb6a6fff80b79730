import { constants, PerformanceObserver } from 'node:perf_hooks';

/** Garbage-collection pauses seen on the main thread since the watch started. */
export interface GcTotals {
  pauseMs: number;
  count: number;
  /** pause time by kind: minor (scavenge), major (mark-compact), incremental, weakcb */
  byKind: Record<string, number>;
}

const KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

/**
 * Sums the main thread's GC pauses (`gc` performance entries), so that a phase can tell how much
 * of its CPU went to collecting garbage. Pauses only: the work V8's helper threads do in parallel
 * or concurrently shows in the process CPU, not here — the gap between process CPU and main-thread
 * CPU bounds it.
 */
export function watchGc(): { totals(): GcTotals; stop(): void } {
  const totals: GcTotals = { pauseMs: 0, count: 0, byKind: {} };
  const observer = new PerformanceObserver(list => {
    for (const entry of list.getEntries()) {
      const kind =
        KINDS[(entry as { detail?: { kind?: number } }).detail?.kind ?? -1] ??
        'other';
      totals.pauseMs += entry.duration;
      totals.count++;
      totals.byKind[kind] = (totals.byKind[kind] ?? 0) + entry.duration;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    totals: () => ({ ...totals, byKind: { ...totals.byKind } }),
    stop: () => observer.disconnect(),
  };
}

/** What happened between two readings of {@link watchGc}'s totals, as one line. */
export function describeGcSince(before: GcTotals, after: GcTotals): string {
  const kinds = Object.keys(after.byKind)
    .map(k => `${k} ${(after.byKind[k] - (before.byKind[k] ?? 0)).toFixed(0)}`)
    .join(', ');
  return `GC pauses ${(after.pauseMs - before.pauseMs).toFixed(0)} ms in ${
    after.count - before.count
  } (${kinds})`;
}
