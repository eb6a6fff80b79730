import { isEntityRef } from './isEntityRef';

describe('isEntityRef', () => {
  it.each([
    ['group:default/checkout-team', true],
    ['template:default/service-node-http', true],
    ['user:dara.singh', true],
    ['(none)', false],
    ['', false],
    ['group:', false],
  ])('%s: %s', (value, expected) => {
    expect(isEntityRef(value)).toBe(expected);
  });
});
