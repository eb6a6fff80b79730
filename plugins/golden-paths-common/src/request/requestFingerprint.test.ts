import { fixtureConfig, S0 } from '../__fixtures__/demo';
import {
  planDigest,
  GoldenPathPlan,
  DatabasePlanLike,
} from '../plan/planDigest';
import { parseRequest } from './parseRequest';
import { requestFingerprint } from './requestFingerprint';

const TEMPLATE = 'template:default/service-node-http';

function fp(raw: Record<string, unknown>, template = TEMPLATE): string {
  const parsed = parseRequest('service', raw, fixtureConfig);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return requestFingerprint(template, parsed.request);
}

describe('fingerprint unit vectors (§10)', () => {
  const base = fp(S0);

  it('is sha256 hex and stable under key reordering', () => {
    expect(base).toMatch(/^sha256:[0-9a-f]{64}$/);
    const reordered = Object.fromEntries(Object.entries(S0).reverse());
    expect(fp(reordered)).toBe(base);
  });

  it('is stable under whitespace around strings and a short owner ref', () => {
    expect(
      fp({ ...S0, name: '  cart-api ', description: ` ${S0.description}  ` }),
    ).toBe(base);
    expect(fp({ ...S0, owner: 'group:checkout-team' })).toBe(base);
    expect(fp({ ...S0, owner: 'Group:Default/Checkout-Team' })).toBe(base);
  });

  it('applies defaults before hashing: an omitted default equals the explicit value', () => {
    const { exposure: _e, sloLatencyP95Ms: _l, ...withoutDefaults } = S0;
    expect(fp(withoutDefaults)).toBe(base);
  });

  it('changes when the description changes', () => {
    expect(
      fp({
        ...S0,
        description: 'Keeps shopping carts for signed-in shoppers only.',
      }),
    ).not.toBe(base);
  });

  it('does not change with waitMinutes or idempotencyKey', () => {
    expect(
      fp({ ...S0, waitMinutes: 45, idempotencyKey: 'ci:cart-api:42' }),
    ).toBe(base);
  });

  it('ignores the template version but not the template', () => {
    expect(fp(S0, `${TEMPLATE}@1.2.0`)).toBe(base);
    expect(fp(S0, 'template:default/other')).not.toBe(base);
  });

  it('sorts set-valued arrays (additionalAccess) before hashing', () => {
    const db = (access: string[]) => {
      const parsed = parseRequest(
        'database',
        {
          name: 'cart-db',
          component: 'component:default/cart-api',
          purpose: 'Cart line items and guest sessions.',
          additionalAccess: access,
        },
        fixtureConfig,
      );
      if (!parsed.ok) throw new Error('invalid');
      return requestFingerprint(
        'template:default/postgres-database',
        parsed.request,
      );
    };
    expect(db(['component:b', 'component:default/a'])).toBe(
      db(['component:default/a', 'component:default/b']),
    );
  });

  it('excludes the lifecycle reason', () => {
    const lc = (reason: string) => {
      const parsed = parseRequest(
        'lifecycle',
        { entity: 'component:default/cart-api', transition: 'promote', reason },
        fixtureConfig,
      );
      if (!parsed.ok) throw new Error('invalid');
      return requestFingerprint(
        'template:default/lifecycle-transition',
        parsed.request,
      );
    };
    expect(lc('ready for production traffic')).toBe(
      lc('all gates green, promoting'),
    );
  });
});

describe('planDigest unit vectors (§10)', () => {
  const plan: GoldenPathPlan = {
    planId: 'pln_1',
    createdAt: '2026-11-23T10:00:00Z',
    requestKey: 'service-node-http:cart-api',
    fingerprint: 'sha256:abc',
    template: { ref: TEMPLATE, version: '1.0.0' },
    policyVersion: '2026.11.0',
    effects: [
      {
        step: 'publish-local',
        type: 'repo.create',
        target: 'cart-api.git',
        reversibility: 'compensating',
      },
    ],
    approvalTriggers: [],
  };

  it('is equal for plans differing only in planId/createdAt', () => {
    expect(
      planDigest({
        ...plan,
        planId: 'pln_2',
        createdAt: '2026-11-24T08:00:00Z',
      }),
    ).toBe(planDigest(plan));
  });

  it('changes when an effect or trigger changes', () => {
    expect(
      planDigest({
        ...plan,
        approvalTriggers: [{ id: 'network', reasons: ['public exposure'] }],
      }),
    ).not.toBe(planDigest(plan));
  });

  it('a database plan hashes content, not ids, timestamps or expiry', () => {
    const db: DatabasePlanLike = {
      planId: 'dbp_1',
      createdAt: '2026-11-23T10:00:00Z',
      expiresAt: '2026-11-23T10:30:00Z',
      provisioner: 'local-postgres',
      module: { source: 'local-postgres', version: '1.0.0' },
      variables: { name: 'cart_db_dev', tier: 'dev' },
      changes: { add: 2, change: 0, destroy: 0, replace: 0 },
      resources: [
        {
          address: 'postgresql_database.cart_db_dev',
          type: 'postgresql_database',
          action: 'create',
        },
      ],
      policy: [{ id: 'GP-P01', outcome: 'pass' }],
      estimate: { total: '148.30', priceBookVersion: 'example-2026.11' },
    };
    const later = {
      ...db,
      planId: 'dbp_9',
      createdAt: '2026-11-25T10:00:00Z',
      expiresAt: '2026-11-25T10:30:00Z',
    };
    expect(planDigest(later)).toBe(planDigest(db));
    expect(
      planDigest({ ...db, module: { ...db.module, version: '1.1.0' } }),
    ).not.toBe(planDigest(db));
  });
});
