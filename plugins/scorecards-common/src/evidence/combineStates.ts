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
 * Not-applicable inputs are ignored; all of them not-applicable → not-applicable.
 */
export function combineAnyOf(states: readonly RawState[]): RawState {
  let unknown = false;
  let fail = false;
  for (const s of states) {
    if (s === 'pass') return 'pass';
    if (s === 'unknown') unknown = true;
    if (s === 'fail') fail = true;
  }
  if (unknown) return 'unknown';
  return fail ? 'fail' : 'not-applicable';
}
