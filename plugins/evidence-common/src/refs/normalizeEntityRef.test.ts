import { normalizeEntityRef, subjectOf } from './normalizeEntityRef';

describe('normalizeEntityRef (§2.1)', () => {
  it.each<[string, string | undefined]>([
    [
      'component:default/checkout-service',
      'component:default/checkout-service',
    ],
    [
      'Component:Default/Checkout-Service',
      'component:default/checkout-service',
    ],
    ['  resource:default/checkout-db ', 'resource:default/checkout-db'],
    ['component:checkout', undefined],
    ['checkout-service', undefined],
    ['component:default/', undefined],
    ['component:default/a/b', undefined],
    ['component:default/-bad', undefined],
    [`component:default/${'a'.repeat(64)}`, undefined],
    ['component:default/bad-', undefined],
    ['component:default/a b', undefined],
    // separators may repeat, as in the catalog's own validation
    ['component:default/checkout--v2', 'component:default/checkout--v2'],
    ['Resource:Team_A/etl__daily.v1', 'resource:team_a/etl__daily.v1'],
    [
      `component:default/${'a'.repeat(63)}`,
      `component:default/${'a'.repeat(63)}`,
    ],
  ])('%s → %s', (ref, expected) => {
    expect(normalizeEntityRef(ref)).toBe(expected);
  });

  it.each<[Parameters<typeof subjectOf>[0], string]>([
    [{ entityRef: 'Component:default/X' }, 'component:default/x'],
    [{ alias: 'Checkout' }, 'alias:checkout'],
    [{ repository: 'github.com/Acme/Cart' }, 'repo:github.com/acme/cart'],
  ])('subject of %o is %s', (input, subject) => {
    expect(subjectOf(input)).toBe(subject);
  });
});
