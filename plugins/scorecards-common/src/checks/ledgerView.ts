import { LedgerRecord } from '../evidence/evidenceTypes';
import { compareText } from '../model/compareText';

/** A ledger record with its finish time parsed once. */
export interface TimedRecord {
  record: LedgerRecord;
  finishedMs: number;
}

const cache = new WeakMap<readonly LedgerRecord[], TimedRecord[]>();

/**
 * The entity's ledger with times parsed once per evaluation, newest first (ties by id, so input
 * order never matters). Ledger rules run several times per entity; parsing dates once keeps
 * evaluation cheap.
 */
export function timedLedger(ledger: readonly LedgerRecord[]): TimedRecord[] {
  let timed = cache.get(ledger);
  if (!timed) {
    timed = ledger.map(record => ({
      record,
      finishedMs: Date.parse(record.finishedAt ?? record.startedAt),
    }));
    timed.sort(
      (a, b) =>
        b.finishedMs - a.finishedMs || compareText(b.record.id, a.record.id),
    );
    cache.set(ledger, timed);
  }
  return timed;
}
