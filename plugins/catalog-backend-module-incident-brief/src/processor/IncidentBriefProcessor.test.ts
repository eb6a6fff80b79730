import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  CatalogProcessorCache,
  CatalogProcessorResult,
} from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { demoEntities, demoEntity } from '../__fixtures__/demoCatalog';
import { fakeEvidence, observedEdge } from '../__fixtures__/fakeEvidence';
import { CatalogEntityCache } from '@internal/plugin-incident-brief-node';
import { IncidentReadinessChecker } from '../readiness/IncidentReadinessChecker';
import { ReadinessFactWriter } from '../readiness/ReadinessFactWriter';
import { IncidentBriefProcessor } from './IncidentBriefProcessor';
import { observedDependenciesOf } from './observedRelations';

const c = (name: string) => `component:default/${name}`;
const r = (name: string) => `resource:default/${name}`;
const location = { type: 'url', target: 'https://example.com/catalog.yaml' };

/** The demo's observed series as the evidence store maps them (IB §7 E3–E16, tax-svc). */
const demoEdges = [
  observedEdge(c('api-gateway'), c('checkout-service')), // E3
  observedEdge(c('checkout-service'), c('payment-service')), // E4
  observedEdge(c('checkout-service'), c('inventory-service')), // E5
  observedEdge(c('checkout-service'), c('order-service')), // E6
  observedEdge(c('checkout-service'), r('checkout-db')), // E7
  observedEdge(c('payment-service'), r('payments-db')), // E8
  observedEdge(c('payment-service'), r('payment-provider')), // E9
  observedEdge(c('inventory-service'), r('inventory-db')), // E10
  observedEdge(c('order-service'), r('orders-db')), // E11
  observedEdge(c('checkout-service'), c('pricing-service')), // E15, undeclared
  observedEdge(c('notification-worker'), c('order-service'), {
    client: 'orders',
    server: 'notifier',
    connectionType: 'messaging_system',
    interaction: 'async',
  }), // E16, consumer → producer
  observedEdge(c('checkout-service'), null, {
    server: 'tax-svc',
    unmapped: ['server'],
  }), // R16: unmapped callee, no relation
  observedEdge(c('checkout-service'), c('checkout-service')), // R15: mapped self-loop
  observedEdge(c('checkout-service'), c('promo'), { aliasConflict: true }), // R14
];

function memoryCache(initial: Record<string, unknown> = {}) {
  const values = new Map(Object.entries(initial));
  const cache: CatalogProcessorCache = {
    async get(key) {
      return values.get(key) as any;
    },
    async set(key, value) {
      values.set(key, value);
    },
  };
  return { cache, values };
}

async function run(
  processor: IncidentBriefProcessor,
  entity: Entity,
  cache = memoryCache().cache,
) {
  const emitted: CatalogProcessorResult[] = [];
  const out = await processor.postProcessEntity(
    entity,
    location,
    e => emitted.push(e),
    cache,
  );
  return { out, emitted };
}

const dependsOnTargets = (emitted: CatalogProcessorResult[]) =>
  emitted
    .flatMap(e => (e.type === 'relation' ? [e.relation] : []))
    .filter(rel => rel.type === 'observedDependsOn')
    .map(rel => `${rel.source.name} -> ${rel.target.kind}:${rel.target.name}`);

