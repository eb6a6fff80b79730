import { RolloutPhase } from '../model/checkModel';

const DAY_MS = 86400000;

/** Days a check should observe before it counts toward levels (§2.4, `ours`). */
export const MIN_OBSERVE_DAYS = 30;

/**
 * Why a check's rollout goes against the guidance of §2.4:
 * - `no-observe-phase`: the rollout starts in a counting phase (remediate, enforce-new or gate);
 * - `observe-too-short`: an observe phase lasts less than {@link MIN_OBSERVE_DAYS} days before
 *   the next phase;
 * - `gate-not-ready`: the check gates now but is not gate-ready;
 * - `gate-scheduled-not-ready`: the check is scheduled to gate and is not gate-ready now.
 */
export type RolloutGuidanceCode =
  | 'no-observe-phase'
  | 'observe-too-short'
  | 'gate-not-ready'
  | 'gate-scheduled-not-ready';

/** One guidance warning about a check's rollout, shown on the checks page. */
export interface RolloutGuidanceWarning {
  code: RolloutGuidanceCode;
  /** One sentence naming the phase, its date and what to change. */
  message: string;
  /** The rollout entry the warning is about. */
  phase: RolloutPhase;
  from: string;
}

/** What the rule reads of a check: its definition's rollout and retirement, and its gate readiness. */
export interface RolloutGuidanceInput {
  rollout: readonly { phase: RolloutPhase; from: string }[];
  retiresAt?: string;
  gateReady: boolean;
  /** Why the check is not gate-ready (`CheckSummary.gateReadyReasons`). */
  gateReadyReasons?: readonly string[];
}

function days(ms: number): string {
  const d = Math.round((ms / DAY_MS) * 10) / 10;
  return `${d} ${d === 1 ? 'day' : 'days'}`;
}

function notReady(reasons: readonly string[] | undefined): string {
  return reasons && reasons.length > 0
    ? `not gate-ready: ${reasons.join('; ')}`
    : 'not gate-ready';
}

/**
 * Guidance warnings of §2.4 (`ours`) for one check at `now`: observe for at least 30 days before
 * the check counts (a rollout that starts in remediate, enforce-new or gate has no observe
 * phase; exactly 30 days is enough), and enter `gate` only when gate-ready — warned while the
 * check gates and while a gate entry is scheduled (readiness as of now). A check retired at
 * `now` gets none, and a gate entry on or after the retirement date is never reached.
 * Warnings are in rollout order; the rule never changes a phase.
 */
export function rolloutGuidance(
  check: RolloutGuidanceInput,
  now: string | number,
): RolloutGuidanceWarning[] {
  const nowMs = typeof now === 'number' ? now : Date.parse(now);
  const retiresMs = check.retiresAt ? Date.parse(check.retiresAt) : null;
  if (retiresMs !== null && retiresMs <= nowMs) return [];
  const steps = check.rollout.map(s => ({ ...s, ms: Date.parse(s.from) }));
  let current = -1;
  steps.forEach((s, i) => {
    if (s.ms <= nowMs) current = i;
  });

  const warnings: RolloutGuidanceWarning[] = [];
  steps.forEach((step, i) => {
    const prev = i > 0 ? steps[i - 1] : undefined;
    if (step.phase !== 'observe' && !prev) {
      warnings.push({
        code: 'no-observe-phase',
        message: `starts in ${step.phase} on ${step.from} without an observe phase; observe for at least ${MIN_OBSERVE_DAYS} days before the check counts`,
        phase: step.phase,
        from: step.from,
      });
    } else if (
      step.phase !== 'observe' &&
      prev?.phase === 'observe' &&
      step.ms - prev.ms < MIN_OBSERVE_DAYS * DAY_MS
    ) {
      warnings.push({
        code: 'observe-too-short',
        message: `observes for ${days(step.ms - prev.ms)} (from ${
          prev.from
        }) before ${step.phase} on ${
          step.from
        }; observe for at least ${MIN_OBSERVE_DAYS} days before the check counts`,
        phase: step.phase,
        from: step.from,
      });
    }
    if (step.phase !== 'gate' || check.gateReady) return;
    if (i === current) {
      warnings.push({
        code: 'gate-not-ready',
        message: `gates since ${step.from} but is ${notReady(
          check.gateReadyReasons,
        )}`,
        phase: step.phase,
        from: step.from,
      });
    } else if (i > current && (retiresMs === null || step.ms < retiresMs)) {
      warnings.push({
        code: 'gate-scheduled-not-ready',
        message: `is scheduled to gate on ${step.from} but is ${notReady(
          check.gateReadyReasons,
        )}`,
        phase: step.phase,
        from: step.from,
      });
    }
  });
  return warnings;
}
