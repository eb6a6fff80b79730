/**
 * When time alone could next change an evaluation, so that the catalog module can reuse it until
 * then instead of for a fixed few minutes (§7.5: an unchanged entity is revisited every
 * 100–150 s).
 *
 * An evaluation is a pure function of its inputs and `now`. Every comparison of `now` with an
 * instant (evidence turning stale, a ledger or traffic window closing, a retirement date, a
 * waiver's expiry, a rollout phase, a record from the future coming within the allowed skew)
 * goes through `stillHolds` or `reachedYet`, which note the first instant at which that
 * comparison could answer differently. Until the earliest noted instant every comparison answers
 * as it did, so every outcome is the same; only the ages shown in explanations move.
 *
 * Notes are collected while an evaluation runs inside `collectTimeLimit`; evaluations are
 * synchronous, so one running value per process is enough (as `collectCatalogReads`). A check
 * type that does not declare `notesTimeLimits` may compare `nowMs` without telling: running one
 * makes the collection incomplete, and the caller then falls back to a short fixed reuse.
 */

let depth = 0;
let earliest = Number.POSITIVE_INFINITY;
let complete = true;

/** What a collection found: the value, the earliest noted instant, and whether it is complete. */
export interface TimeLimited<T> {
  value: T;
  /** The first instant (ms) at which a comparison with `now` could answer differently. */
  untilMs: number;
  /** False when a check type that does not note its time limits ran. */
  complete: boolean;
}

/** Runs `fn`, collecting the time limits it notes; nested collections also count outside. */
export function collectTimeLimit<T>(fn: () => T): TimeLimited<T> {
  const outerEarliest = earliest;
  const outerComplete = complete;
  earliest = Number.POSITIVE_INFINITY;
  complete = true;
  depth++;
  try {
    const value = fn();
    return { value, untilMs: earliest, complete };
  } finally {
    // Also on a throw: whatever the inner computation compared still counts outside, and
    // nothing is left over once the outermost collection ends.
    depth--;
    if (depth === 0) {
      earliest = Number.POSITIVE_INFINITY;
      complete = true;
    } else {
      earliest = Math.min(outerEarliest, earliest);
      complete = outerComplete && complete;
    }
  }
}

/** Whether a collection is running (notes are free otherwise). */
function collecting(): boolean {
  return depth > 0;
}

function note(nowMs: number, instantMs: number): void {
  // Rounded down: a float sum such as observedAt + window may be a hair off either way, and the
  // floor is never after the first whole millisecond at which the comparison could answer
  // differently (at worst a millisecond before it). Never at or before now: a comparison right
  // at its boundary answers differently a millisecond later. A limit that is not a number ends
  // the reuse a millisecond later too.
  const at = Math.floor(instantMs);
  const limit = at > nowMs ? at : nowMs + 1;
  if (limit < earliest) earliest = limit;
}

/**
 * Returns `holds`, a comparison with `now` that is true until about `lastMs` and false for good
 * after it (`nowMs - observedMs <= windowMs`, i.e. `nowMs <= observedMs + windowMs`); while it
 * holds, notes that it may stop holding after `lastMs` (noted as `lastMs` itself: one
 * millisecond early at whole milliseconds, never late whatever the float rounding).
 */
export function stillHolds(
  holds: boolean,
  nowMs: number,
  lastMs: number,
): boolean {
  if (holds && collecting()) note(nowMs, lastMs);
  return holds;
}

/**
 * Returns `reached`, a comparison with `now` that is false until `instantMs` and true for good
 * from it (`nowMs >= retireMs`); while it is not reached, notes that it may be from `instantMs`.
 */
export function reachedYet(
  reached: boolean,
  nowMs: number,
  instantMs: number,
): boolean {
  if (!reached && collecting()) note(nowMs, instantMs);
  return reached;
}

/**
 * Tells a running collection that a check type runs: one that does not declare
 * `notesTimeLimits` may compare `now` without noting it, so the collection is incomplete.
 */
export function noteCheckTypeRun(type: { notesTimeLimits?: true }): void {
  if (type.notesTimeLimits !== true && collecting()) complete = false;
}