describe('IncidentBriefProcessor: observed relations', () => {
  const evidence = fakeEvidence(demoEdges);
  const processor = new IncidentBriefProcessor({
    evidence: evidence.service,
    logger: mockServices.logger.mock(),
  });

  it('has a name', () => {
    expect(processor.getProcessorName()).toBe('IncidentBriefProcessor');
  });

  it.each([
    [
      'checkout-service: declared and undeclared (E15) callees; no tax-svc, self-loop or void alias',
      demoEntity('Component', 'checkout-service'),
      [
        'checkout-service -> component:inventory-service',
        'checkout-service -> component:order-service',
        'checkout-service -> component:payment-service',
        'checkout-service -> component:pricing-service',
        'checkout-service -> resource:checkout-db',
      ],
    ],
    [
      'notification-worker: messaging edge E16 as consumer → producer',
      demoEntity('Component', 'notification-worker'),
      ['notification-worker -> component:order-service'],
    ],
    [
      'order-service: its dependents emit the edges into it',
      demoEntity('Component', 'order-service'),
      ['order-service -> resource:orders-db'],
    ],
    [
      'web-storefront: no telemetry, no observed relation',
      demoEntity('Component', 'web-storefront'),
      [],
    ],
    [
      'resource order-events: no telemetry alias',
      demoEntity('Resource', 'order-events'),
      [],
    ],
    ['API entity: not a telemetry node', demoEntity('API', 'checkout-api'), []],
    [
      'Group entity: not a graph node',
      demoEntity('Group', 'checkout-team'),
      [],
    ],
  ])('%s', async (_name, entity, expected) => {
    const { out, emitted } = await run(processor, entity);
    expect(out).toBe(entity);
    expect(dependsOnTargets(emitted)).toEqual(expected);
    expect(emitted.filter(e => e.type === 'error')).toEqual([]);
  });

  it('emits the reverse observedDependencyOf for each observed dependency', async () => {
    const { emitted } = await run(
      processor,
      demoEntity('Component', 'notification-worker'),
    );
    expect(emitted).toEqual([
      {
        type: 'relation',
        relation: {
          source: {
            kind: 'component',
            namespace: 'default',
            name: 'notification-worker',
          },
          type: 'observedDependsOn',
          target: {
            kind: 'component',
            namespace: 'default',
            name: 'order-service',
          },
        },
      },
      {
        type: 'relation',
        relation: {
          source: {
            kind: 'component',
            namespace: 'default',
            name: 'order-service',
          },
          type: 'observedDependencyOf',
          target: {
            kind: 'component',
            namespace: 'default',
            name: 'notification-worker',
          },
        },
      },
    ]);
  });

  it('keeps the last observed relations through an evidence outage', async () => {
    const outage = fakeEvidence(demoEdges);
    const p = new IncidentBriefProcessor({
      evidence: outage.service,
      logger: mockServices.logger.mock(),
    });
    const { cache, values } = memoryCache();
    const entity = demoEntity('Component', 'payment-service');
    const first = await run(p, entity, cache);
    expect(values.get('observedDependencies')).toEqual([
      r('payment-provider'),
      r('payments-db'),
    ]);
    outage.state.available = false;
    const second = await run(p, entity, cache);
    expect(dependsOnTargets(second.emitted)).toEqual(
      dependsOnTargets(first.emitted),
    );
  });

  it('emits no relation to a kind that cannot be a dependency', async () => {
    // `evidence.aliases` in app-config may map a telemetry name to any ref
    const self = c('checkout-service');
    const p = new IncidentBriefProcessor({
      evidence: fakeEvidence([
        observedEdge(self, 'group:default/checkout-team'),
        observedEdge(self, 'user:default/ana.ruiz'),
        observedEdge(self, 'domain:default/commerce'),
        observedEdge(self, 'location:default/demo'),
        observedEdge(self, 'template:default/service'),
        observedEdge(self, 'api:default/pricing-api'),
        observedEdge(self, 'system:default/payments'),
        observedEdge(self, r('checkout-db')),
      ]).service,
      logger: mockServices.logger.mock(),
    });
    const { emitted } = await run(
      p,
      demoEntity('Component', 'checkout-service'),
    );
    expect(dependsOnTargets(emitted)).toEqual([
      'checkout-service -> api:pricing-api',
      'checkout-service -> resource:checkout-db',
      'checkout-service -> system:payments',
    ]);
    expect(
      emitted.flatMap(e =>
        e.type === 'relation' ? [e.relation.source.kind] : [],
      ),
    ).not.toContain('group');
  });

  it('holds the cached dependencies to the same rules during an outage: a damaged or older cache is never a processing error', async () => {
    const outage = fakeEvidence(demoEdges);
    outage.state.available = false;
    const p = new IncidentBriefProcessor({
      evidence: outage.service,
      logger: mockServices.logger.mock(),
    });
    const { cache } = memoryCache({
      observedDependencies: [
        r('payments-db'),
        42,
        null,
        'tax-svc',
        'group:default/payments-team',
        c('payment-service'), // the entity itself
        r('payments-db'),
      ],
    });
    const { emitted } = await run(
      p,
      demoEntity('Component', 'payment-service'),
      cache,
    );
    expect(dependsOnTargets(emitted)).toEqual([
      'payment-service -> resource:payments-db',
    ]);
  });

  it('keeps the last observed relations when an answer lacks the edges it asked for', async () => {
    const store = fakeEvidence(demoEdges);
    const p = new IncidentBriefProcessor({
      evidence: store.service,
      logger: mockServices.logger.mock(),
    });
    const { cache, values } = memoryCache();
    const entity = demoEntity('Component', 'payment-service');
    const first = await run(p, entity, cache);
    // a partial answer: the entity's item, without `edges`
    store.service.readEntities = async refs => ({
      available: true,
      asOf: '2026-03-14T02:05:00.000Z',
      data: new Map(refs.map(ref => [ref, { facts: [], collection: [] }])),
    });
    const second = await run(p, entity, cache);
    expect(dependsOnTargets(second.emitted)).toEqual(
      dependsOnTargets(first.emitted),
    );
    expect(dependsOnTargets(second.emitted)).toHaveLength(2);
    expect(values.get('observedDependencies')).toEqual([
      r('payment-provider'),
      r('payments-db'),
    ]);
  });

  it('takes an entity the store holds no evidence for as observing nothing', async () => {
    const store = fakeEvidence(demoEdges);
    const p = new IncidentBriefProcessor({
      evidence: store.service,
      logger: mockServices.logger.mock(),
    });
    const { cache, values } = memoryCache({
      observedDependencies: [r('payments-db')],
    });
    store.service.readEntities = async () => ({
      available: true,
      asOf: '2026-03-14T02:05:00.000Z',
      data: new Map(),
    });
    const { emitted } = await run(
      p,
      demoEntity('Component', 'payment-service'),
      cache,
    );
    expect(emitted).toEqual([]);
    expect(values.get('observedDependencies')).toEqual([]);
  });

  it('emits nothing and does not throw when evidence is down and nothing was cached', async () => {
    const outage = fakeEvidence(demoEdges);
    outage.state.available = false;
    const p = new IncidentBriefProcessor({
      evidence: outage.service,
      logger: mockServices.logger.mock(),
    });
    const { emitted } = await run(p, demoEntity('Component', 'api-gateway'));
    expect(emitted).toEqual([]);
  });
});

