import { mockServices } from '@backstage/backend-test-utils';
import {
  edgeObservation,
  evaluateEvidence,
  normalizeEdge,
  telemetryPresence,
} from '@internal/plugin-evidence-common';
import { parse } from 'yaml';
import {
  DEMO_SERVICE_GRAPH,
  demoPrometheusRulesYaml,
  startDemoPrometheusExporter,
  DemoPrometheusExporter,
} from '../../demo';
import { buildAliasMap } from '../aliasMap';
import { loadDemoCatalogEntities } from '../testing/demoCatalog';
import {
  FakeAnswer,
  FakeHttpServer,
  startFakeHttpServer,
} from '../testing/fakeHttpServer';
import {
  InMemoryCollectorSink,
  toFactRecord,
} from '../testing/InMemoryCollectorSink';
import {
  defaultPrometheusSettings,
  PrometheusCollector,
} from './PrometheusCollector';

const T = new Date('2026-03-14T02:05:00Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const entities = loadDemoCatalogEntities();
const aliases = buildAliasMap(entities, {});

const vector = (
  result: { metric: Record<string, string>; value: number }[],
  at: number,
) => ({
  status: 'success',
  data: {
    resultType: 'vector',
    result: result.map(r => ({
      metric: r.metric,
      value: [at, String(r.value)],
    })),
  },
});

const edgeMetric = (s: {
  client: string;
  server: string;
  connectionType: string;
}) => ({
  client: s.client,
  server: s.server,
  // Prometheus drops empty label values.
  ...(s.connectionType ? { connection_type: s.connectionType } : {}),
});

const SERIES = [
  ...DEMO_SERVICE_GRAPH,
  { client: 'checkout', server: 'checkout', connectionType: '' }, // raw self-loop: never stored
  { client: 'checkout', server: 'queue', connectionType: 'carrier_pigeon' }, // unknown type
];

const demoRules = (
  parse(demoPrometheusRulesYaml()) as {
    groups: {
      name: string;
      rules: { alert: string; labels: Record<string, string> }[];
    }[];
  }
).groups.map(g => ({
  name: g.name,
  rules: g.rules.map(r => ({
    name: r.alert,
    type: 'alerting',
    labels: r.labels,
  })),
}));

/** A fake Prometheus HTTP API over the demo data; `failing` paths answer 500. */
function fakePrometheus(failing: Set<string>) {
  return (path: string, params: URLSearchParams): FakeAnswer => {
    if (failing.has(path)) return { status: 500, text: 'internal error' };
    const query = params.get('query') ?? '';
    const at = Number(params.get('time') ?? params.get('end'));
    if (path === '/api/v1/rules') {
      return { json: { status: 'success', data: { groups: demoRules } } };
    }
    if (path === '/api/v1/query_range') {
      const start = Number(params.get('start'));
      const end = Number(params.get('end'));
      return {
        json: {
          status: 'success',
          data: {
            resultType: 'matrix',
            result: SERIES.map(s => ({
              metric: edgeMetric(s),
              // Seen from T−29 d to the last step.
              values: [
                [Math.max(start, end - 29 * 86400), '5'],
                [end, '60'],
              ],
            })),
          },
        },
      };
    }
    if (query.includes('increase(')) {
      return {
        json: vector(
          SERIES.map(s => ({ metric: edgeMetric(s), value: 300 })),
          at,
        ),
      };
    }
    if (query.includes('rate(traces_service_graph_request_failed_total')) {
      return {
        json: vector(
          SERIES.map(s => ({
            metric: edgeMetric(s),
            value: s.server === 'tax-svc' ? 6 : 0,
          })),
          at,
        ),
      };
    }
    if (query.includes('rate(traces_service_graph_request_total')) {
      return {
        json: vector(
          SERIES.map(s => ({ metric: edgeMetric(s), value: 60 })),
          at,
        ),
      };
    }
    if (query.includes('target_info')) {
      const names = [
        'gateway',
        'checkout',
        'payments',
        'inventory',
        'orders',
        'pricing',
        'notifier',
      ];
      return {
        json: vector(
          names.map(service => ({ metric: { service }, value: 1 })),
          at,
        ),
      };
    }
    const sloIds = entities
      .filter(e => e.kind === 'Component')
      .map(e => e.annotations['ops.example.com/slo-ids']);
    const perSlo = (value: number) =>
      vector(
        sloIds.map(id => ({ metric: { slo_id: id }, value })),
        at,
      );
    if (query.includes('ratio_rate1h')) return { json: perSlo(0.4) };
    if (query.includes('timestamp(')) return { json: perSlo(at - 60) };
    if (query.includes('budget_remaining')) return { json: perSlo(0.8) };
    if (query.includes('slo:objective:ratio')) return { json: perSlo(0.999) };
    return {
      status: 400,
      json: { status: 'error', error: `unexpected query ${query}` },
    };
  };
}

describe('PrometheusCollector', () => {
  let prometheus: FakeHttpServer;
  let alertmanager: DemoPrometheusExporter;
  const failing = new Set<string>();

  beforeAll(async () => {
    prometheus = await startFakeHttpServer(fakePrometheus(failing));
    alertmanager = await startDemoPrometheusExporter();
  });
  afterAll(async () => {
    await prometheus.close();
    await alertmanager.close();
  });
  beforeEach(() => failing.clear());

  function setup(
    baseUrl = prometheus.url,
    sink = new InMemoryCollectorSink(),
    start = T,
  ) {
    let now = start;
    const collector = new PrometheusCollector({
      settings: {
        ...defaultPrometheusSettings(baseUrl),
        alertmanagerUrl: alertmanager.url,
        queryTimeoutMs: 2000,
      },
      sink,
      logger: mockServices.logger.mock(),
      listEntities: async () => entities,
      now: () => now,
    });
    return {
      sink,
      collector,
      advance: (ms: number) => {
        now = new Date(now.getTime() + ms);
      },
    };
  }

  it('stores the 12 demo series with their raw names, mapped as EV20 says', async () => {
    const { sink, collector } = setup();

    const summary = await collector.run();

    expect(summary).toMatchObject({ outcome: 'ok', catchUp: true, edges: 12 });
    const edges = [...sink.edges.values()];
    expect(edges).toHaveLength(12);
    expect(
      edges.every(
        e => e.source === 'prometheus:traces_service_graph_request_total',
      ),
    ).toBe(true);
    expect(edges.find(e => e.client === e.server)).toBeUndefined();
    // Catch-up: first and last hourly step with a value.
    const e3 = edges.find(e => e.client === 'gateway')!;
    expect(e3.lastSeen).toBe(T.toISOString());
    expect(e3.firstSeen).toBe(
      new Date(T.getTime() - 29 * 86400_000).toISOString(),
    );
    expect(e3.requestsPerMinute).toBe(60);
    expect(e3.errorRatio).toBe(0);
    expect(edges.find(e => e.server === 'tax-svc')?.errorRatio).toBe(0.1);

    const mapped = (client: string, server: string) => {
      const edge = edges.find(e => e.client === client && e.server === server)!;
      return normalizeEdge(edge, aliases.resolve);
    };
    expect(mapped('orders', 'notifier')).toMatchObject({
      dependentRef: 'component:default/notification-worker',
      dependencyRef: 'component:default/order-service',
      interaction: 'async',
    });
    expect(mapped('checkout', 'checkout_pg')).toMatchObject({
      dependentRef: 'component:default/checkout-service',
      dependencyRef: 'resource:default/checkout-db',
      interaction: 'sync',
    });
    expect(mapped('payments', 'api.stripe.com')).toMatchObject({
      dependencyRef: 'resource:default/payment-provider',
    });
    expect(mapped('checkout', 'tax-svc')).toMatchObject({
      dependentRef: 'component:default/checkout-service',
      dependencyRef: null,
      unmapped: ['server'],
    });
  });

  it('writes presence, routed alert rules and SLO facts per entity (EV22, EV45)', async () => {
    const { sink, collector } = setup();
    await collector.run();

    const fact = (name: string, kind: string, k = 'component') =>
      sink.fact(`${k}:default/${name}`, 'prometheus', kind)?.value;

    expect(fact('checkout-service', 'telemetry.presence')).toEqual({
      // argocd/app-name is an explicit claim too (§2.1).
      aliases: ['checkout', 'checkout-prod', 'checkout-service'],
      series: [{ alias: 'checkout', lastSampleAt: T.toISOString() }],
    });
    // Fresh collection, nothing seen: absence with coverage, not unknown.
    expect(fact('web-storefront', 'telemetry.presence')).toEqual({
      aliases: ['web-storefront'],
      series: [],
    });
    const now = T.toISOString();
    const facts = [...sink.facts.values()].map(toFactRecord);
    expect(
      telemetryPresence('component:default/web-storefront', facts, [], now),
    ).toEqual({
      state: 'absent',
    });
    expect(
      telemetryPresence('component:default/checkout-service', facts, [], now),
    ).toEqual({
      state: 'present',
      basis: 'series',
    });
    // checkout-db has no series but is the end of a fresh edge.
    const mappedEdges = [...sink.edges.values()].map(e => ({
      ...e,
      ...normalizeEdge(e, aliases.resolve)!,
    }));
    expect(
      telemetryPresence(
        'resource:default/checkout-db',
        facts,
        mappedEdges,
        now,
      ),
    ).toEqual({ state: 'present', basis: 'edge' });

    const rules = fact('checkout-service', 'alerts.rules') as {
      rules: {
        name: string;
        labels: Record<string, string>;
        receivers: string[];
        defaultReceiver: boolean;
      }[];
    };
    expect(rules.rules).toHaveLength(5);
    expect(
      rules.rules.every(r => r.receivers.join() === 'checkout-team-pager'),
    ).toBe(true);
    expect(rules.rules.every(r => r.defaultReceiver === false)).toBe(true);
    expect(rules.rules[0].labels).toEqual({
      service: 'checkout',
      team: 'checkout-team',
      severity: 'page',
    });

    expect(fact('checkout-service', 'slo.alerts')).toEqual({
      'checkout-service-availability': {
        burnRateRules: 2,
        names: ['SLOErrorBudgetFastBurn', 'SLOErrorBudgetSlowBurn'],
      },
    });
    expect(fact('payment-service', 'slo.alerts')).toEqual({
      'payment-service-availability': { burnRateRules: 0, names: [] },
    });
    expect(fact('checkout-service', 'slo.definitions')).toEqual({
      ids: { 'checkout-service-availability': { objective: 0.999 } },
    });
    expect(fact('checkout-service', 'slo.status')).toEqual({
      'checkout-service-availability': {
        lastSampleAt: new Date(T.getTime() - MIN).toISOString(),
        burnRate1h: 0.4,
        budgetRemaining: 0.8,
      },
    });
    // order-events: no alias claimed, implicit name only → presence written with no series.
    expect(fact('order-events', 'telemetry.presence', 'resource')).toEqual({
      aliases: ['order-events'],
      series: [],
    });
    expect(
      sink.status('api:default/checkout-api', 'prometheus'),
    ).toBeUndefined();
    expect(sink.lastRun()).toMatchObject({
      source: 'prometheus',
      outcome: 'ok',
    });
  });

  it('switches to the steady instant query after a successful run', async () => {
    const { collector, advance } = setup();
    await collector.run();
    advance(5 * MIN);
    prometheus.requests.length = 0;

    const summary = await collector.run();

    expect(summary.catchUp).toBe(false);
    expect(
      prometheus.requests.some(r => r.path === '/api/v1/query_range'),
    ).toBe(false);
    const steady = prometheus.requests.find(r =>
      r.params.get('query')?.includes('increase('),
    );
    // L = clamp(now − lastSuccess + 1 m, 5 m, 1 h) = 6 min.
    expect(steady?.params.get('query')).toBe(
      'sum by (client, server, connection_type) (increase(traces_service_graph_request_total[360s])) > 0',
    );
  });

  describe('after a restart, or on another replica', () => {
    const rangeStart = () => {
      const range = prometheus.requests.find(
        r => r.path === '/api/v1/query_range',
      );
      return range && Number(range.params.get('start')) * 1000;
    };

    it('continues with the steady query from the stored end of the last edge collection', async () => {
      const { sink, collector } = setup();
      await collector.run();
      expect(
        sink.edgeCollections.get(
          'prometheus:traces_service_graph_request_total',
        ),
      ).toBe(T.getTime());
      prometheus.requests.length = 0;

      // A new process over the same store, 5 minutes later.
      const restarted = setup(
        prometheus.url,
        sink,
        new Date(T.getTime() + 5 * MIN),
      );
      const summary = await restarted.collector.run();

      expect(summary.catchUp).toBe(false);
      expect(rangeStart()).toBeUndefined();
      expect(
        prometheus.requests
          .find(r => r.params.get('query')?.includes('increase('))
          ?.params.get('query'),
      ).toContain('[360s]');
    });

    it('catches up from the stored time after a gap of more than an hour, not 30 days back', async () => {
      const { sink, collector } = setup();
      await collector.run();
      prometheus.requests.length = 0;

      const later = new Date(T.getTime() + 3 * HOUR);
      const restarted = setup(prometheus.url, sink, later);
      const summary = await restarted.collector.run();

      expect(summary.catchUp).toBe(true);
      expect(rangeStart()).toBe(later.getTime() - 3 * HOUR);
    });

    it('does not move the stored time when the edge step fails', async () => {
      const { sink, collector, advance } = setup();
      await collector.run();
      advance(5 * MIN);
      failing.add('/api/v1/query');

      const summary = await collector.run();

      expect(summary.failedSteps.edges).toBeDefined();
      expect(
        sink.edgeCollections.get(
          'prometheus:traces_service_graph_request_total',
        ),
      ).toBe(T.getTime());
    });

    it("uses the instance's own record when the stored one cannot be read", async () => {
      const sink = new InMemoryCollectorSink();
      sink.lastEdgeCollection = async () => {
        throw new Error('database unavailable');
      };
      const { collector, advance } = setup(prometheus.url, sink);
      expect((await collector.run()).catchUp).toBe(true);
      advance(5 * MIN);

      expect((await collector.run()).catchUp).toBe(false);
    });
  });

  it('leaves alerts.rules untouched when only the rules API fails, and reports degraded (EV17)', async () => {
    const { sink, collector, advance } = setup();
    await collector.run();
    const rulesBefore = sink.fact(
      'component:default/checkout-service',
      'prometheus',
      'alerts.rules',
    );

    failing.add('/api/v1/rules');
    advance(5 * MIN);
    const summary = await collector.run();

    expect(summary.outcome).toBe('degraded');
    expect(Object.keys(summary.failedSteps)).toEqual(['rules']);
    expect(
      sink.fact(
        'component:default/checkout-service',
        'prometheus',
        'alerts.rules',
      ),
    ).toEqual(rulesBefore);
    expect(
      sink.fact(
        'component:default/checkout-service',
        'prometheus',
        'telemetry.presence',
      )?.observedAt,
    ).toEqual(new Date(T.getTime() + 5 * MIN));
    const e3 = [...sink.edges.values()].find(e => e.client === 'gateway')!;
    expect(e3.lastSeen).toBe(new Date(T.getTime() + 5 * MIN).toISOString());
    expect(sink.lastRun()).toMatchObject({ outcome: 'degraded' });
  });

  it('records unavailable, writes nothing and throws nothing when Prometheus is down (EV16)', async () => {
    const closed = await startFakeHttpServer(() => ({ status: 200 }));
    await closed.close();
    const { sink, collector } = setup(closed.url);
    // Alertmanager still answers; Prometheus does not: every Prometheus sub-step fails.
    const summary = await collector.run();

    expect(summary.outcome).toBe('unavailable');
    expect(summary.failedSteps.edges).toMatch(/ECONNREFUSED/);
    expect(sink.writes).toEqual([]);
    expect(sink.lastRun()).toMatchObject({
      source: 'prometheus',
      outcome: 'unavailable',
    });
  });

  it('is unavailable when every sub-step fails with connection errors or 5xx', async () => {
    const up = setup();
    await up.collector.run(); // a fact and edges to age

    failing
      .add('/api/v1/query')
      .add('/api/v1/query_range')
      .add('/api/v1/rules');
    const down = new PrometheusCollector({
      settings: {
        ...defaultPrometheusSettings(prometheus.url),
        queryTimeoutMs: 2000,
      },
      sink: up.sink,
      logger: mockServices.logger.mock(),
      listEntities: async () => entities,
      now: () => new Date(T.getTime() + 5 * MIN),
    });
    const writesBefore = up.sink.writes.length;
    await expect(down.run()).resolves.toMatchObject({ outcome: 'unavailable' });
    expect(up.sink.writes.length).toBe(writesBefore);
    expect(up.sink.lastRun()).toMatchObject({ outcome: 'unavailable' });

    // At T + 24 h + 1 s the facts read source-unavailable and the edges stale.
    const later = new Date(T.getTime() + 86400_000 + 1000).toISOString();
    const presence = up.sink.fact(
      'component:default/checkout-service',
      'prometheus',
      'telemetry.presence',
    )!;
    expect(
      evaluateEvidence({
        fact: toFactRecord(presence),
        now: later,
        health: {
          source: 'prometheus',
          status: 'unavailable',
          since: new Date(T.getTime() + 5 * MIN).toISOString(),
          lastSuccessAt: T.toISOString(),
          lastAttemptAt: new Date(T.getTime() + 5 * MIN).toISOString(),
        },
      }),
    ).toMatchObject({ state: 'source-unavailable', cause: 'source-down' });
    for (const edge of up.sink.edges.values()) {
      expect(edgeObservation(edge.lastSeen, later)).toBe('stale');
    }
  });

  it('is unavailable, not degraded, when every sub-step fails some other way (a wrong path: 404 everywhere)', async () => {
    // degraded counts as a success: lastSuccessAt would move on while nothing is collected
    const lost = await startFakeHttpServer(() => ({
      status: 404,
      text: 'not found',
    }));
    try {
      const { sink, collector } = setup(lost.url);
      await expect(collector.run()).resolves.toMatchObject({
        outcome: 'unavailable',
      });
      expect(sink.writes).toEqual([]);
      expect(sink.lastRun()).toMatchObject({ outcome: 'unavailable' });
    } finally {
      await lost.close();
    }
  });

  describe('answers that are not what they seem', () => {
    /** The demo Prometheus with `override` answering first where it answers at all. */
    async function withAnswers(
      override: (
        path: string,
        params: URLSearchParams,
      ) => FakeAnswer | undefined,
    ) {
      const demo = fakePrometheus(new Set());
      const server = await startFakeHttpServer(
        (path, params) => override(path, params) ?? demo(path, params),
      );
      return { ...setup(server.url), close: () => server.close() };
    }
    const fact = (sink: InMemoryCollectorSink, entity: string, kind: string) =>
      sink.fact(`component:default/${entity}`, 'prometheus', kind)?.value;

    it('takes a partial response (Thanos, Cortex) as a failed step, not as "no rules"', async () => {
      const { sink, collector, close } = await withAnswers(path =>
        path === '/api/v1/rules'
          ? {
              json: {
                status: 'success',
                warnings: ['partial response: store gateway unavailable'],
                data: { groups: [] },
              },
            }
          : undefined,
      );
      try {
        const summary = await collector.run();
        expect(summary.outcome).toBe('degraded');
        expect(summary.failedSteps.rules).toMatch(/partial response/);
        // nothing written that reads as "this service has no alert rules"
        expect(fact(sink, 'checkout-service', 'alerts.rules')).toBeUndefined();
      } finally {
        await close();
      }
    });

    it('reads an SLO whose series disagree as unknown, not as whichever came last', async () => {
      const { sink, collector, close } = await withAnswers((_path, params) => {
        const query = params.get('query') ?? '';
        if (!query.includes('ratio_rate1h')) return undefined;
        const at = Number(params.get('time'));
        return {
          json: vector(
            [
              {
                metric: { slo_id: 'checkout-service-availability' },
                value: 14.4,
              },
              {
                metric: { slo_id: 'checkout-service-availability' },
                value: 0.1,
              },
            ],
            at,
          ),
        };
      });
      try {
        await collector.run();
        expect(
          (
            fact(sink, 'checkout-service', 'slo.status') as Record<
              string,
              { burnRate1h: number | null }
            >
          )['checkout-service-availability'].burnRate1h,
        ).toBeNull();
      } finally {
        await close();
      }
    });
  });

  it('answers a hanging Prometheus with a timeout instead of hanging the run', async () => {
    const slow = await startFakeHttpServer(() => ({ delayMs: 2000, json: {} }));
    try {
      const sink = new InMemoryCollectorSink();
      const collector = new PrometheusCollector({
        settings: {
          ...defaultPrometheusSettings(slow.url),
          queryTimeoutMs: 100,
        },
        sink,
        logger: mockServices.logger.mock(),
        listEntities: async () => entities,
        now: () => T,
      });
      const started = Date.now();
      const summary = await collector.run();
      expect(Date.now() - started).toBeLessThan(1500);
      expect(summary.outcome).toBe('unavailable');
      expect(summary.failedSteps.presence).toMatch(/no answer within 100 ms/);
      expect(sink.writes).toEqual([]);
    } finally {
      await slow.close();
    }
  });
});
