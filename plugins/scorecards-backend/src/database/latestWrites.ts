import { Knex } from 'knex';

/**
 * The write order of `scorecards_latest` (migration `20261207100000_latest_write_seq`): every
 * transaction that writes latest rows raises `seq` first and stamps its rows with it; one that
 * deletes rows also sets `reset_seq`. Raising it is the first write of the transaction, so the
 * row lock serializes writers on PostgreSQL in one order (no deadlock with the rows' own locks)
 * and a committed `seq` means every lower one is committed too: a reader that saw `seq` n misses
 * nothing by reading `write_seq > n` next time.
 */
const TABLE = 'scorecards_latest_writes';

/** Where the latest rows' writes stand. */
export interface LatestWriteSeq {
  seq: number;
  /** The `seq` of the latest transaction that deleted rows: a copy older than it is stale. */
  resetSeq: number;
}

/** Raises `seq` inside `tx` and answers the new value (`reset`: rows are being deleted). */
export async function raiseLatestWriteSeq(
  tx: Knex.Transaction,
  options: { reset?: boolean } = {},
): Promise<number> {
  // Both databases evaluate `seq + 1` on the row as it was, so `reset_seq` gets the new `seq`.
  await tx(TABLE)
    .where({ id: 1 })
    .update({
      seq: tx.raw('seq + 1'),
      ...(options.reset ? { reset_seq: tx.raw('seq + 1') } : {}),
    });
  return (await readLatestWriteSeq(tx)).seq;
}

export async function readLatestWriteSeq(db: Knex): Promise<LatestWriteSeq> {
  const row = await db(TABLE).where({ id: 1 }).first('seq', 'reset_seq');
  // PostgreSQL answers bigint as a string.
  return { seq: Number(row.seq), resetSeq: Number(row.reset_seq) };
}

/**
 * For whatever writes `scorecards_latest` outside the store (a migration, an operator's repair,
 * a test): every replica reads its summaries again whole on its next read.
 */
export async function markLatestRewritten(db: Knex): Promise<void> {
  await db.transaction(tx => raiseLatestWriteSeq(tx, { reset: true }));
}
