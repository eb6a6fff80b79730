import type { Knex } from 'knex';

/**
 * Runs `run` while every write to `gp_events` fails (the table is renamed away, on SQLite and
 * PostgreSQL alike), then puts the table back: the audit insert of a write fails as a full disk
 * or a lost connection would fail it, after the write itself went through.
 */
export async function withEventInsertsFailing<T>(
  knex: Knex,
  run: () => Promise<T>,
): Promise<T> {
  await knex.schema.renameTable('gp_events', 'gp_events_aside');
  try {
    return await run();
  } finally {
    await knex.schema.renameTable('gp_events_aside', 'gp_events');
  }
}
