import {
  canonicalEnvironment,
  resolveChangeEnvironment,
} from './canonicalEnvironment';

describe('canonicalEnvironment (§3.5, EV34, R-7)', () => {
  it.each([
    ['prod', 'production'],
    ['PRD', 'production'],
    ['production', 'production'],
    ['Production', 'production'],
    ['stage', 'staging'],
    ['stg', 'staging'],
    ['staging', 'staging'],
    ['dev', 'dev'],
    ['QA-East', 'qa-east'],
  ])('%s → %s', (raw, canonical) => {
    expect(canonicalEnvironment(raw)).toBe(canonical);
  });

  // Names of Object.prototype members are environments like any other, not its members.
  it.each([
    ['constructor', 'constructor'],
    ['Constructor', 'constructor'],
    ['__proto__', '__proto__'],
    ['toString', 'tostring'],
    ['hasOwnProperty', 'hasownproperty'],
  ])('%s → %s', (raw, canonical) => {
    expect(canonicalEnvironment(raw)).toBe(canonical);
    expect(resolveChangeEnvironment(raw).environment).toBe(canonical);
  });

  it.each<[string | undefined, object]>([
    [undefined, { environment: 'production' }],
    ['production', { environment: 'production' }],
    ['prod', { environment: 'production', environmentRaw: 'prod' }],
    ['Staging', { environment: 'staging', environmentRaw: 'Staging' }],
    ['dev', { environment: 'dev' }],
  ])('stores %s as %o', (raw, expected) => {
    expect(resolveChangeEnvironment(raw)).toEqual(expected);
  });
});
