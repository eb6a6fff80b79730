import { templateStepsOf } from './templateSteps';

describe('templateStepsOf', () => {
  it.each([
    ['no entity', undefined, undefined],
    ['no spec', {}, undefined],
    ['steps not a list', { spec: { steps: 'publish' } }, undefined],
    ['an empty list', { spec: { steps: [] } }, []],
    [
      'ids kept, a missing id named by its position among the steps with an action',
      {
        spec: {
          steps: [
            { id: 'validate', action: 'goldenpath:validate' },
            { action: 'goldenpath:publish:git' },
            null,
            { id: 'no-action' },
            { id: 7, action: 'goldenpath:register' },
          ],
        },
      },
      [
        { id: 'validate', action: 'goldenpath:validate' },
        { id: 'step-2', action: 'goldenpath:publish:git' },
        { id: 'step-3', action: 'goldenpath:register' },
      ],
    ],
  ])('%s', (_name, template, expected) => {
    expect(templateStepsOf(template)).toEqual(expected);
  });
});
