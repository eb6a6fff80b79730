import { succeededBy } from './orderChanges';
import { ChangeRecord } from './types';

/**
 * What the change ledger knows of one entity (of one environment) beyond the records a brief
 * reads: the evidence store keeps its coverage past the window a brief asks for (and past the
 * ledger's retention), with the last change and the last succeeded deploy. A brief reads
 * `changes.lookback` (30 d) of records; without this, an entity whose records are all older was
 * "never recorded", had no last change, and its changes scored as if they had no history.
 */
export interface LedgerHistory {
  /** when its first record took effect, or null when it never had one */
  firstRecordAt: string | null;
  lastChange: ChangeRecord | null;
  lastSucceededDeploy: ChangeRecord | null;
}

/** A lookup of {@link LedgerHistory} by entity ref; undefined when not known (ledger down). */
export type LedgerHistoryLookup = (ref: string) => LedgerHistory | undefined;

/** Whether the entity had a record that took effect before `ms`. */
export function recordedBefore(
  history: LedgerHistory | undefined,
  ms: number,
): boolean {
  const first = history?.firstRecordAt;
  return typeof first === 'string' && Date.parse(first) < ms;
}

/** `record` when it took effect at or before `ms` (the slice read ends at T), else null. */
export function asOf(record: ChangeRecord | null | undefined, ms: number) {
  return record && Date.parse(record.effectiveAt) <= ms ? record : null;
}

/** A succeeded `record` when it had finished by `ms`, else null (the last successful deploy at T). */
export function succeededAsOf(
  record: ChangeRecord | null | undefined,
  ms: number,
) {
  return record && succeededBy(record, ms) ? record : null;
}
