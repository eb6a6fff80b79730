import { buildDemoIndex } from '../__fixtures__/buildDemoIndex';
import { T, ref } from '../__fixtures__/demoCatalog';
import { computeBlastRadius } from './computeBlastRadius';
import { BlastRadiusOptions } from './types';

const index = buildDemoIndex();
const run = (root: string, options: BlastRadiusOptions = {}) =>
  computeBlastRadius(index, [ref(root)], options, T);
const refs = (names: string[]) => names.map(ref);

/** [entity, hop, tier, customerFacing, immediate, last path step `evidence/observation`] */
type Row = [string, number, 1 | 2 | 3, boolean, boolean, string];

describe('blast-radius vectors V1–V5 (incident-brief §7.1)', () => {
  it.each<[string, string, number, Row[]]>([
    [
      'V1',
      'checkout-service',
      3,
      [
        ['api-gateway', 1, 1, true, true, 'both/fresh'],
        ['web-storefront', 2, 1, true, true, 'declared/unverifiable'],
      ],
    ],
    [
      'V2',
      'inventory-db',
      3,
      [
        ['inventory-service', 1, 1, false, true, 'both/fresh'],
        ['checkout-service', 2, 1, true, true, 'both/fresh'],
        ['order-service', 2, 1, false, true, 'declared/none'],
        ['api-gateway', 3, 1, true, true, 'both/fresh'],
        ['notification-worker', 3, 3, false, false, 'observed/fresh'],
      ],
    ],
    [
      'V3',
      'order-events',
      3,
      [
        ['order-service', 1, 1, false, false, 'declared/unverifiable'],
        ['notification-worker', 1, 3, false, false, 'declared/unverifiable'],
        ['checkout-service', 2, 1, true, false, 'both/fresh'],
        ['api-gateway', 3, 1, true, false, 'both/fresh'],
      ],
    ],
    [
      'V5 hops 3',
      'payment-provider',
      3,
      [
        ['payment-service', 1, 1, false, true, 'both/fresh'],
        ['checkout-service', 2, 1, true, true, 'both/fresh'],
        ['api-gateway', 3, 1, true, true, 'both/fresh'],
      ],
    ],
  ])('%s: impacted list of %s', (_v, root, hops, rows) => {
    const result = run(root, { hops });
    expect(
      result.impacted.map(i => {
        const last = i.path[i.path.length - 1];
        return [
          i.ref,
          i.hop,
          i.tier,
          i.customerFacing,
          i.immediate,
          `${last.evidence}/${last.observation}`,
        ];
      }),
    ).toEqual(rows.map(([name, ...rest]) => [ref(name), ...rest]));
    // every path starts at the root and has one step per hop
    for (const i of result.impacted) {
      expect(i.path).toHaveLength(i.hop);
      expect(i.path[0].to).toBe(ref(root));
      expect(i.path[i.path.length - 1].from).toBe(i.ref);
    }
  });

  it('V1 counts, edge stats and confidence', () => {
    const r = run('checkout-service');
    expect(r.counts).toMatchObject({
      total: 2,
      byHop: { 1: 1, 2: 1 },
      byTier: { 1: 2, 2: 0, 3: 0, unknown: 0 },
      customerFacing: 2,
      immediate: 2,
      deferred: 0,
      unresolved: 0,
      byOwner: {
        'group:default/platform-team': 1,
        'group:default/storefront-team': 1,
      },
      regions: { 'eu-west-1': 2, 'us-east-1': 2 },
      dataDomains: { catalog: 1, session: 1 },
    });
    // of every customer-facing impacted entity, in output order, then of the root (§3.2)
    expect(r.entryPoints).toEqual([
      {
        ref: 'component:default/api-gateway',
        entryPoint: 'api:https://api.shop.example/v1',
      },
      { ref: 'component:default/web-storefront', entryPoint: 'web:/cart' },
      { ref: 'component:default/web-storefront', entryPoint: 'web:/checkout' },
      {
        ref: 'component:default/checkout-service',
        entryPoint: 'api:POST /v1/checkout',
      },
    ]);
    expect(r.edgeStats).toEqual({
      examined: 2,
      confirmed: 1,
      declaredOnly: 1,
      observedOnly: 0,
      both: 1,
      stale: 0,
      unverifiable: 1,
      driftUndeclared: 0,
      driftUnobserved: 0,
    });
    expect(r.confidence).toEqual({ ratio: 0.5, level: 'medium' });
    expect(r.cycles).toEqual([]);
    expect(r.beyondLimit).toBe(0);
    expect(r.impacted[0].path[0].reasons).toEqual([
      'consumesApi:api:default/checkout-api',
      'observed',
    ]);
    expect(r.impacted[0].path[0].lastSeen).toBe('2026-03-14T02:04:00.000Z');
  });

  it('V2 counts, edge stats, confidence and beyondLimit', () => {
    const r = run('inventory-db');
    expect(r.counts).toMatchObject({
      total: 5,
      byHop: { 1: 1, 2: 2, 3: 2 },
      byTier: { 1: 4, 2: 0, 3: 1, unknown: 0 },
      customerFacing: 2,
      immediate: 4,
      deferred: 1,
      byOwner: {
        'group:default/fulfillment-team': 2,
        'group:default/checkout-team': 1,
        'group:default/platform-team': 1,
        'user:default/dara.singh': 1,
      },
      regions: { 'eu-west-1': 4, 'us-east-1': 4 },
      dataDomains: { orders: 2, pii: 2, inventory: 1, payments: 1 },
    });
    expect(r.edgeStats).toMatchObject({
      examined: 6,
      confirmed: 5,
      both: 4,
      declaredOnly: 1,
      observedOnly: 1,
      driftUnobserved: 1,
      driftUndeclared: 0,
    });
    expect(r.confidence.ratio).toBeCloseTo(5 / 6, 10);
    expect(r.confidence.level).toBe('high');
    expect(r.beyondLimit).toBe(1);
    const orderService = r.impacted.find(i => i.ref === ref('order-service'))!;
    expect(orderService.path[1].drift).toBe('unobserved');
    const worker = r.impacted.find(i => i.ref === ref('notification-worker'))!;
    expect(worker.path[2]).toMatchObject({
      interaction: 'async',
      drift: null,
      explainedBy: ref('order-events'),
    });
    // examined edges named in the vector: E10, E5, E14, E3, E6, E16
    expect(r.examinedEdges.map(e => `${e.from}>${e.to}`).sort()).toEqual(
      [
        ['inventory-service', 'inventory-db'],
        ['checkout-service', 'inventory-service'],
        ['order-service', 'inventory-service'],
        ['api-gateway', 'checkout-service'],
        ['checkout-service', 'order-service'],
        ['notification-worker', 'order-service'],
      ]
        .map(([a, b]) => `${ref(a)}>${ref(b)}`)
        .sort(),
    );
  });

  it('V3 all impact deferred, counts and confidence; E16 examined but does not re-parent', () => {
    const r = run('order-events');
    expect(r.counts).toMatchObject({
      total: 4,
      byHop: { 1: 2, 2: 1, 3: 1 },
      byTier: { 1: 3, 3: 1 },
      customerFacing: 2,
      immediate: 0,
      deferred: 4,
    });
    expect(r.edgeStats).toMatchObject({
      examined: 5,
      confirmed: 3,
      both: 2,
      declaredOnly: 2,
      observedOnly: 1,
      unverifiable: 2,
    });
    expect(r.confidence).toEqual({ ratio: 0.6, level: 'medium' });
    expect(r.beyondLimit).toBe(1);
    const worker = r.impacted.find(i => i.ref === ref('notification-worker'))!;
    expect(worker.path).toHaveLength(1);
    expect(worker.path[0]).toMatchObject({
      interaction: 'async',
      reasons: ['dependsOn'],
    });
  });

  it.each<
    [string, BlastRadiusOptions, string[], number, number, number, string]
  >([
    [
      'all',
      { edges: 'all' },
      ['checkout-service', 'web-storefront', 'api-gateway'],
      3,
      4,
      2,
      'medium',
    ],
    ['declared', { edges: 'declared' }, ['web-storefront'], 1, 1, 0, 'low'],
  ])(
    'V4 pricing-service edges=%s',
    (_name, options, impacted, cf, examined, confirmed, level) => {
      const r = run('pricing-service', options);
      expect(r.impacted.map(i => i.ref)).toEqual(refs(impacted));
      expect(r.counts.total).toBe(impacted.length);
      expect(r.counts.customerFacing).toBe(cf);
      expect(r.edgeStats.examined).toBe(examined);
      expect(r.edgeStats.confirmed).toBe(confirmed);
      expect(r.confidence.ratio).toBe(confirmed / examined);
      expect(r.confidence.level).toBe(level);
    },
  );

  it('V4 the observed edge is undeclared drift', () => {
    const step = run('pricing-service').impacted[0].path[0];
    expect(step).toMatchObject({
      evidence: 'observed',
      observation: 'fresh',
      drift: 'undeclared',
      reasons: ['observed'],
    });
  });

  it.each<[number, string[], number, number, number | null, string, number]>([
    [
      3,
      ['payment-service', 'checkout-service', 'api-gateway'],
      3,
      3,
      1,
      'high',
      1,
    ],
    [
      4,
      ['payment-service', 'checkout-service', 'api-gateway', 'web-storefront'],
      4,
      3,
      0.75,
      'medium',
      0,
    ],
    [0, [], 0, 0, 1, 'high', 1],
  ])(
    'V5 payment-provider hops %i',
    (hops, impacted, examined, confirmed, ratio, level, beyond) => {
      const r = run('payment-provider', { hops });
      expect(r.impacted.map(i => i.ref)).toEqual(refs(impacted));
      expect(r.impacted.map(i => i.hop)).toEqual(impacted.map((_, i) => i + 1));
      expect(r.edgeStats.examined).toBe(examined);
      expect(r.edgeStats.confirmed).toBe(confirmed);
      expect(r.confidence).toEqual({ ratio, level });
      expect(r.beyondLimit).toBe(beyond);
    },
  );

  it('V6 dependencies of checkout-service, 2 hops', () => {
    const r = run('checkout-service', { direction: 'dependencies', hops: 2 });
    expect(r.impacted.map(i => [i.ref, i.hop])).toEqual([
      [ref('inventory-service'), 1],
      [ref('order-service'), 1],
      [ref('payment-service'), 1],
      [ref('checkout-db'), 1],
      [ref('pricing-service'), 1],
      [ref('inventory-db'), 2],
      [ref('order-events'), 2],
      [ref('orders-db'), 2],
      [ref('payment-provider'), 2],
      [ref('payments-db'), 2],
    ]);
    expect(
      r.impacted.find(i => i.ref === ref('pricing-service'))!.path[0].evidence,
    ).toBe('observed');
    expect(
      r.impacted.find(i => i.ref === ref('order-events'))!.path[1],
    ).toMatchObject({
      evidence: 'declared',
      observation: 'unverifiable',
    });
    expect(r.edgeStats.examined).toBe(11);
    expect(r.edgeStats.confirmed).toBe(9);
    expect(
      r.examinedEdges.some(
        e =>
          e.from === ref('order-service') && e.to === ref('inventory-service'),
      ),
    ).toBe(true);
  });
});

describe('the answer without examined edges', () => {
  // what the blast-radius API sends: the same answer, counted without building the steps
  it.each<[string, BlastRadiusOptions]>([
    ['resource:default/inventory-db', {}],
    ['resource:default/inventory-db', { hops: 1, edges: 'observed' }],
    ['component:default/order-service', { includeStale: false, limit: 2 }],
    ['component:default/checkout-service', { direction: 'dependencies' }],
    ['system:default/checkout', { hops: 2 }],
  ])('%s %j equals the full result less examinedEdges', (root, options) => {
    const { examinedEdges, ...full } = computeBlastRadius(
      index,
      [root],
      options,
      T,
    );
    const answer = computeBlastRadius(index, [root], options, T, {
      examinedEdges: false,
    });
    expect(examinedEdges.length).toBeGreaterThan(0);
    expect(answer).toEqual(full);
    expect(answer).not.toHaveProperty('examinedEdges');
  });
});
