import { gpMessages } from './messages';

const dependents = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    ref: `component:default/client-${String(i).padStart(3, '0')}`,
    relation: 'dependsOn',
    lifecycle: 'production',
  }));

describe('lifecycle gate messages naming dependents (GP-L06, GP-L09)', () => {
  it('names a short list exactly as §7.2 and V32/V33 give it', () => {
    expect(
      gpMessages.l06({
        ref: 'component:default/pricing-service',
        dependents: [
          { ref: 'component:default/web-storefront', relation: 'dependsOn' },
        ],
      }),
    ).toBe(
      'GP-L06: component:default/pricing-service cannot be archived while 1 entity still depends on it: component:default/web-storefront (dependsOn).',
    );
    expect(
      gpMessages.l09({
        ref: 'component:default/coupon-service',
        dependents: [
          {
            ref: 'component:default/coupon-report',
            relation: 'dependsOn',
            lifecycle: 'archived',
          },
        ],
      }),
    ).toBe(
      'GP-L09: component:default/coupon-service cannot be deleted while 1 entity depends on it in the catalog graph: component:default/coupon-report (dependsOn, archived). Delete or re-point it first.',
    );
    // 15 are still all named
    const fifteen = gpMessages.l06({
      ref: 'component:default/db',
      dependents: dependents(15),
    });
    expect(fifteen).toContain('component:default/client-014 (dependsOn).');
    expect(fifteen).not.toContain('more');
  });

  it('names the first 15 of 500 dependents and counts the rest', () => {
    const l06 = gpMessages.l06({
      ref: 'component:default/db',
      dependents: dependents(500),
    });
    expect(l06).toBe(
      `GP-L06: component:default/db cannot be archived while 500 entities still depend on it: ${dependents(
        15,
      )
        .map(d => `${d.ref} (dependsOn)`)
        .join(', ')}, and 485 more.`,
    );
    expect(l06.length).toBeLessThan(1000);
    const l09 = gpMessages.l09({
      ref: 'component:default/db',
      dependents: [
        ...dependents(500),
        { ...dependents(1)[0], ref: 'component:x/secret', hidden: true },
      ],
    });
    expect(l09).toMatch(
      /^GP-L09: component:default\/db cannot be deleted while 501 entities depend on it in the catalog graph: component:default\/client-000 \(dependsOn, production\), /,
    );
    expect(l09).toContain(
      'component:default/client-014 (dependsOn, production), 1 entity you cannot see, and 485 more. Delete or re-point them first.',
    );
    expect(l09).not.toContain('client-015');
    expect(l09).not.toContain('secret');
  });
});
