import { Knex } from 'knex';

interface StatementStats {
  count: number;
  ms: number;
}

/**
 * Times every statement a knex instance runs (its `query` and `query-response` events), grouped
 * by SQL text with bound-value lists folded (`(?, ?, ?)` → `(?…)`), so two runs of a benchmark
 * can be compared statement by statement. Wall time from dispatch to answer: with
 * better-sqlite3 that is the synchronous execution, with a pool it includes the wait for a
 * connection.
 */
export function watchStatements(knex: Knex) {
  const started = new Map<string, { sql: string; at: number }>();
  let stats = new Map<string, StatementStats>();
  const fold = (sql: string) =>
    sql
      .replace(/\((\?,\s*)+\?\)/g, '(?…)')
      .replace(/(\(\?…\),\s*)+/g, '(?…), ');
  knex.on('query', (q: { __knexQueryUid: string; sql: string }) => {
    started.set(q.__knexQueryUid, { sql: fold(q.sql), at: performance.now() });
  });
  const finish = (_: unknown, q: { __knexQueryUid: string }) => {
    const s = started.get(q.__knexQueryUid);
    if (!s) return;
    started.delete(q.__knexQueryUid);
    const entry = stats.get(s.sql) ?? { count: 0, ms: 0 };
    entry.count++;
    entry.ms += performance.now() - s.at;
    stats.set(s.sql, entry);
  };
  knex.on('query-response', finish);
  knex.on('query-error', finish);
  return {
    reset() {
      stats = new Map();
    },
    /** The `top` statements by total time, and the totals. */
    report(label: string, top = 12): string {
      const rows = [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms);
      const total = rows.reduce(
        (t, [, e]) => ({ count: t.count + e.count, ms: t.ms + e.ms }),
        { count: 0, ms: 0 },
      );
      return [
        `  SQL ${label}: ${total.count} statements, ${total.ms.toFixed(0)} ms`,
        ...rows
          .slice(0, top)
          .map(
            ([sql, e]) =>
              `    ${e.ms.toFixed(0).padStart(7)} ms ${String(e.count).padStart(
                7,
              )}× ${sql.slice(0, 160)}`,
          ),
      ].join('\n');
    },
  };
}
