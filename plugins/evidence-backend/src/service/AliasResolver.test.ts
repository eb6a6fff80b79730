import { entity } from '../__testUtils__/startEvidenceTestBackend';
import { AliasResolver } from './AliasResolver';

describe('AliasResolver (§2.1)', () => {
  const build = (config: Record<string, string> = {}) => {
    const resolver = new AliasResolver(config);
    resolver.rebuild([
      entity('Component', 'checkout-service', {
        'ops.example.com/aliases': 'checkout, checkout-api',
        'github.com/project-slug': 'acme/checkout',
      }),
      entity('Component', 'cart-service', {
        'ops.example.com/aliases': 'checkout',
        'backstage.io/source-location':
          'url:https://github.com/acme/checkout/tree/main/cart/',
      }),
      entity('Resource', 'orders-db'),
      entity('Component', 'payment-service', { 'argocd/app-name': 'pay' }),
      entity('Group', 'payments-team'),
    ]);
    return resolver;
  };

  it.each([
    ['explicit claim', 'checkout-api', 'component:default/checkout-service'],
    ['implicit unique name', 'orders-db', 'resource:default/orders-db'],
    ['argocd app name', 'PAY', 'component:default/payment-service'],
  ])('resolves an %s', (_name, alias, ref) => {
    expect(build().resolveSubject(`alias:${alias.toLowerCase()}`)).toEqual({
      entityRef: ref,
      resolution: 'resolved',
    });
  });

  it('voids a name two entities claim at one level (EV10)', () => {
    const result = build().resolveSubject('alias:checkout');
    expect(result).toMatchObject({
      entityRef: null,
      resolution: 'unresolved',
      warning: { code: 'ALIAS_CONFLICT' },
    });
    expect(result.warning?.message).toContain(
      'component:default/cart-service, component:default/checkout-service',
    );
    expect(build().resolveAlias('checkout')).toEqual({
      ref: null,
      conflict: true,
    });
  });

  it('lets evidence.aliases win over a conflict', () => {
    expect(
      build({ checkout: 'component:default/checkout-service' }).resolveSubject(
        'alias:checkout',
      ).entityRef,
    ).toBe('component:default/checkout-service');
  });

  it('keeps unknown refs unresolved with UNKNOWN_ENTITY', () => {
    expect(
      build().resolveSubject('component:default/promo-engine'),
    ).toMatchObject({
      entityRef: 'component:default/promo-engine',
      resolution: 'unresolved',
      // not an error: another replica may have the entity already (each reads every 60 s)
      warning: {
        code: 'UNKNOWN_ENTITY',
        message:
          'entityRef "component:default/promo-engine" is not in the catalog as last read (every 60 s); stored as unresolved, and attached without re-posting once the catalog has it',
      },
    });
  });

  it('marks a repository claimed twice as ambiguous (EV24)', () => {
    expect(
      build().resolveSubject('repo:github.com/acme/checkout'),
    ).toMatchObject({
      entityRef: null,
      warning: { code: 'AMBIGUOUS_REPOSITORY' },
    });
  });

  it('a repository newly claimed is a change of the map (re-resolution reads old repo: rows after one)', () => {
    const resolver = new AliasResolver();
    resolver.rebuild([entity('Component', 'checkout-service')]);
    const before = resolver.version;
    expect(
      resolver.resolveSubject('repo:github.com/acme/checkout'),
    ).toMatchObject({
      resolution: 'unresolved',
    });
    expect(
      resolver.rebuild([
        entity('Component', 'checkout-service', {
          'github.com/project-slug': 'acme/checkout',
        }),
      ]),
    ).toBe(true);
    expect(resolver.version).toBe(before + 1);
    expect(
      resolver.resolveSubject('repo:github.com/acme/checkout'),
    ).toMatchObject({
      entityRef: 'component:default/checkout-service',
      resolution: 'resolved',
    });
    // edges are mapped by aliases only: a repository claim alone does not re-map them
    const aliasesBefore = resolver.aliasVersion;
    expect(
      resolver.rebuild([
        entity('Component', 'checkout-service', {
          'github.com/project-slug': 'acme/checkout-v2',
        }),
      ]),
    ).toBe(true);
    expect(resolver.aliasVersion).toBe(aliasesBefore);
    resolver.rebuild([
      entity('Component', 'checkout-service', {
        'github.com/project-slug': 'acme/checkout',
        'ops.example.com/aliases': 'checkout',
      }),
    ]);
    expect(resolver.aliasVersion).toBe(aliasesBefore + 1);
  });

  it('refreshes from a fake catalog and reports changes', async () => {
    const resolver = new AliasResolver();
    expect(resolver.isLoaded).toBe(false);
    expect(await resolver.refresh(async () => [entity('Component', 'a')])).toBe(
      true,
    );
    expect(await resolver.refresh(async () => [entity('Component', 'a')])).toBe(
      false,
    );
    expect(resolver.exists('component:default/a')).toBe(true);
  });
});
