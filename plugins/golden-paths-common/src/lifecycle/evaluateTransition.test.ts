import type { Entity } from '@backstage/catalog-model';
import {
  cartApi,
  component,
  createdByGoldenPath,
  demoCatalog,
  f1,
  fixtureConfig,
  T,
} from '../__fixtures__/demo';
import { CatalogView, lifecycleOf, refOf } from '../catalog/catalogView';
import { declaredDependents, ownedResources } from './dependents';
import { evaluateTransition, LifecycleFacts } from './evaluateTransition';
import { allowedTransitions } from './stateMachine';
import type { Transition } from '../schemas/requestSchemas';

const P = 'ops.example.com/';

/** §2.3: the checks a fresh local-mode service has not met yet (L1, then L2). */
const FRESH_BLOCKERS = [
  'source-location-set',
  'dashboard-linked',
  'telemetry-present',
  'alerts-defined',
  'slo-has-traffic',
  'alerts-route-to-owner',
  'deploy-recent',
];

/** Gate facts the way the backend assembles them: dependents and owned resources from the graph. */
function factsFor(
  entity: Entity,
  catalog: Entity[],
  extra: Partial<LifecycleFacts> = {},
): LifecycleFacts {
  return {
    dependents: declaredDependents(entity, catalog),
    ownedResources: ownedResources(entity, catalog),
    telemetryCovered: true,
    ...extra,
  };
}

function run(
  entity: Entity,
  transition: Transition,
  facts: LifecycleFacts,
  request = {},
) {
  return evaluateTransition({
    entity,
    transition,
    request,
    facts,
    config: fixtureConfig,
    now: T,
  });
}

/** V32 fixture: pricing-service created by a golden path, deprecated 2026-09-01, sunset 2026-11-01. */
const pricingService = component('pricing-service', {
  owner: 'group:default/storefront-team',
  system: 'system:default/storefront',
  tier: '2',
  lifecycle: 'deprecated',
  annotations: createdByGoldenPath('service-node-http:pricing-service', {
    [`${P}retire-by`]: '2026-11-01',
    [`${P}replaced-by`]: 'none',
  }),
});
/** E15 checkout-service → pricing-service, last seen two minutes before T. */
const E15_LAST_SEEN = '2026-11-23T09:58:00Z';

