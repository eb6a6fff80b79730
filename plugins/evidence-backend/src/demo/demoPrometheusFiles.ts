import { stringify } from 'yaml';
import {
  DEMO_SERVICES,
  DEMO_SLO_WITHOUT_ALERTS,
  demoObjective,
} from './demoTelemetry';

/**
 * Prometheus rule file of the demo (§7.2): three alerting rules per service labelled
 * `service`/`team`/`severity`, and two burn-rate rules per SLO except payment-service's.
 */
export function demoPrometheusRulesYaml(): string {
  const groups = DEMO_SERVICES.map(service => {
    const labels = { service: service.alias, team: service.team };
    const sloId = `${service.entity}-availability`;
    const budget = 1 - demoObjective(service.tier);
    const rules: object[] = [
      {
        alert: 'HighErrorRate',
        expr: `sum(rate(traces_service_graph_request_failed_total{server="${service.alias}"}[5m])) > 1`,
        for: '5m',
        labels: { ...labels, severity: 'page' },
      },
      {
        alert: 'TrafficDrop',
        expr: `sum(rate(traces_service_graph_request_total{server="${service.alias}"}[5m])) < 0`,
        for: '10m',
        labels: { ...labels, severity: 'ticket' },
      },
      {
        alert: 'TelemetryMissing',
        expr: `absent_over_time(target_info{service="${service.alias}"}[10m])`,
        for: '15m',
        labels: { ...labels, severity: 'ticket' },
      },
    ];
    if (sloId !== DEMO_SLO_WITHOUT_ALERTS) {
      rules.push(
        {
          alert: 'SLOErrorBudgetFastBurn',
          expr: `max(slo:sli_error:ratio_rate1h{slo_id="${sloId}"}) > (14.4 * ${budget.toFixed(
            3,
          )})`,
          labels: { ...labels, slo_id: sloId, severity: 'page' },
        },
        {
          alert: 'SLOErrorBudgetSlowBurn',
          expr: `max(slo:sli_error:ratio_rate5m{slo_id="${sloId}"}) > (6 * ${budget.toFixed(
            3,
          )})`,
          labels: { ...labels, slo_id: sloId, severity: 'ticket' },
        },
      );
    }
    return { name: `demo-${service.entity}`, interval: '5s', rules };
  });
  return stringify({ groups });
}

/** Alertmanager configuration the demo stub serves: `<team>-pager` per team, root `default`. */
export function demoAlertmanagerConfigYaml(): string {
  const teams = [...new Set(DEMO_SERVICES.map(s => s.team))].sort();
  return stringify({
    route: {
      receiver: 'default',
      group_by: ['alertname', 'service'],
      routes: teams.map(team => ({
        matchers: [`team="${team}"`],
        receiver: `${team}-pager`,
      })),
    },
    receivers: [
      { name: 'default' },
      ...teams.map(team => ({ name: `${team}-pager` })),
    ],
  });
}

/** A Prometheus configuration scraping the demo exporter and loading `rules.yml` beside it. */
export function demoPrometheusConfigYaml(options: {
  exporterAddress: string;
  scrapeInterval?: string;
}): string {
  const interval = options.scrapeInterval ?? '5s';
  return stringify({
    global: { scrape_interval: interval, evaluation_interval: interval },
    rule_files: ['rules.yml'],
    scrape_configs: [
      {
        job_name: 'evidence-demo',
        static_configs: [{ targets: [options.exporterAddress] }],
      },
    ],
  });
}
