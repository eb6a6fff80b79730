import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { openClaimStore, type ClaimStore } from './claims.ts';
import { createEmitter, type EventSink } from './events.ts';
import { EXIT, type ExitCode } from './exitCodes.ts';
import {
  defaultWindow,
  JOB_NAME,
  MAX_RUNTIME_MINUTES,
  operationKey,
  runKey,
  type Window,
} from './operations.ts';
import {
  DependencyError,
  work as defaultWork,
  type Unit,
  type Work,
} from './work.ts';

// One run of the worker (golden-paths.md §3.2):
//   (a) every unit of work has an operation key from its business identity and is claimed in a
//       durable table; a unit another run already did returns that run's result;
//   (b) --dry-run runs the same planning code as the real run and changes nothing;
//   (c) the exit code says how the run ended (src/exitCodes.ts);
//   (d) job.started / job.planned / job.applied / job.failed events with run_id, attempt and
//       idempotency_key.

const USAGE = `Usage: ${JOB_NAME} [--dry-run] [--from <ISO instant> --to <ISO instant>]
  --dry-run        plan only: report what would be done, change nothing (exit 10 if there is work)
  --from, --to     the window to process (default: the last full hour, UTC); use for backfills
  --run-id <id>    run id (default: RUN_ID, else a random UUID)
  --attempt <n>    attempt of this run (default: JOB_ATTEMPT, else 1)
  --state <path>   claim table (default: JOB_STATE_DB; outside production, else .job-state.sqlite)`;

/** The claim table of a local run (npm run dry-run, a developer's backfill): in the cwd. */
const LOCAL_STATE_DB = '.job-state.sqlite';

// In production (NODE_ENV=production, set by the image) the claim table is the only record of
// work already done: a file in the container's own filesystem is gone with the pod, and the next
// run would do every unit again. So production never falls back to the cwd default.
export const STATE_REQUIRED =
  'JOB_STATE_DB is not set: in production the claim table must live on a persistent volume. ' +
  'Mount a persistent volume (the image declares /var/lib/job) and set ' +
  'JOB_STATE_DB=/var/lib/job/claims.sqlite, or pass --state <path on that volume>.';

export interface PlannedOperation {
  operationKey: string;
  unit: Unit;
  action: 'apply' | 'skip';
  reason?: string;
}

export interface RunPlan {
  window: Window;
  operations: PlannedOperation[];
  /** Operations that would change something. */
  changes: number;
}

export interface JobDeps {
  work: Work;
  now: () => Date;
  sink?: EventSink;
  env: Record<string, string | undefined>;
}

class UsageError extends Error {}

interface Options {
  dryRun: boolean;
  window: Window;
  runId: string;
  attempt: number;
  /** Undefined when neither --state nor JOB_STATE_DB names one. */
  statePath: string | undefined;
}

function parseOptions(
  argv: string[],
  env: JobDeps['env'],
  now: Date,
): Options | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        'dry-run': { type: 'boolean', default: false },
        from: { type: 'string' },
        to: { type: 'string' },
        'run-id': { type: 'string' },
        attempt: { type: 'string' },
        state: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values.help) return 'help';
  if ((values.from === undefined) !== (values.to === undefined)) {
    throw new UsageError('--from and --to go together');
  }
  const window =
    values.from !== undefined && values.to !== undefined
      ? { from: values.from, to: values.to }
      : defaultWindow(now);
  const from = Date.parse(window.from);
  const to = Date.parse(window.to);
  if (Number.isNaN(from) || Number.isNaN(to) || from >= to) {
    throw new UsageError('--from must be an ISO instant before --to');
  }
  const attempt = Number(values.attempt ?? env.JOB_ATTEMPT ?? '1');
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new UsageError('--attempt must be a positive integer');
  }
  return {
    dryRun: values['dry-run'] === true,
    window: {
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
    },
    runId: values['run-id'] ?? env.RUN_ID ?? randomUUID(),
    attempt,
    statePath: values.state ?? (env.JOB_STATE_DB || undefined),
  };
}

/**
 * What a run would do. Read-only (it only peeks at the claim table), and the one planning path
 * for both the dry run and the real run.
 */
export function planRun(
  window: Window,
  units: Unit[],
  claims: Pick<ClaimStore, 'peek'>,
): RunPlan {
  const operations = units.map((unit): PlannedOperation => {
    const key = operationKey(unit.id);
    const recorded = claims.peek(key);
    return recorded?.status === 'done'
      ? { operationKey: key, unit, action: 'skip', reason: 'already done' }
      : { operationKey: key, unit, action: 'apply' };
  });
  return {
    window,
    operations,
    changes: operations.filter(o => o.action === 'apply').length,
  };
}