describe('lifecycle gates (§10 V31–V36)', () => {
  it('V31 refuses promoting cart-api at L0 with no staging deploy (GP-L02, GP-L04)', () => {
    const catalog = [...demoCatalog, cartApi];
    const r = run(
      cartApi,
      'promote',
      factsFor(cartApi, catalog, {
        scorecard: { level: 'L0', blockers: FRESH_BLOCKERS },
        changes: [],
      }),
    );
    expect(r.decision).toBe('deny');
    expect(r.message).toBe(
      [
        `GP-L02: Promotion to production needs scorecard level L2; component:default/cart-api is at L0. Blocking: ${FRESH_BLOCKERS.join(
          ', ',
        )}.`,
        'GP-L04: Promotion needs a successful staging deploy in the last 30 days; the change ledger has none for component:default/cart-api.',
      ].join('\n'),
    );
  });

  it('V31 counterpart: L2 and a staging deploy 3 days ago promote; an older one does not count', () => {
    const catalog = [...demoCatalog, cartApi];
    const deploy = (at: string) => [
      { kind: 'deploy', status: 'succeeded', environment: 'staging', at },
    ];
    const ok = run(
      cartApi,
      'promote',
      factsFor(cartApi, catalog, {
        scorecard: { level: 'L2', blockers: [] },
        changes: deploy('2026-11-20T10:00:00Z'),
      }),
    );
    expect(ok).toMatchObject({
      decision: 'allow',
      from: 'experimental',
      to: 'production',
    });
    const old = run(
      cartApi,
      'promote',
      factsFor(cartApi, catalog, {
        scorecard: { level: 'L2', blockers: [] },
        changes: deploy('2026-10-20T10:00:00Z'),
      }),
    );
    expect(old.errors.map(e => e.id)).toEqual(['GP-L04']);
    // A CI clock a little fast: the store keeps a time within its tolerance as sent.
    const justFinished = (offsetMs: number) =>
      run(
        cartApi,
        'promote',
        factsFor(cartApi, catalog, {
          scorecard: { level: 'L2', blockers: [] },
          changes: deploy(new Date(Date.parse(T) + offsetMs).toISOString()),
        }),
      ).errors.map(e => e.id);
    expect(justFinished(30_000)).toEqual([]);
    expect(justFinished(60 * 60_000)).toEqual(['GP-L04']);
  });

  it('V32 refuses archiving pricing-service: a declared dependent and observed traffic', () => {
    const catalog = [
      ...demoCatalog.filter(e => e.metadata.name !== 'pricing-service'),
      pricingService,
    ];
    const r = run(
      pricingService,
      'archive',
      factsFor(pricingService, catalog, {
        observedCallers: [
          {
            client: 'component:default/checkout-service',
            lastSeen: E15_LAST_SEEN,
          },
        ],
      }),
    );
    expect(r.message).toBe(
      [
        'GP-L06: component:default/pricing-service cannot be archived while 1 entity still depends on it: component:default/web-storefront (dependsOn).',
        'GP-L07: component:default/pricing-service cannot be archived: component:default/checkout-service called it at 2026-11-23 09:58 UTC (archive needs 14 days without observed traffic).',
      ].join('\n'),
    );
  });

  it('counts a caller last seen exactly 14 days ago as traffic within the quiet window (G-A2)', () => {
    const catalog = [
      ...demoCatalog.filter(e => e.metadata.name !== 'pricing-service'),
      pricingService,
    ];
    const archive = (lastSeen: string) =>
      run(
        pricingService,
        'archive',
        factsFor(pricingService, catalog, {
          observedCallers: [
            { client: 'component:default/checkout-service', lastSeen },
          ],
        }),
      ).errors.map(e => e.id);
    const at = (days: number) =>
      new Date(Date.parse(T) - days * 86_400_000).toISOString();
    expect(archive(at(14))).toContain('GP-L07');
    expect(
      archive(new Date(Date.parse(at(14)) - 1).toISOString()),
    ).not.toContain('GP-L07');
  });

  it('V33 refuses deleting coupon-service while archived coupon-report depends on it', () => {
    const catalog = [...demoCatalog, ...f1()];
    const couponService = catalog.find(
      e => e.metadata.name === 'coupon-service',
    )!;
    expect(
      run(couponService, 'delete', factsFor(couponService, catalog)).message,
    ).toBe(
      'GP-L09: component:default/coupon-service cannot be deleted while 1 entity depends on it in the catalog graph: component:default/coupon-report (dependsOn, archived). Delete or re-point it first.',
    );
  });

  it('counts a dependent the caller may not read but does not name it (GP-L06, GP-L09)', () => {
    const catalog = [...demoCatalog, ...f1()];
    const couponService = catalog.find(
      e => e.metadata.name === 'coupon-service',
    )!;
    const facts = factsFor(couponService, catalog);
    const hidden = (refs: string[]) => ({
      ...facts,
      dependents: [
        ...facts.dependents,
        {
          ref: 'component:default/secret-report',
          relation: 'dependsOn' as const,
          lifecycle: 'production',
        },
      ].map(d => (refs.includes(d.ref) ? { ...d, hidden: true } : d)),
    });
    expect(
      run(couponService, 'delete', hidden(['component:default/secret-report']))
        .message,
    ).toBe(
      'GP-L09: component:default/coupon-service cannot be deleted while 2 entities depend on it in the catalog graph: component:default/coupon-report (dependsOn, archived), 1 entity you cannot see. Delete or re-point them first.',
    );
    const none = run(
      couponService,
      'delete',
      hidden([
        'component:default/secret-report',
        'component:default/coupon-report',
      ]),
    );
    expect(none.decision).toBe('deny');
    expect(none.message).toBe(
      'GP-L09: component:default/coupon-service cannot be deleted while 2 entities depend on it in the catalog graph: 2 entities you cannot see. Delete or re-point them first.',
    );
    const live = {
      ...couponService,
      spec: { ...couponService.spec, lifecycle: 'deprecated' },
    };
    const archive = run(live, 'archive', {
      ...hidden(['component:default/secret-report']),
      telemetryCovered: true,
    });
    expect(archive.errors.map(e => e.message)).toContain(
      'GP-L06: component:default/coupon-service cannot be archived while 1 entity still depends on it: 1 entity you cannot see.',
    );
  });

  it('V34 deletes coupon-report: no dependents, archived 53 days, tier 3 without data so no trigger', () => {
    const catalog = [...demoCatalog, ...f1()];
    const couponReport = catalog.find(
      e => e.metadata.name === 'coupon-report',
    )!;
    expect(
      run(couponReport, 'delete', factsFor(couponReport, catalog)),
    ).toMatchObject({
      decision: 'allow',
      from: 'archived',
      to: 'deleted',
      errors: [],
      approvalTriggers: [],
    });
  });

  it('V35 refuses deleting coupon-report archived on 2026-11-10 before 30 days in archive', () => {
    const catalog = [...demoCatalog, ...f1('2026-11-10')];
    const couponReport = catalog.find(
      e => e.metadata.name === 'coupon-report',
    )!;
    expect(
      run(couponReport, 'delete', factsFor(couponReport, catalog)).message,
    ).toBe(
      'GP-L10: component:default/coupon-report was archived on 2026-11-10; it can be deleted from 2026-12-10 (30 days in archive).',
    );
  });

  it('V36 refuses changing an entity no golden path created', () => {
    const checkout = demoCatalog.find(
      e => e.metadata.name === 'checkout-service',
    )!;
    expect(
      run(checkout, 'promote', factsFor(checkout, demoCatalog)).message,
    ).toBe(
      "GP-L12: component:default/checkout-service was not created by a golden path, so its descriptor cannot be changed here; use its repository's own process.",
    );
  });
});

