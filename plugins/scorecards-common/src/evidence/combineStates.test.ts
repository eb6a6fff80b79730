import { RawState } from '../model/resultModel';
import { combineAllOf, combineAnyOf } from './combineStates';

describe('three-valued combination (§2.5, SR6)', () => {
  it.each<[RawState[], RawState]>([
    [['pass', 'pass'], 'pass'],
    [['pass', 'fail', 'unknown'], 'fail'],
    [['pass', 'unknown'], 'unknown'],
    [['not-applicable', 'not-applicable'], 'not-applicable'],
    [['pass', 'not-applicable'], 'pass'],
  ])('all-of %j → %s', (states, expected) =>
    expect(combineAllOf(states)).toBe(expected),
  );

  it.each<[RawState[], RawState]>([
    [['fail', 'pass'], 'pass'],
    [['unknown', 'pass'], 'pass'],
    [['fail', 'unknown'], 'unknown'],
    [['fail', 'fail'], 'fail'],
    // §2.5 "else fail": no alternative holds, whether it failed or does not apply.
    [['not-applicable', 'not-applicable'], 'fail'],
    [['fail', 'not-applicable'], 'fail'],
    [['unknown', 'not-applicable'], 'unknown'],
    [['not-applicable', 'pass'], 'pass'],
  ])('any-of %j → %s', (states, expected) =>
    expect(combineAnyOf(states)).toBe(expected),
  );
});
