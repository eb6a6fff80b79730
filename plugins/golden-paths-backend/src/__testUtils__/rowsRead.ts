import type { Knex } from 'knex';

/**
 * The rows that SELECTs from `table` returned while `run` ran, on `knex` (not its transactions),
 * with how many such SELECTs were sent: what a read cost, counted without timing it.
 */
export async function rowsRead<T>(
  knex: Knex,
  table: string,
  run: () => Promise<T>,
): Promise<{ result: T; selects: number; rows: any[] }> {
  const from = new RegExp(`^select .* from [\`"]${table}[\`"]`, 'is');
  const rows: any[] = [];
  let selects = 0;
  const seen = (response: unknown, query: { sql?: string }) => {
    if (typeof query?.sql !== 'string' || !from.test(query.sql)) return;
    selects += 1;
    if (Array.isArray(response)) rows.push(...response);
  };
  knex.on('query-response', seen);
  try {
    const result = await run();
    return { result, selects, rows };
  } finally {
    knex.removeListener('query-response', seen);
  }
}
