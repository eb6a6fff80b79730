import { Knex } from 'knex';
import { isPostgres } from '@internal/suite-node';
import { chunkRows } from './chunkRows';

/**
 * Which of `keys` (tuples of `columns`) already have a row in `table`, as JSON-encoded tuples.
 *
 * PostgreSQL plans a 500-tuple row-value `IN` list as a chain of ORs and scanned the ledger for
 * every batch (382 ms of a 500-change batch at 40,000 rows); joining the keys as `unnest` arrays
 * uses the unique index. SQLite keeps the `IN` list, chunked under its parameter limit.
 */
export async function existingKeys(
  trx: Knex.Transaction,
  table: string,
  columns: string[],
  keys: string[][],
): Promise<Set<string>> {
  const found = new Set<string>();
  const add = (rows: Record<string, string>[]) => {
    for (const row of rows) found.add(JSON.stringify(columns.map(c => row[c])));
  };
  if (keys.length === 0) return found;
  if (isPostgres(trx)) {
    const arrays = columns.map((_, i) => keys.map(k => k[i]));
    const keyColumns = columns.map((_, i) => `k${i}`);
    const result = await trx.raw(
      `SELECT ${columns.map(() => `t.??`).join(', ')} FROM ?? t
       JOIN unnest(${columns
         .map(() => '?::text[]')
         .join(', ')}) AS k(${keyColumns.join(', ')})
       ON ${columns.map((_, i) => `t.?? = k.${keyColumns[i]}`).join(' AND ')}`,
      [...columns, table, ...arrays, ...columns],
    );
    add(result.rows);
    return found;
  }
  for (const chunk of chunkRows(trx, keys, columns.length)) {
    add(await trx(table).select(columns).whereIn(columns, chunk));
  }
  return found;
}
