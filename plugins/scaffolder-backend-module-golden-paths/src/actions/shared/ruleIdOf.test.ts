import { ruleIdOf } from './ruleIdOf';

describe('ruleIdOf', () => {
  it.each<[unknown, string | undefined]>([
    [new Error('GP-K02: The action is switched off.'), 'GP-K02'],
    ['GP-A03: The plan changed.', 'GP-A03'],
    [new Error('not a rule: GP-K02 later in the text'), undefined],
    [new Error('GP-K2: too short'), undefined],
    [undefined, undefined],
    [{ message: 42 }, undefined],
  ])('%p → %p', (error, expected) => {
    expect(ruleIdOf(error)).toBe(expected);
  });
});