describe('IncidentBriefProcessor: incident readiness (R26)', () => {
  function setup(entities: Entity[] = demoEntities()) {
    const evidence = fakeEvidence(demoEdges);
    const logger = mockServices.logger.mock();
    const catalog = catalogServiceMock({ entities });
    const writer = new ReadinessFactWriter({
      evidence: evidence.service,
      logger,
      rewriteAfterMs: 3600_000,
      flushDelayMs: 60_000,
    });
    const processor = new IncidentBriefProcessor({
      evidence: evidence.service,
      logger,
      readiness: new IncidentReadinessChecker(
        new CatalogEntityCache({
          catalog,
          auth: mockServices.auth(),
          ttlMs: 60_000,
        }),
      ),
      readinessWriter: writer,
    });
    return { evidence, processor, writer, catalog, logger };
  }

  const gone: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'orphan', labels: { 'ops.example.com/tier': '1' } },
    spec: { type: 'service', lifecycle: 'production', owner: 'group:gone' },
  };
  const untiered: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'untiered',
      links: [{ url: 'https://runbooks.example/u', type: 'runbook' }],
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/checkout-team',
    },
  };

  it.each([
    [
      'checkout-service: owner, on-call, escalation, channel, runbook',
      demoEntity('Component', 'checkout-service'),
      [],
    ],
    [
      'notification-worker: owned by a user (R2)',
      demoEntity('Component', 'notification-worker'),
      [['OWNER_IS_USER', 'warn']],
    ],
    [
      'pricing-service: empty owner group inherits commerce-eng on-call (R3), no escalation',
      demoEntity('Component', 'pricing-service'),
      [
        ['OWNER_GROUP_EMPTY', 'warn'],
        ['NO_ESCALATION', 'warn'],
      ],
    ],
    [
      'owner that does not resolve, tier 1 (R1)',
      gone,
      [
        ['OWNER_UNRESOLVED', 'blocking'],
        ['NO_ONCALL', 'blocking'],
        ['NO_ESCALATION', 'warn'],
        ['NO_CHAT_CHANNEL', 'warn'],
        ['NO_RUNBOOK', 'warn'],
      ],
    ],
    ['no tier label', untiered, [['TIER_MISSING', 'warn']]],
  ])('%s', async (_name, entity, expected) => {
    const { evidence, processor, writer } = setup([
      ...demoEntities(),
      gone,
      untiered,
    ]);
    const { emitted } = await run(processor, entity);
    await writer.flush();
    expect(emitted.filter(e => e.type === 'error')).toEqual([]);
    expect(evidence.state.facts).toHaveLength(1);
    const fact = evidence.state.facts[0];
    expect(fact).toMatchObject({
      entityRef: expect.stringMatching(/^component:default\//),
      source: 'incident-brief',
      kind: 'incident.readiness',
    });
    const gaps = (fact.value as { gaps: { code: string; severity: string }[] })
      .gaps;
    expect(gaps.map(g => [g.code, g.severity])).toEqual(expected);
  });

  it('writes an unchanged report once, in one batch', async () => {
    const { evidence, processor, writer } = setup();
    for (const name of ['checkout-service', 'payment-service']) {
      await run(processor, demoEntity('Component', name));
      await run(processor, demoEntity('Component', name));
    }
    await writer.flush();
    await run(processor, demoEntity('Component', 'checkout-service'));
    await writer.flush();
    expect(evidence.state.facts.map(f => f.entityRef)).toEqual([
      c('checkout-service'),
      c('payment-service'),
    ]);
  });

  it('processes the whole demo catalog without a single error while catalog and evidence are down', async () => {
    const { evidence, processor, writer, catalog } = setup();
    evidence.state.available = false;
    evidence.state.writeFails = true;
    catalog.getEntitiesByRefs = async () => {
      throw new Error('catalog unavailable');
    };
    for (const entity of demoEntities()) {
      const { emitted } = await run(processor, entity);
      expect(emitted.filter(e => e.type === 'error')).toEqual([]);
    }
    await expect(writer.flush()).resolves.toBeUndefined();
    expect(evidence.state.facts).toEqual([]);
  });

  it('says once, at warn, that readiness cannot be checked while the catalog is unreadable, and once that it can again', async () => {
    const { processor, catalog, logger } = setup();
    const read = catalog.getEntitiesByRefs;
    catalog.getEntitiesByRefs = async () => {
      throw new Error('Request failed with 401 Unauthorized');
    };
    for (const entity of demoEntities()) await run(processor, entity);
    const lines = (calls: unknown[][]) =>
      calls.map(([m]) => String(m)).filter(m => m.includes('readiness'));
    expect(lines(logger.warn.mock.calls)).toEqual([
      'incident readiness not checked (the last written stays for a day, then reads as unknown): Error: Request failed with 401 Unauthorized',
    ]);
    catalog.getEntitiesByRefs = read;
    await run(processor, demoEntity('Component', 'checkout-service'));
    expect(lines(logger.info.mock.calls)).toEqual([
      expect.stringMatching(/^incident readiness checked again \(after/),
    ]);
  });

  it('processes the whole demo catalog without errors and reports gaps as facts', async () => {
    const { evidence, processor, writer } = setup();
    for (const entity of demoEntities()) {
      const { emitted } = await run(processor, entity);
      expect(emitted.filter(e => e.type === 'error')).toEqual([]);
    }
    await writer.flush();
    // 8 components, 6 resources, 4 systems
    expect(evidence.state.facts).toHaveLength(18);
  });
});