describe('lifecycle state machine and other gates', () => {
  it('a transition not allowed from the current state is GP-L01 with the allowed list', () => {
    const r = run(cartApi, 'delete', factsFor(cartApi, [cartApi]));
    expect(r.message).toBe(
      'GP-L01: component:default/cart-api is experimental; "delete" is not allowed from there. Allowed next: promote, deprecate, archive.',
    );
  });

  // The catalog field is a free string: "Production" typed in YAML is the production state.
  it.each([
    ['Production', 'spec', ['deprecate']],
    ['EXPERIMENTAL', 'spec', ['promote', 'deprecate', 'archive']],
    ['Deprecated', 'annotation', ['undeprecate', 'archive']],
  ] as const)(
    'reads the lifecycle %j (%s) case-insensitively',
    (value, where, allowed) => {
      const svc = component('ledger-api', {
        owner: 'group:default/checkout-team',
        system: 'system:default/checkout',
        tier: '3',
        annotations: createdByGoldenPath('service-node-http:ledger-api', {
          ...(where === 'annotation' ? { [`${P}lifecycle`]: value } : {}),
        }),
      });
      const entity: Entity =
        where === 'spec'
          ? { ...svc, spec: { ...svc.spec, lifecycle: value } }
          : { ...svc, kind: 'Resource', spec: { ...svc.spec, type: 'queue' } };
      const lower = value.toLocaleLowerCase('en-US');
      expect(lifecycleOf(entity)).toBe(lower);
      expect(allowedTransitions(lifecycleOf(entity))).toEqual(allowed);
      const r = run(entity, 'unarchive', factsFor(entity, [entity]));
      expect(r.from).toBe(lower);
      expect(r.message).toBe(
        `GP-L01: ${refOf(
          entity,
        )} is ${lower}; "unarchive" is not allowed from there. Allowed next: ${allowed.join(
          ', ',
        )}.`,
      );
    },
  );

  it('deprecation needs a replacement and a sunset 30–365 days ahead (GP-L05)', () => {
    const facts = factsFor(cartApi, [cartApi]);
    expect(
      run(cartApi, 'deprecate', facts, {
        replacement: 'none',
        reason: 'merged into cart-v2',
        sunsetOn: '2026-12-03',
      }).message,
    ).toBe(
      'GP-L05: Deprecation needs a replacement (an entity, or "none" with a reason) and a sunset date 30–365 days ahead (got 2026-12-03, 10 days).',
    );
    expect(
      run(cartApi, 'deprecate', facts, {
        replacement: 'none',
        reason: 'merged into cart-v2',
        sunsetOn: '2027-01-23',
      }).decision,
    ).toBe('allow');
  });

  it('archive without telemetry is GP-L08 and asks for an exception; an approved exception waives it', () => {
    const proto = component('proto-api', {
      owner: 'group:default/checkout-team',
      system: 'system:default/checkout',
      tier: '2',
      lifecycle: 'experimental',
      annotations: createdByGoldenPath('service-node-http:proto-api'),
    });
    const facts = factsFor(proto, [proto], { telemetryCovered: false });
    const r = run(proto, 'archive', facts);
    expect(r.message).toBe(
      'GP-L08: component:default/proto-api cannot be archived: no telemetry covers it, so the absence of traffic cannot be shown. Add telemetry, or ask group:default/platform-team for an exception.',
    );
    expect(r.approvalTriggers.map(t => t.id)).toEqual(['exception']);
    const waived = run(proto, 'archive', {
      ...facts,
      approvedExceptions: ['GP-L08'],
    });
    expect(waived.decision).toBe('needs-approval');
    expect(waived.approvalTriggers).toEqual([
      { id: 'destructive', reasons: ['archive of a tier 2 service'] },
    ]);
  });

  it('archive before the sunset date is GP-L13', () => {
    const early = component('old-api', {
      owner: 'group:default/checkout-team',
      system: 'system:default/checkout',
      tier: '3',
      lifecycle: 'deprecated',
      annotations: createdByGoldenPath('service-node-http:old-api', {
        [`${P}retire-by`]: '2026-12-31',
      }),
    });
    expect(run(early, 'archive', factsFor(early, [early])).message).toBe(
      'GP-L13: component:default/old-api reaches its sunset date on 2026-12-31; archiving earlier needs an approved exception.',
    );
  });

  it('owned resources block delete (GP-L11); a tier 1 promotion needs tier-1', () => {
    const svc = component('ledger-api', {
      owner: 'group:default/checkout-team',
      system: 'system:default/checkout',
      tier: '1',
      lifecycle: 'archived',
      annotations: createdByGoldenPath('service-node-http:ledger-api', {
        [`${P}archived-on`]: '2026-09-01',
      }),
    });
    const db: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: 'ledger-db-prod',
        namespace: 'default',
        annotations: {
          [`${P}request-key`]: 'postgres-database:ledger-db:prod',
        },
      },
      spec: {
        type: 'database',
        owner: 'group:default/checkout-team',
        dependencyOf: ['component:default/ledger-api'],
      },
    };
    const facts = factsFor(svc, [svc, db]);
    // The database is a dependency of ledger-api, not a dependent: only G-X3 holds the delete.
    expect(facts.dependents).toEqual([]);
    expect(run(svc, 'delete', facts).message).toBe(
      'GP-L11: component:default/ledger-api still holds resource:default/ledger-db-prod. Delete or reassign them first.',
    );
    // The database's own delete comes first: its archived owner does not block it (G-X1), a
    // live one does, and so does any other dependent whatever its lifecycle.
    const dbDelete = (catalog: Entity[]) =>
      run(
        {
          ...db,
          metadata: {
            ...db.metadata,
            annotations: {
              ...db.metadata.annotations,
              [`${P}lifecycle`]: 'archived',
              [`${P}archived-on`]: '2026-09-01',
            },
          },
        },
        'delete',
        factsFor(db, catalog),
      );
    expect(dbDelete([svc, db]).gates.find(g => g.gate === 'G-X1')).toEqual({
      gate: 'G-X1',
      passed: true,
    });
    const live = { ...svc, spec: { ...svc.spec, lifecycle: 'production' } };
    expect(dbDelete([live, db]).message).toBe(
      'GP-L09: resource:default/ledger-db-prod cannot be deleted while 1 entity depends on it in the catalog graph: component:default/ledger-api (dependsOn, production). Delete or re-point it first.',
    );
    const reader = component('ledger-report', {
      owner: 'group:default/checkout-team',
      system: 'system:default/checkout',
      tier: '3',
      lifecycle: 'archived',
      dependsOn: ['resource:default/ledger-db-prod'],
    });
    expect(dbDelete([svc, db, reader]).message).toBe(
      'GP-L09: resource:default/ledger-db-prod cannot be deleted while 1 entity depends on it in the catalog graph: component:default/ledger-report (dependsOn, archived). Delete or re-point it first.',
    );
    const fresh = { ...svc, spec: { ...svc.spec, lifecycle: 'experimental' } };
    const promote = run(fresh, 'promote', {
      ...factsFor(fresh, [fresh]),
      scorecard: { level: 'L3', blockers: [] },
      changes: [
        { kind: 'deploy', status: 'succeeded', environment: 'staging', at: T },
      ],
    });
    expect(promote.approvalTriggers).toEqual([
      { id: 'tier-1', reasons: ['promotion of a tier 1 service'] },
    ]);
  });

  it('dependents include consumers of provided APIs and read catalog relations', () => {
    const api: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'API',
      metadata: { name: 'cart-api', namespace: 'default' },
      spec: { type: 'openapi' },
      relations: [
        {
          type: 'apiConsumedBy',
          targetRef: 'component:default/web-storefront',
        },
      ],
    };
    expect(declaredDependents(cartApi, [cartApi, api, ...demoCatalog])).toEqual(
      [
        {
          ref: 'component:default/web-storefront',
          relation: 'consumesApi',
          lifecycle: 'production',
        },
      ],
    );
    expect(
      new CatalogView(demoCatalog).members('group:default/commerce-eng'),
    ).toHaveLength(5);
  });

  it('a ref the entity names that is no longer in the catalog is no dependent (it blocked delete and archive for ever)', () => {
    // coupon-service still names coupon-report, deleted since, in spec.dependencyOf and as the
    // relation the catalog keeps for it
    const couponService: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'coupon-service', namespace: 'default' },
      spec: {
        type: 'service',
        lifecycle: 'archived',
        owner: 'group:default/storefront-team',
        dependencyOf: ['component:default/coupon-report'],
      },
      relations: [
        { type: 'dependencyOf', targetRef: 'component:default/coupon-report' },
        { type: 'hasPart', targetRef: 'component:default/coupon-part' },
      ],
    };
    expect(declaredDependents(couponService, [couponService])).toEqual([]);
    const report = component('coupon-report', {
      owner: 'group:default/storefront-team',
      system: 'system:default/storefront',
      tier: '3',
      lifecycle: 'production',
      dependsOn: ['component:default/coupon-service'],
    });
    expect(declaredDependents(couponService, [couponService, report])).toEqual([
      {
        ref: 'component:default/coupon-report',
        relation: 'dependsOn',
        lifecycle: 'production',
      },
    ]);
  });
});
