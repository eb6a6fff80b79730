export {
  startDemoPrometheusExporter,
  renderDemoMetrics,
} from './DemoPrometheusExporter';
export type { DemoPrometheusExporter } from './DemoPrometheusExporter';
export {
  demoPrometheusRulesYaml,
  demoPrometheusConfigYaml,
  demoAlertmanagerConfigYaml,
} from './demoPrometheusFiles';
export * from './demoTelemetry';
