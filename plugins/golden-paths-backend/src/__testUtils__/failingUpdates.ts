import type { Knex } from 'knex';

const TRIGGER = 'gp_test_failing_update';

/**
 * Runs `run` while every UPDATE of `table` that sets `status` to `status` fails (a trigger
 * raises, on SQLite and PostgreSQL alike), then drops the trigger: one write of a sequence fails
 * as a lost connection or a crash would stop it there, after the writes before it went through
 * (committed, unless they share its transaction).
 */
export async function withStatusUpdatesFailing<T>(
  knex: Knex,
  where: { table: 'gp_requests' | 'gp_approvals'; status: string },
  run: () => Promise<T>,
): Promise<T> {
  const client = String(knex.client.config.client);
  const isPg = client === 'pg' || client.includes('postgres');
  // Test-owned literals only (no input reaches these statements).
  const message = `test: ${where.table}.status = ${where.status} fails`;
  if (isPg) {
    await knex.raw(
      `CREATE FUNCTION ${TRIGGER}() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION '${message}'; END $$ LANGUAGE plpgsql`,
    );
    await knex.raw(
      `CREATE TRIGGER ${TRIGGER} BEFORE UPDATE ON ${where.table} FOR EACH ROW WHEN (NEW.status = '${where.status}') EXECUTE FUNCTION ${TRIGGER}()`,
    );
  } else {
    await knex.raw(
      `CREATE TRIGGER ${TRIGGER} BEFORE UPDATE ON ${where.table} FOR EACH ROW WHEN NEW.status = '${where.status}' BEGIN SELECT RAISE(ABORT, '${message}'); END`,
    );
  }
  try {
    return await run();
  } finally {
    if (isPg) {
      await knex.raw(`DROP TRIGGER ${TRIGGER} ON ${where.table}`);
      await knex.raw(`DROP FUNCTION ${TRIGGER}()`);
    } else {
      await knex.raw(`DROP TRIGGER ${TRIGGER}`);
    }
  }
}
