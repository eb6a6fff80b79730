import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { demoAlertmanagerConfigYaml } from './demoPrometheusFiles';
import {
  DEMO_RESOURCE_ALIASES,
  DEMO_SERVICE_GRAPH,
  DEMO_SERVICES,
  DEMO_SLO_BUDGET_REMAINING,
  DEMO_SLO_BURN_RATE,
  demoObjective,
} from './demoTelemetry';

/** A running demo exporter. */
export interface DemoPrometheusExporter {
  /** `http://host:port`. */
  url: string;
  /** `host:port`, as a Prometheus scrape target. */
  address: string;
  close(): Promise<void>;
}

/**
 * Renders the demo's Prometheus exposition at `nowMs`: the 12 service-graph counters growing
 * 60 per minute since `startMs`, their failed counters at 0, `target_info` for every demo alias
 * except web-storefront (no server-side telemetry), and Sloth-named SLO series.
 */
export function renderDemoMetrics(startMs: number, nowMs: number): string {
  const requests = 1000 + Math.floor(Math.max(0, nowMs - startMs) / 1000);
  const lines: string[] = [];
  const edgeLabels = (s: (typeof DEMO_SERVICE_GRAPH)[number]) =>
    `client="${s.client}",server="${s.server}",connection_type="${s.connectionType}"`;

  lines.push(
    '# HELP traces_service_graph_request_total Requests between two nodes (demo recording).',
    '# TYPE traces_service_graph_request_total counter',
    ...DEMO_SERVICE_GRAPH.map(
      s => `traces_service_graph_request_total{${edgeLabels(s)}} ${requests}`,
    ),
    '# HELP traces_service_graph_request_failed_total Failed requests between two nodes.',
    '# TYPE traces_service_graph_request_failed_total counter',
    ...DEMO_SERVICE_GRAPH.map(
      s => `traces_service_graph_request_failed_total{${edgeLabels(s)}} 0`,
    ),
    '# HELP target_info Target metadata.',
    '# TYPE target_info gauge',
    ...DEMO_SERVICES.filter(s => s.telemetry).map(
      s => `target_info{service="${s.alias}"} 1`,
    ),
    ...DEMO_RESOURCE_ALIASES.map(alias => `target_info{service="${alias}"} 1`),
  );

  const slo = (name: string, value: (objective: number) => number) => [
    `# TYPE ${name} gauge`,
    ...DEMO_SERVICES.map(s => {
      const objective = demoObjective(s.tier);
      return `${name}{slo_id="${s.entity}-availability",service="${
        s.alias
      }"} ${value(objective)}`;
    }),
  ];
  // burn rate = error ratio / (1 − objective), so the ratio is chosen to give DEMO_SLO_BURN_RATE.
  const errorRatio = (objective: number) =>
    Number((DEMO_SLO_BURN_RATE * (1 - objective)).toPrecision(6));
  lines.push(
    ...slo('slo:objective:ratio', o => o),
    ...slo('slo:sli_error:ratio_rate5m', errorRatio),
    ...slo('slo:sli_error:ratio_rate1h', errorRatio),
    ...slo(
      'slo:period_error_budget_remaining:ratio',
      () => DEMO_SLO_BUDGET_REMAINING,
    ),
  );
  return `${lines.join('\n')}\n`;
}

/**
 * Starts the demo exporter (`GET /metrics`) with an Alertmanager stub (`GET /api/v2/status`
 * carrying the demo route tree), on 127.0.0.1 and a free port unless told otherwise.
 */
export async function startDemoPrometheusExporter(
  options: { port?: number; host?: string; now?: () => number } = {},
): Promise<DemoPrometheusExporter> {
  const now = options.now ?? Date.now;
  const startMs = now();
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(renderDemoMetrics(startMs, now()));
      return;
    }
    if (req.method === 'GET' && path === '/api/v2/status') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          cluster: { status: 'disabled', peers: [] },
          config: { original: demoAlertmanagerConfigYaml() },
          uptime: new Date(startMs).toISOString(),
          versionInfo: { version: 'evidence-demo-stub' },
        }),
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found\n');
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    address: `${host}:${port}`,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