describe('observedDependenciesOf', () => {
  it('skips a malformed edge and keeps the entity’s other edges', () => {
    const self = c('checkout-service');
    expect(
      observedDependenciesOf(self, [
        observedEdge(self, c('payment-service')),
        observedEdge(self, 'tax-svc'), // no kind: not a ref
        observedEdge(self, 'component:default/a/b'), // a name with a slash
        observedEdge(self, `component:default/${'x'.repeat(300)}`), // too long
        { ...observedEdge(self, c('x')), dependencyRef: 42 as never },
      ]),
    ).toEqual([c('payment-service')]);
  });

  it('skips a dependency no catalog entity could be named by', () => {
    const self = c('checkout-service');
    expect(
      observedDependenciesOf(self, [
        observedEdge(self, 'component:default/has space'),
        observedEdge(self, 'component:de fault/x'),
        observedEdge(self, 'comp onent:default/x'),
        observedEdge(self, 'component:default/x\ny'),
        observedEdge(self, `component:default/${'a'.repeat(64)}`), // names stop at 63
        observedEdge(self, `component:${'n'.repeat(64)}/x`),
        observedEdge(self, 'component:default/-leading-dash'),
        observedEdge(self, c('payment-service')),
        observedEdge(self, `component:default/${'a'.repeat(63)}`),
      ]),
    ).toEqual([c('a'.repeat(63)), c('payment-service')]);
  });
});
