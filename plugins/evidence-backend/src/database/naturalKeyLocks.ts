import { lockKeys } from '@internal/suite-node';
import { Knex } from 'knex';

/** The evidence store's space of `lockKeys` (ASCII "evd1"). */
const EVIDENCE_LOCK_SPACE = 0x65766431;

/**
 * The record types whose writes read a record by natural key and then decide from what they read
 * (§3.5: status only moves forward, set-once fields, the latest fact, rollback links).
 */
export type LockedRecord = 'change' | 'ci-run' | 'fact';

/** The lock key of one natural key of `record`; the parts are joined as JSON. */
export function naturalKeyLock(record: LockedRecord, parts: unknown[]) {
  return `${record}:${JSON.stringify(parts)}`;
}

/**
 * Serializes writers of the same records until their transaction ends (`lockKeys`; PostgreSQL
 * only). Without it two writers of one record both read it before either committed and both
 * wrote: a status moved backwards or two conclusions were accepted, an older fact replaced the
 * newer latest value, and a rollback arriving with its target was never linked to it.
 */
export function lockNaturalKeys(
  trx: Knex.Transaction,
  keys: Iterable<string>,
): Promise<void> {
  return lockKeys(trx, EVIDENCE_LOCK_SPACE, keys);
}
