import { RawOutcome } from '../model/resultModel';

/** Whether the value is one of the four raw states (compared, not looked up in a set). */
function isRawState(value: unknown): boolean {
  return (
    value === 'pass' ||
    value === 'fail' ||
    value === 'unknown' ||
    value === 'not-applicable'
  );
}

/**
 * Longest reason code an outcome may carry: the scorecards backend keeps each result's reason
 * in `varchar(64)` columns of its history, which PostgreSQL enforces — one longer reason would
 * fail the whole batch of results it arrives in.
 */
export const MAX_REASON_LENGTH = 64;

/** Thrown when a check type returns something the engine cannot score. */
export class MalformedOutcomeError extends Error {
  constructor(typeId: string, problem: string) {
    super(`check type ${typeId} returned a malformed outcome: ${problem}`);
    this.name = 'MalformedOutcomeError';
  }
}

function isThenable(value: object): boolean {
  return typeof (value as { then?: unknown }).then === 'function';
}

/**
 * What is wrong with a value a check type returned as its outcome, or null when the engine can
 * score it. Extension types are code the platform team does not review, and TypeScript does not
 * bind them at run time: a wrong state would be scored as a fail, a missing list would throw
 * while the result is built, and both would reach every entity (SR33).
 */
export function outcomeProblem(value: unknown): string | null {
  if (value === null || typeof value !== 'object')
    return `got ${value === null ? 'null' : typeof value} instead of an object`;
  if (isThenable(value)) {
    // A rejected promise nobody listens to ends a Node process; the outcome is refused anyway.
    Promise.resolve(value).catch(() => undefined);
    return 'got a Promise; evaluate must return its outcome synchronously';
  }
  const outcome = value as Record<string, unknown>;
  if (!isRawState(outcome.state))
    return `state ${JSON.stringify(
      outcome.state,
    )} is not one of pass, fail, unknown, not-applicable`;
  // Every outcome of every check passes here: each field is read by name, since a read keyed by
  // a loop over the four names is a generic (megamorphic) lookup each time.
  if (typeof outcome.reason !== 'string') return 'reason is not a string';
  if (outcome.reason.length > MAX_REASON_LENGTH)
    return `reason is longer than ${MAX_REASON_LENGTH} characters; it is a code such as FIELD_MISSING, the message says the rest`;
  if (typeof outcome.message !== 'string') return 'message is not a string';
  if (typeof outcome.expected !== 'string') return 'expected is not a string';
  if (typeof outcome.found !== 'string') return 'found is not a string';
  if (!Array.isArray(outcome.evidence)) return 'evidence is not an array';
  if (!Array.isArray(outcome.missing)) return 'missing is not an array';
  if (outcome.notes !== undefined && !Array.isArray(outcome.notes))
    return 'notes is not an array';
  return null;
}

/** The value as an outcome, or a `MalformedOutcomeError` naming the type and the problem. */
export function checkedOutcome(typeId: string, value: unknown): RawOutcome {
  const problem = outcomeProblem(value);
  if (problem !== null) throw new MalformedOutcomeError(typeId, problem);
  return value as RawOutcome;
}
