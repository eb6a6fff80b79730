import { DatabaseSync } from 'node:sqlite';

// The durable claim table (golden-paths.md §3.2, "return prior result on conflict"): one row per
// operation key. A claim is an atomic INSERT … ON CONFLICT DO NOTHING, never check-then-insert,
// so two runs cannot both start the same unit. A unit already done returns its recorded result;
// a failed unit or a claim older than the maximum runtime (a crashed run) can be taken over.
//
// The only store implemented is a SQLite file (node:sqlite) at JOB_STATE_DB. In the image that is
// /var/lib/job, where the deploy workflow mounts a persistent volume (input state-volume), so the
// claims outlive each run's pod. SQLite keeps its atomicity only for processes sharing that file
// on one node: not over a network file system, not from pods on different nodes. A job that runs
// on several replicas at once (a queue consumer scaled out) must bring a shared database itself:
// implement ClaimStore against it (in PostgreSQL the same table, INSERT … ON CONFLICT DO NOTHING
// and conditional UPDATEs; its drivers are asynchronous, so ClaimStore and its calls in job.ts
// become async) and open that store in job.ts instead of openClaimStore.

export type ClaimOutcome =
  | { status: 'claimed'; attempts: number }
  | { status: 'done'; result: unknown }
  | { status: 'busy'; runId: string };

export interface ClaimRecord {
  status: 'claimed' | 'done' | 'failed';
  runId: string;
  attempts: number;
  result?: unknown;
}

export interface ClaimStore {
  /** Read-only look-up, used by planning (and therefore by --dry-run). */
  peek(operationKey: string): ClaimRecord | undefined;
  claim(operationKey: string, runId: string, now: Date): ClaimOutcome;
  complete(
    operationKey: string,
    runId: string,
    result: unknown,
    now: Date,
  ): void;
  fail(operationKey: string, runId: string, error: string, now: Date): void;
  close(): void;
}

interface Row {
  status: ClaimRecord['status'];
  run_id: string;
  attempts: number;
  result_json: string | null;
}

export function openClaimStore(path: string, leaseMinutes: number): ClaimStore {
  const db = new DatabaseSync(path);
  db.exec(`CREATE TABLE IF NOT EXISTS job_operations (
    operation_key TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('claimed', 'done', 'failed')),
    run_id TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 1,
    result_json TEXT,
    error TEXT,
    claimed_at TEXT NOT NULL,
    finished_at TEXT
  )`);
  const insert = db.prepare(
    `INSERT INTO job_operations (operation_key, status, run_id, claimed_at)
     VALUES (?, 'claimed', ?, ?) ON CONFLICT (operation_key) DO NOTHING`,
  );
  const takeOver = db.prepare(
    `UPDATE job_operations
        SET status = 'claimed', run_id = ?, claimed_at = ?, attempts = attempts + 1, error = NULL
      WHERE operation_key = ?
        AND (status = 'failed' OR (status = 'claimed' AND claimed_at < ?))`,
  );
  const select = db.prepare(
    `SELECT status, run_id, attempts, result_json FROM job_operations WHERE operation_key = ?`,
  );
  const done = db.prepare(
    `UPDATE job_operations SET status = 'done', result_json = ?, finished_at = ?
      WHERE operation_key = ? AND run_id = ? AND status = 'claimed'`,
  );
  const failed = db.prepare(
    `UPDATE job_operations SET status = 'failed', error = ?, finished_at = ?
      WHERE operation_key = ? AND run_id = ? AND status = 'claimed'`,
  );

  const read = (key: string): ClaimRecord | undefined => {
    const row = select.get(key) as Row | undefined;
    if (!row) return undefined;
    return {
      status: row.status,
      runId: row.run_id,
      attempts: row.attempts,
      ...(row.result_json === null
        ? {}
        : { result: JSON.parse(row.result_json) as unknown }),
    };
  };

  return {
    peek: read,
    claim(key, runId, now) {
      if (insert.run(key, runId, now.toISOString()).changes === 1) {
        return { status: 'claimed', attempts: 1 };
      }
      const staleBefore = new Date(
        now.getTime() - leaseMinutes * 60_000,
      ).toISOString();
      if (
        takeOver.run(runId, now.toISOString(), key, staleBefore).changes === 1
      ) {
        return { status: 'claimed', attempts: read(key)?.attempts ?? 1 };
      }
      const row = read(key);
      if (row?.status === 'done') return { status: 'done', result: row.result };
      return { status: 'busy', runId: row?.runId ?? 'unknown' };
    },
    complete(key, runId, result, now) {
      done.run(JSON.stringify(result ?? null), now.toISOString(), key, runId);
    },
    fail(key, runId, error, now) {
      failed.run(error, now.toISOString(), key, runId);
    },
    close() {
      db.close();
    },
  };
}
