import { RawState } from '../model/resultModel';

/**
 * Three-valued all-of (scorecards §2.5): any fail → fail; else any unknown → unknown;
 * else all not-applicable → not-applicable; else pass.
 */
export function combineAllOf(states: readonly RawState[]): RawState {
  let unknown = false;
  let allNa = true;
  for (const s of states) {
    if (s === 'fail') return 'fail';
    if (s === 'unknown') unknown = true;
    if (s !== 'not-applicable') allNa = false;
  }
  if (unknown) return 'unknown';
  return allNa ? 'not-applicable' : 'pass';
}

/**
 * Three-valued any-of (scorecards §2.5): any pass → pass; else any unknown → unknown; else fail.
 * A not-applicable input is no alternative that holds, so when every input is not applicable
 * the result is `fail` (the note's "else fail"; all-of differs, naming that case).
 */
export function combineAnyOf(states: readonly RawState[]): RawState {
  let unknown = false;
  for (const s of states) {
    if (s === 'pass') return 'pass';
    if (s === 'unknown') unknown = true;
  }
  return unknown ? 'unknown' : 'fail';
}
