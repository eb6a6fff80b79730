/*
 * Runs the Prometheus collector against a real Prometheus (binary at $PROMETHEUS_BIN, default
 * /usr/bin/prometheus) scraping the demo exporter every second (evidence §7.2, EV16, EV20, EV45).
 * CI installs the binary; a missing binary fails the suite instead of skipping it.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import {
  edgeObservation,
  evaluateEvidence,
  normalizeEdge,
  telemetryPresence,
} from '@internal/plugin-evidence-common';
import {
  DEMO_SERVICES,
  demoObjective,
  DemoPrometheusExporter,
  demoPrometheusConfigYaml,
  demoPrometheusRulesYaml,
  startDemoPrometheusExporter,
} from '../../demo';
import { buildAliasMap } from '../aliasMap';
import { loadDemoCatalogEntities } from '../testing/demoCatalog';
import {
  InMemoryCollectorSink,
  toFactRecord,
} from '../testing/InMemoryCollectorSink';
import {
  defaultPrometheusSettings,
  PrometheusCollector,
} from './PrometheusCollector';

jest.setTimeout(40_000);

const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN || '/usr/bin/prometheus';
const DAY_MS = 86_400_000;
const STEADY_EDGE_QUERY =
  'sum by (client, server, connection_type) (increase(traces_service_graph_request_total[1m])) > 0';

const entities = loadDemoCatalogEntities();
const aliases = buildAliasMap(entities, {});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitFor<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${
      lastError ? ` (last error: ${lastError})` : ''
    }`,
  );
}

describe('PrometheusCollector against a real Prometheus', () => {
  let exporter: DemoPrometheusExporter | undefined;
  let prometheus: ChildProcess | undefined;
  let prometheusExited: Promise<void> | undefined;
  let prometheusLog = '';
  let tmpDir: string | undefined;
  let baseUrl = '';
  const sink = new InMemoryCollectorSink();
  let collector: PrometheusCollector;
  const timings: Record<string, number> = {};

  const stopPrometheus = async () => {
    if (!prometheus || prometheus.exitCode !== null) return;
    prometheus.kill('SIGTERM');
    const killer = setTimeout(() => prometheus?.kill('SIGKILL'), 3000);
    await prometheusExited;
    clearTimeout(killer);
  };
  const killOnExit = () => prometheus?.kill('SIGKILL');

  beforeAll(async () => {
    const started = Date.now();
    if (!fs.existsSync(PROMETHEUS_BIN)) {
      throw new Error(
        `Prometheus binary not found at ${PROMETHEUS_BIN} (set PROMETHEUS_BIN or install the ` +
          `Debian package 'prometheus'); this integration test does not skip.`,
      );
    }
    exporter = await startDemoPrometheusExporter();
    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'evidence-prometheus-'));
    fs.writeFileSync(
      path.join(tmpDir, 'prometheus.yml'),
      demoPrometheusConfigYaml({
        exporterAddress: exporter.address,
        scrapeInterval: '1s',
      }),
    );
    fs.writeFileSync(path.join(tmpDir, 'rules.yml'), demoPrometheusRulesYaml());

    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      PROMETHEUS_BIN,
      [
        `--config.file=${path.join(tmpDir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(tmpDir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prometheusExited = new Promise(resolve =>
      prometheus!.once('exit', () => resolve()),
    );
    const capture = (chunk: Buffer) => {
      prometheusLog = (prometheusLog + chunk.toString()).slice(-4000);
    };
    prometheus.stdout?.on('data', capture);
    prometheus.stderr?.on('data', capture);
    process.once('exit', killOnExit);

    try {
      await waitFor('Prometheus to be ready', 15_000, async () => {
        if (prometheus?.exitCode !== null) {
          throw new Error(`prometheus exited with ${prometheus?.exitCode}`);
        }
        const res = await fetch(`${baseUrl}/-/ready`);
        return res.ok ? true : undefined;
      });
      timings.ready = Date.now() - started;
      // Ingested: the steady edge query sees all 12 series (two scrapes at least).
      await waitFor('the 12 demo series to be ingested', 20_000, async () => {
        const res = await fetch(
          `${baseUrl}/api/v1/query?${new URLSearchParams({
            query: STEADY_EDGE_QUERY,
          })}`,
        );
        const body = (await res.json()) as { data?: { result?: unknown[] } };
        return body.data?.result?.length === 12 ? true : undefined;
      });
      await waitFor('rules to be loaded', 5_000, async () => {
        const res = await fetch(`${baseUrl}/api/v1/rules?type=alert`);
        const body = (await res.json()) as { data?: { groups?: unknown[] } };
        return (body.data?.groups?.length ?? 0) === DEMO_SERVICES.length
          ? true
          : undefined;
      });
      timings.ingested = Date.now() - started;
    } catch (error) {
      throw new Error(
        `${(error as Error).message}\nprometheus log:\n${prometheusLog}`,
      );
    }

    collector = new PrometheusCollector({
      settings: {
        ...defaultPrometheusSettings(baseUrl),
        alertmanagerUrl: exporter.url,
        queryTimeoutMs: 5_000,
      },
      sink,
      logger: mockServices.logger.mock(),
      listEntities: async () => entities,
    });
  });

  afterAll(async () => {
    await stopPrometheus();
    process.removeListener('exit', killOnExit);
    await exporter?.close();
    if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
    // eslint-disable-next-line no-console
    console.info(
      `prometheus integration timings (ms): ${JSON.stringify(timings)}`,
    );
  });

  it('collects the 12 demo series mapped as incident-brief §7 says (EV20, EV45)', async () => {
    const runStarted = Date.now();
    const summary = await collector.run();
    timings.firstRun = Date.now() - runStarted;

    expect(summary.failedSteps).toEqual({});
    expect(summary).toMatchObject({ outcome: 'ok', catchUp: true, edges: 12 });
    const edges = [...sink.edges.values()];
    expect(edges).toHaveLength(12);
    for (const edge of edges) {
      expect(Date.now() - Date.parse(edge.lastSeen)).toBeLessThan(5 * 60_000);
      expect(edge.source).toBe('prometheus:traces_service_graph_request_total');
      expect(edge.errorRatio).toBe(0);
      expect(edge.requestsPerMinute).toBeGreaterThan(0);
    }

    const mapped = Object.fromEntries(
      edges.map(e => [
        `${e.client}→${e.server}`,
        normalizeEdge(e, aliases.resolve)!,
      ]),
    );
    const dep = (key: string) => [
      mapped[key].dependentRef,
      mapped[key].dependencyRef,
      mapped[key].interaction,
    ];
    expect(dep('gateway→checkout')).toEqual([
      'component:default/api-gateway',
      'component:default/checkout-service',
      'sync',
    ]);
    expect(dep('checkout→checkout_pg')).toEqual([
      'component:default/checkout-service',
      'resource:default/checkout-db',
      'sync',
    ]);
    expect(dep('payments→api.stripe.com')).toEqual([
      'component:default/payment-service',
      'resource:default/payment-provider',
      'sync',
    ]);
    expect(dep('inventory→inventory-spanner')).toEqual([
      'component:default/inventory-service',
      'resource:default/inventory-db',
      'sync',
    ]);
    expect(dep('checkout→pricing')).toEqual([
      'component:default/checkout-service',
      'component:default/pricing-service',
      'sync',
    ]);
    expect(dep('orders→notifier')).toEqual([
      'component:default/notification-worker',
      'component:default/order-service',
      'async',
    ]);
    expect(mapped['checkout→tax-svc']).toMatchObject({
      dependentRef: 'component:default/checkout-service',
      dependencyRef: null,
      unmapped: ['server'],
    });
    expect(edges.find(e => e.server === 'checkout_pg')?.connectionType).toBe(
      'database',
    );

    // Presence for every alias but web-storefront; alert rules routed to <team>-pager;
    // burn-rate rules for every SLO except payment-service's.
    for (const service of DEMO_SERVICES) {
      const ref = `component:default/${service.entity}`;
      const presence = sink.fact(ref, 'prometheus', 'telemetry.presence')
        ?.value as {
        series: { alias: string }[];
      };
      expect(presence.series.map(s => s.alias)).toEqual(
        service.telemetry ? [service.alias] : [],
      );
      const rules = sink.fact(ref, 'prometheus', 'alerts.rules')?.value as {
        rules: { receivers: string[]; defaultReceiver: boolean }[];
      };
      const sloId = `${service.entity}-availability`;
      const burnRateRules = service.entity === 'payment-service' ? 0 : 2;
      expect(rules.rules).toHaveLength(3 + burnRateRules);
      for (const rule of rules.rules) {
        expect(rule).toMatchObject({
          receivers: [`${service.team}-pager`],
          defaultReceiver: false,
        });
      }
      expect(sink.fact(ref, 'prometheus', 'slo.alerts')?.value).toMatchObject({
        [sloId]: { burnRateRules },
      });
      expect(sink.fact(ref, 'prometheus', 'slo.definitions')?.value).toEqual({
        ids: {
          [sloId]: {
            objective: demoObjective(service.tier),
          },
        },
      });
      expect(sink.fact(ref, 'prometheus', 'slo.status')?.value).toMatchObject({
        [sloId]: { burnRate1h: 0.4, budgetRemaining: 0.8 },
      });
    }
    const now = new Date().toISOString();
    const facts = [...sink.facts.values()].map(toFactRecord);
    expect(
      telemetryPresence('component:default/web-storefront', facts, [], now),
    ).toEqual({ state: 'absent' });
    expect(sink.lastRun()).toMatchObject({
      source: 'prometheus',
      outcome: 'ok',
    });
  });

  it('with Prometheus stopped: unavailable, nothing written, nothing thrown; stale after 24 h (EV16)', async () => {
    const stopStarted = Date.now();
    await stopPrometheus();
    timings.stop = Date.now() - stopStarted;
    const writesBefore = sink.writes.length;
    const edgesBefore = JSON.stringify([...sink.edges.values()]);
    const lastOk = sink.lastRun()!;

    const summary = await collector.run();

    expect(summary.outcome).toBe('unavailable');
    expect(sink.writes.length).toBe(writesBefore);
    expect(JSON.stringify([...sink.edges.values()])).toBe(edgesBefore);
    const failedRun = sink.lastRun()!;
    expect(failedRun).toMatchObject({
      source: 'prometheus',
      outcome: 'unavailable',
    });

    // A day later, without another successful run: facts are source-unavailable, edges stale.
    const later = new Date(Date.now() + DAY_MS + 60_000).toISOString();
    const health = {
      source: 'prometheus',
      status: 'unavailable' as const,
      since: failedRun.at.toISOString(),
      lastSuccessAt: lastOk.at.toISOString(),
      lastAttemptAt: failedRun.at.toISOString(),
    };
    for (const fact of sink.facts.values()) {
      expect(
        evaluateEvidence({ fact: toFactRecord(fact), now: later, health }),
      ).toMatchObject({ state: 'source-unavailable', cause: 'source-down' });
    }
    for (const edge of sink.edges.values()) {
      expect(edgeObservation(edge.lastSeen, later)).toBe('stale');
    }
    const facts = [...sink.facts.values()].map(toFactRecord);
    const mappedEdges = [...sink.edges.values()].map(e => ({
      ...e,
      ...normalizeEdge(e, aliases.resolve)!,
    }));
    expect(
      telemetryPresence(
        'component:default/checkout-service',
        facts,
        mappedEdges,
        later,
      ),
    ).toEqual({ state: 'unknown' });
  });
});
