import {
  CompiledCheck,
  CompiledRolloutStep,
} from '../standard/compiledStandard';

/** The phase of a check at `now`, or null before its first entry (inactive) (SR9). */
export function phaseAt(
  check: Pick<CompiledCheck, 'rollout'>,
  nowMs: number,
): { current: CompiledRolloutStep; next?: CompiledRolloutStep } | null {
  let index = -1;
  for (let i = 0; i < check.rollout.length; i++) {
    // Inclusive at `from`: a phase starting exactly now is in force.
    if (check.rollout[i].fromMs <= nowMs) index = i;
  }
  if (index < 0) return null;
  return { current: check.rollout[index], next: check.rollout[index + 1] };
}

/** Whether a check is retired at `now` (retiresAt ≤ now) (SR30). */
export function isRetired(
  check: Pick<CompiledCheck, 'retiresAtMs'>,
  nowMs: number,
): boolean {
  return check.retiresAtMs !== null && check.retiresAtMs <= nowMs;
}
