import {
  ACTIONS,
  LOCAL_LOCATION_PREFIX,
  parsePublishRef,
  PlanStep,
  stepAction,
} from '../compensation/plan';

// §8 step 3 "Repair state": the operator marks a step `compensated` or fixes its `effect_ref`,
// with a reason. Pure: what the change would be, or why it is refused. The store applies it under
// the step's and the request's row locks (`GoldenPathsStore.repairStep`).

/** Body of `POST /requests/:key/steps/:step/repair` without the reason. */
export interface RepairBody {
  status?: 'compensated';
  effectRef?: string;
}

/** A `gp_steps` row as the repair reads it. */
export interface RepairableStep extends PlanStep {
  taskId?: string;
  attempt?: number;
}

export type RepairPlan =
  /** The step's new state (the effect_ref it keeps when the body names none). */
  | { outcome: 'change'; status: PlanStep['status']; effectRef?: string }
  /** The step already is in that state: nothing is written, nothing audited. */
  | { outcome: 'unchanged' }
  /** The step's state makes the change meaningless (409). */
  | { outcome: 'conflict'; message: string }
  /** The effect_ref has a shape nothing reads for this action (400). */
  | { outcome: 'invalid'; message: string };

/** A catalog location id, as compensation accepts it (`plan.ts`). */
const LOCATION_ID = /^[\w.:-]{1,128}$/;

/**
 * Compensation reads the effect_ref of publish and register steps (the repository to delete, the
 * location to remove); a fixed one must have the shape it parses, or the fix would quietly turn
 * the step into a manual item. Other actions' refs are only shown, so any text is taken.
 */
function effectRefProblem(action: string, ref: string): string | undefined {
  if (action === ACTIONS.publishGit && !parsePublishRef(ref)) {
    return `effectRef of a ${ACTIONS.publishGit} step must be "<repository>@<commit sha>" (40 or 64 hex characters), as publish records it`;
  }
  if (
    action === ACTIONS.register &&
    !(ref.startsWith(LOCAL_LOCATION_PREFIX)
      ? ref.length > LOCAL_LOCATION_PREFIX.length
      : LOCATION_ID.test(ref))
  ) {
    return `effectRef of a ${ACTIONS.register} step must be a catalog location id or "${LOCAL_LOCATION_PREFIX}<entity ref>", as register records it`;
  }
  return undefined;
}

/**
 * What a repair does to one step:
 * - `status: compensated` from `done` (its effect was undone by hand, e.g. a manual compensation
 *   item) or `failed` (what it left before failing was cleaned up by hand);
 * - `effectRef` on a step that is `done` or `compensated`, or together with `status: compensated`
 *   on a `failed` one (recording what was undone);
 * - a `claimed` step has no result yet (its task may still run): refused;
 * - the state the body asks for already holds: `unchanged` (no write, no audit record).
 */
export function planRepair(
  requestKey: string,
  step: RepairableStep,
  body: RepairBody,
): RepairPlan {
  const where = `step "${step.stepId}" of request "${requestKey}"`;
  if (step.status === 'claimed') {
    return {
      outcome: 'conflict',
      message: `${where} is claimed (attempt ${step.attempt ?? 1}, task ${
        step.taskId ?? 'unknown'
      }) and has no recorded result yet; repair it after its task finished or failed (switch the action off first to stop a running task, §8)`,
    };
  }
  if (step.status === 'failed' && !body.status) {
    return {
      outcome: 'conflict',
      message: `${where} failed: nothing reads the effect_ref of a failed step (compensation lists it for a human, a rerun claims it again). Send status "compensated" with it once what the step left is undone, or rerun the request`,
    };
  }
  if (body.effectRef !== undefined) {
    const problem = effectRefProblem(stepAction(step), body.effectRef);
    if (problem) return { outcome: 'invalid', message: problem };
  }
  const status = body.status ?? step.status;
  const effectRef = body.effectRef ?? step.effectRef;
  if (status === step.status && effectRef === step.effectRef) {
    return { outcome: 'unchanged' };
  }
  return { outcome: 'change', status, ...(effectRef ? { effectRef } : {}) };
}
