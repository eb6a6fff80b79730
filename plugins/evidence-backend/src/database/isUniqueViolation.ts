/**
 * Whether a database error is a unique-key violation, on PostgreSQL (`23505`) or SQLite
 * (`SQLITE_CONSTRAINT…`, or only the message from some drivers): a concurrent writer got the
 * key first, which the callers answer as a replay or a retry rather than a failure.
 */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    e?.code === '23505' ||
    (typeof e?.code === 'string' && e.code.startsWith('SQLITE_CONSTRAINT')) ||
    /UNIQUE constraint failed/.test(e?.message ?? '')
  );
}
