import { CiRunInput } from '../schemas/ciRunInput';
import {
  MS_PER_SECOND,
  SECONDS_PER_DAY,
  timestampMs,
  toIsoTimestamp,
} from '../time/timestamps';

/**
 * Window of the `ci.summary` fact, in days.
 *
 * @public
 */
export const CI_SUMMARY_WINDOW_DAYS = 30;

/**
 * Value of the `ci.summary` fact (§2.2, §2.5).
 *
 * @public
 */
export interface CiSummaryValue {
  windowDays: number;
  /** Units that passed or failed; cancelled, skipped and neutral runs leave the denominator. */
  runs: number;
  passed: number;
  failed: number;
  flaky: number;
  passRate: number | null;
  flakeRate: number | null;
  newestRunAt: string | null;
  queueP50Ms: number | null;
  /** Failed units by failure domain; a failure without one counts under `unclassified`. */
  byFailureDomain: Record<string, number>;
}

type CiRun = Pick<
  CiRunInput,
  | 'provider'
  | 'runId'
  | 'attempt'
  | 'workflow'
  | 'defaultBranch'
  | 'commitSha'
  | 'status'
  | 'conclusion'
  | 'queuedAt'
  | 'startedAt'
  | 'finishedAt'
  | 'failureDomain'
>;

const FAILED = new Set(['failure', 'timed_out']);

function isFailed(run: CiRun): boolean {
  return run.status === 'completed' && FAILED.has(run.conclusion ?? '');
}

function finishedMs(run: CiRun): number {
  return run.finishedAt ? timestampMs(run.finishedAt) : -Infinity;
}

/**
 * Derives the `ci.summary` value from CI runs at `now` (§2.5): default branch, 30-day window,
 * one unit per run at its highest completed attempt, flaky = passed after a failure of the same
 * run or of the same workflow on the same commit. `observedAt` is the newest unit's finish.
 *
 * @public
 */
export function summarizeCiRuns(
  runs: readonly CiRun[],
  now: string,
): { value: CiSummaryValue; observedAt: string | null } {
  const nowMs = timestampMs(now);
  const windowStart =
    nowMs - CI_SUMMARY_WINDOW_DAYS * SECONDS_PER_DAY * MS_PER_SECOND;
  const completed = runs.filter(
    r =>
      r.defaultBranch && r.status === 'completed' && r.finishedAt !== undefined,
  );

  // One unit per (provider, runId): its highest completed attempt.
  const units = new Map<string, CiRun>();
  for (const run of completed) {
    const id = JSON.stringify([run.provider, run.runId]);
    const current = units.get(id);
    if (!current || run.attempt > current.attempt) units.set(id, run);
  }

  let passed = 0;
  let failed = 0;
  let flaky = 0;
  let newest = -Infinity;
  const queueMs: number[] = [];
  const byFailureDomain: Record<string, number> = {};

  for (const unit of units.values()) {
    const finished = finishedMs(unit);
    if (finished < windowStart || finished > nowMs) continue;
    newest = Math.max(newest, finished);
    if (unit.queuedAt && unit.startedAt) {
      queueMs.push(timestampMs(unit.startedAt) - timestampMs(unit.queuedAt));
    }
    if (unit.conclusion === 'success') {
      passed += 1;
      // Earlier failures are looked up across all default-branch runs, not only the window, so
      // a retry just inside the window is still recognised as flaky.
      const failedBefore = completed.some(
        other =>
          isFailed(other) &&
          ((other.provider === unit.provider &&
            other.runId === unit.runId &&
            other.attempt < unit.attempt) ||
            (other.workflow === unit.workflow &&
              other.commitSha === unit.commitSha &&
              !(
                other.provider === unit.provider && other.runId === unit.runId
              ) &&
              finishedMs(other) < finished)),
      );
      if (failedBefore) flaky += 1;
    } else if (isFailed(unit)) {
      failed += 1;
      const domain = unit.failureDomain ?? 'unclassified';
      byFailureDomain[domain] = (byFailureDomain[domain] ?? 0) + 1;
    }
  }

  const counted = passed + failed;
  queueMs.sort((a, b) => a - b);
  const observedAt = Number.isFinite(newest) ? toIsoTimestamp(newest) : null;
  return {
    value: {
      windowDays: CI_SUMMARY_WINDOW_DAYS,
      runs: counted,
      passed,
      failed,
      flaky,
      passRate: counted > 0 ? passed / counted : null,
      flakeRate: counted > 0 ? flaky / counted : null,
      newestRunAt: observedAt,
      // Lower median: an observed value, never an average of two.
      queueP50Ms:
        queueMs.length > 0
          ? queueMs[Math.floor((queueMs.length - 1) / 2)]
          : null,
      byFailureDomain,
    },
    observedAt,
  };
}
