import type { Knex } from 'knex';

/**
 * A statement held back on its way to PostgreSQL: the transaction that sends it keeps the locks it
 * took so far and goes on only when `release` is called. Drives two transactions through one
 * interleaving deterministically (the first held mid-way, the second run into its locks).
 */
export type HeldStatement = {
  /** Resolves when the statement was reached (and is held). */
  reached: Promise<void>;
  release(): void;
  /** Stops holding statements (releases one still held). */
  restore(): void;
};

/**
 * Holds the first statement whose SQL matches `sql`, sent by any transaction of `knex`'s client
 * class (a transaction's client is made from the class's prototype, so the hook sits there).
 */
export function holdStatement(knex: Knex, sql: RegExp): HeldStatement {
  const proto = Object.getPrototypeOf(knex.client);
  const original = proto._query;
  let release!: () => void;
  const released = new Promise<void>(resolve => (release = resolve));
  let reach!: () => void;
  const reached = new Promise<void>(resolve => (reach = resolve));
  let held = false;
  proto._query = async function heldQuery(
    this: unknown,
    connection: unknown,
    obj: { sql?: string },
  ) {
    if (!held && typeof obj?.sql === 'string' && sql.test(obj.sql)) {
      held = true;
      reach();
      await released;
    }
    return original.call(this, connection, obj);
  };
  return {
    reached,
    release,
    restore() {
      release();
      proto._query = original;
    },
  };
}

/**
 * Waits until `other` waits for a row lock (a backend of this database shows a `Lock` wait) or
 * has settled, whichever comes first. Fails after `timeoutMs`.
 */
export async function untilBlockedOrSettled(
  knex: Knex,
  other: Promise<unknown>,
  timeoutMs = 10_000,
): Promise<'blocked' | 'settled'> {
  let settled = false;
  other.then(
    () => (settled = true),
    () => (settled = true),
  );
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (settled) return 'settled';
    const { rows } = await knex.raw(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (rows[0].n > 0) return 'blocked';
    await new Promise(resolve => setTimeout(resolve, 20));
  }
  throw new Error(`neither blocked nor settled within ${timeoutMs} ms`);
}
