import { isPostgres } from '@internal/suite-node';
import { Knex } from 'knex';

/**
 * Splits rows for multi-row statements within the dialect's limits: PostgreSQL allows 65,535
 * bound parameters; knex writes SQLite multi-row inserts as `UNION ALL` selects, which SQLite
 * caps at 500 terms.
 */
export function chunkRows<T>(
  db: Knex,
  rows: T[],
  columnsPerRow: number,
): T[][] {
  const size = isPostgres(db)
    ? Math.max(1, Math.floor(60_000 / columnsPerRow))
    : Math.max(1, Math.min(100, Math.floor(30_000 / columnsPerRow)));
  const chunks: T[][] = [];
  for (let i = 0; i < rows.length; i += size) {
    chunks.push(rows.slice(i, i + size));
  }
  return chunks;
}
