import { createHash } from 'node:crypto';
import type { Knex } from 'knex';

/**
 * Serializes concurrent writers of the same natural keys until their transactions end: on
 * PostgreSQL, a transaction-level advisory lock per key of `space` (`pg_advisory_xact_lock`);
 * on SQLite nothing, because knex gives better-sqlite3 one connection and its transactions
 * already run one after another.
 *
 * Row locks (`FOR UPDATE`) cannot do this where a write reads a row that may not exist yet
 * (there is nothing to lock) or reads rows a concurrent writer is about to insert (a rollback
 * and the change it names): both writers read before either commits and both write what only
 * one of them may. A writer that takes the keys first, before it reads, sees what the other
 * committed, since PostgreSQL's read committed reads each statement's own snapshot.
 *
 * Keys are locked in one order (by their 32-bit digest) in one statement, so writers of
 * overlapping key sets wait for one another instead of deadlocking on each other's locks. Two
 * keys with the same digest only wait for one another. Locks are re-entrant within a
 * transaction: a savepoint may lock a key its transaction holds.
 */
export async function lockKeys(
  trx: Knex.Transaction,
  space: number,
  keys: Iterable<string>,
): Promise<void> {
  if (!isPostgres(trx)) return;
  const digests = [...new Set([...keys].map(keyDigest))].sort((a, b) => a - b);
  if (digests.length === 0) return;
  // A function scan of an array yields its elements in order: the locks are taken in it.
  await trx.raw(
    'SELECT pg_advisory_xact_lock(?::int, k) FROM unnest(?::int[]) AS t(k)',
    [space, digests],
  );
}

/** Whether the connection is PostgreSQL (as opposed to SQLite). */
export function isPostgres(db: Knex): boolean {
  const client = db.client.config.client;
  return client === 'pg' || client === 'postgres' || client === 'postgresql';
}

/** The signed 32-bit digest `pg_advisory_xact_lock(int, int)` takes for `key`. */
export function keyDigest(key: string): number {
  return createHash('sha1').update(key).digest().readInt32BE(0);
}
