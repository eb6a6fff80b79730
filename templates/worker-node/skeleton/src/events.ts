// Structured events, one JSON line each (golden-paths.md §3.2): job.started, job.planned,
// job.applied and job.failed, every one with run_id, attempt and idempotency_key so a run can be
// followed across retries and correlated with the platform's records.

export type JobEventName =
  | 'job.started'
  | 'job.planned'
  | 'job.applied'
  | 'job.failed';

export interface RunContext {
  /** One id per process start (RUN_ID from the scheduler, else a random UUID). */
  runId: string;
  /** 1 for the first try of this run, 2 for the scheduler's first retry, … */
  attempt: number;
  /** What the run covers (job and window); the same for every retry of the same work. */
  idempotencyKey: string;
}

export type EventSink = (line: string) => void;

export type Emit = (
  event: JobEventName,
  fields?: Record<string, unknown>,
) => void;

const stdout: EventSink = line => {
  process.stdout.write(`${line}\n`);
};

export function createEmitter(
  service: string,
  run: RunContext,
  sink: EventSink = stdout,
): Emit {
  return (event, fields = {}) => {
    sink(
      JSON.stringify({
        ts: new Date().toISOString(),
        level: event === 'job.failed' ? 'error' : 'info',
        event,
        service,
        run_id: run.runId,
        attempt: run.attempt,
        idempotency_key: run.idempotencyKey,
        ...fields,
      }),
    );
  };
}
