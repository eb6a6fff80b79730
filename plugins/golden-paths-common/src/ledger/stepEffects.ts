/**
 * The step statuses (§4.4 step records) that say the step's effect does not exist now:
 * - `failed`: the action reported that it failed (compensation treats a failed step as having
 *   nothing to undo, and a claim that ran no effect is recorded `failed`);
 * - `compensated`: a compensation or repair undid the effect; a rerun does the step again.
 *
 * Every other status counts as an effect that may exist: `done` recorded one, and a `claimed`
 * step (still running, or cut off mid-effect) may have made one that cannot be told.
 */
const NO_EFFECT: ReadonlySet<string> = new Set(['failed', 'compensated']);

/**
 * Whether any of a request's ledger steps may have left an effect, which decides GP-K02's ending
 * the same way at validate and at ledger:open (§4.7, V19): "earlier steps are recorded under
 * request … and resume" when one may have, else "Nothing was created". A status this list does
 * not know counts as an effect, so "nothing was created" is said only when it is known.
 *
 * @public
 */
export function stepsLeftEffects(
  steps: readonly { status: string }[] | undefined,
): boolean {
  return (steps ?? []).some(s => !NO_EFFECT.has(s.status));
}
