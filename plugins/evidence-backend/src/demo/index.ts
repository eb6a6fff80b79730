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
export {
  DemoEvidence,
  DEMO_REFRESH_TASK_ID,
  DEMO_READY_REF,
  demoHealthSources,
} from './DemoEvidence';
export type { DemoEvidenceOptions } from './DemoEvidence';
export { DemoRepository } from './DemoRepository';
export {
  seedDemoEvidence,
  refreshDemoEvidence,
  DEMO_HEALTH_SOURCES,
  DEMO_PRINCIPAL,
} from './seedDemoEvidence';
export type {
  DemoSeedSummary,
  SeedDemoEvidenceOptions,
} from './seedDemoEvidence';
export { DEMO_LEDGER, demoChangeInput, demoNaturalKey } from './demoLedger';
export type { DemoLedgerEntry } from './demoLedger';
export { DEMO_FACTS, DEMO_RESOURCES } from './demoFacts';
export type { DemoFact } from './demoFacts';
export {
  DEMO_EDGES,
  DEMO_EDGE_SOURCE,
  DEMO_EDGE_FIRST_SEEN_OFFSET,
  demoEdgeInput,
} from './demoEdges';
export type { DemoEdge } from './demoEdges';
