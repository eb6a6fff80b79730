/**
 * Whether `error` is the database refusing a duplicate key: a unique index or a primary key
 * (PostgreSQL `23505`, SQLite `SQLITE_CONSTRAINT_UNIQUE`/`_PRIMARYKEY`, MySQL `ER_DUP_ENTRY`).
 * Callers answer it as a concurrent writer that got the key first (a replay, a retry), so other
 * constraint failures (SQLite `SQLITE_CONSTRAINT_NOTNULL`, `_CHECK`) are not taken for one.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === 'ER_DUP_ENTRY'
  ) {
    return true;
  }
  // node-sqlite3 reports the generic code with the reason in the message
  return (
    code === 'SQLITE_CONSTRAINT' &&
    /UNIQUE constraint failed/.test(String(message))
  );
}
