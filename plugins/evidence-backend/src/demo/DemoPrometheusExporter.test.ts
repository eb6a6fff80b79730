import { parse } from 'yaml';
import {
  DEMO_SERVICE_GRAPH,
  demoPrometheusRulesYaml,
  renderDemoMetrics,
  startDemoPrometheusExporter,
} from '.';

describe('demo Prometheus exporter', () => {
  it('exposes the 12 service-graph series growing 60 per minute', () => {
    const text = renderDemoMetrics(0, 60_000);
    const counters = text
      .split('\n')
      .filter(l => l.startsWith('traces_service_graph_request_total{'));
    expect(counters).toHaveLength(12);
    expect(DEMO_SERVICE_GRAPH).toHaveLength(12);
    expect(counters).toContain(
      'traces_service_graph_request_total{client="orders",server="notifier",connection_type="messaging_system"} 1060',
    );
    expect(renderDemoMetrics(0, 0)).toContain(
      'traces_service_graph_request_total{client="checkout",server="tax-svc",connection_type=""} 1000',
    );
    expect(text).not.toContain('target_info{service="web-storefront"}');
    expect(text).toContain('target_info{service="api.stripe.com"} 1');
    expect(text).toContain(
      'slo:objective:ratio{slo_id="pricing-service-availability",service="pricing"} 0.995',
    );
  });

  it('has three alert rules per service and two burn-rate rules per SLO but payment-service', () => {
    const { groups } = parse(demoPrometheusRulesYaml()) as {
      groups: { name: string; rules: { labels: Record<string, string> }[] }[];
    };
    expect(groups).toHaveLength(8);
    for (const group of groups) {
      const burn = group.rules.filter(r => r.labels.slo_id).length;
      expect(group.rules.length - burn).toBe(3);
      expect(burn).toBe(group.name === 'demo-payment-service' ? 0 : 2);
    }
  });

  it('serves /metrics and the Alertmanager stub over HTTP', async () => {
    const exporter = await startDemoPrometheusExporter();
    try {
      const metrics = await fetch(`${exporter.url}/metrics`);
      expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await metrics.text()).toContain(
        'traces_service_graph_request_failed_total',
      );
      const status = (await (
        await fetch(`${exporter.url}/api/v2/status`)
      ).json()) as {
        config: { original: string };
      };
      expect(parse(status.config.original).route.receiver).toBe('default');
      expect((await fetch(`${exporter.url}/nope`)).status).toBe(404);
    } finally {
      await exporter.close();
    }
  });
});