/** Runs the job once and returns its exit code; never throws. */
export async function run(
  argv: string[],
  deps: Partial<JobDeps> = {},
): Promise<ExitCode> {
  const work = deps.work ?? defaultWork;
  const now = deps.now ?? (() => new Date());
  const env = deps.env ?? process.env;

  let options: Options | 'help';
  try {
    options = parseOptions(argv, env, now());
  } catch (e) {
    const emit = createEmitter(
      JOB_NAME,
      {
        runId: env.RUN_ID ?? randomUUID(),
        attempt: 1,
        idempotencyKey: JOB_NAME,
      },
      deps.sink,
    );
    emit('job.failed', {
      reason: 'bad-arguments',
      error: (e as Error).message,
    });
    process.stderr.write(`${USAGE}\n`);
    return EXIT.badArguments;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }

  const { dryRun, window, runId, attempt } = options;
  const emit = createEmitter(
    JOB_NAME,
    { runId, attempt, idempotencyKey: runKey(window) },
    deps.sink,
  );
  emit('job.started', { dry_run: dryRun, window });

  const statePath =
    options.statePath ??
    (env.NODE_ENV === 'production' ? undefined : LOCAL_STATE_DB);
  if (statePath === undefined) {
    emit('job.failed', { reason: 'config', error: STATE_REQUIRED });
    return EXIT.badArguments;
  }

  if (env.JOB_PAUSED === 'true') {
    emit('job.planned', { paused: true, units: 0, changes: 0 });
    return EXIT.ok;
  }

  let claims: ClaimStore;
  try {
    claims = openClaimStore(statePath, MAX_RUNTIME_MINUTES);
  } catch (e) {
    emit('job.failed', { reason: 'config', error: (e as Error).message });
    return EXIT.badArguments;
  }

  try {
    let units: Unit[];
    try {
      units = await work.loadUnits(window);
    } catch (e) {
      const dependency = e instanceof DependencyError ? e.dependency : 'source';
      emit('job.failed', {
        reason: 'dependency',
        dependency,
        error: (e as Error).message,
      });
      return EXIT.dependencyFailure;
    }

    // Everything is validated before the first change (exit 3 leaves no half-done run).
    const invalid = units
      .map(unit => ({ unit: unit.id, problem: work.validateUnit(unit) }))
      .filter((u): u is { unit: string; problem: string } => !!u.problem);
    if (invalid.length) {
      emit('job.failed', { reason: 'validation', invalid });
      return EXIT.validationFailed;
    }

    const plan = planRun(window, units, claims);
    emit('job.planned', {
      dry_run: dryRun,
      units: units.length,
      changes: plan.changes,
      operations: plan.operations.map(o => ({
        operation_key: o.operationKey,
        action: o.action,
        ...(o.reason ? { reason: o.reason } : {}),
      })),
    });
    if (dryRun) return plan.changes > 0 ? EXIT.dryRunChanges : EXIT.ok;

    let applied = 0;
    let skipped = 0;
    let busy = 0;
    const failures: {
      operation_key: string;
      error: string;
      dependency?: string;
    }[] = [];
    for (const op of plan.operations) {
      if (op.action === 'skip') {
        skipped++;
        continue;
      }
      const claim = claims.claim(op.operationKey, runId, now());
      if (claim.status === 'done') {
        // Another run finished it since we planned: its result stands.
        skipped++;
        continue;
      }
      if (claim.status === 'busy') {
        busy++;
        continue;
      }
      try {
        const result = await work.applyUnit(op.unit);
        claims.complete(op.operationKey, runId, result, now());
        applied++;
      } catch (e) {
        claims.fail(op.operationKey, runId, (e as Error).message, now());
        failures.push({
          operation_key: op.operationKey,
          error: (e as Error).message,
          ...(e instanceof DependencyError ? { dependency: e.dependency } : {}),
        });
      }
    }

    const counts = { applied, skipped, busy, failed: failures.length };
    if (failures.length === 0) {
      emit('job.applied', counts);
      return EXIT.ok;
    }
    if (applied + skipped > 0) {
      emit('job.applied', counts);
      emit('job.failed', { reason: 'partial', ...counts, failures });
      return EXIT.partialSuccess;
    }
    const allDependencies = failures.every(f => f.dependency !== undefined);
    emit('job.failed', {
      reason: allDependencies ? 'dependency' : 'unexpected',
      ...counts,
      failures,
    });
    return allDependencies ? EXIT.dependencyFailure : EXIT.unexpected;
  } catch (e) {
    emit('job.failed', { reason: 'unexpected', error: (e as Error).message });
    return EXIT.unexpected;
  } finally {
    claims.close();
  }
}

if (import.meta.main) {
  process.exitCode = await run(process.argv.slice(2));
}
