import type { EdgeInput } from '@internal/plugin-evidence-common';
import { DAY_MS, MINUTE_MS, demoTime } from './demoClock';
import { DEMO_SERVICE_GRAPH, DemoServiceGraphSeries } from './demoTelemetry';

/** Source of the demo service-graph series, as the Prometheus collector names its metric. */
export const DEMO_EDGE_SOURCE = 'prometheus:traces_service_graph_request_total';

/** One demo observed edge with its `lastSeen` offset from `T` in ms. */
export interface DemoEdge extends DemoServiceGraphSeries {
  lastSeenOffset: number;
}

/** `lastSeen` offsets of evidence §7.1: E3 T−1 m, E15 T−2 m, the others T−4 m. */
function lastSeenOffset(id: string): number {
  if (id === 'E3') return -MINUTE_MS;
  if (id === 'E15') return -2 * MINUTE_MS;
  return -4 * MINUTE_MS;
}

/** The 12 demo series (E3–E11, E15, E16, checkout→tax-svc); nothing for E1, E2, E12–E14. */
export const DEMO_EDGES: readonly DemoEdge[] = DEMO_SERVICE_GRAPH.map(
  series => ({ ...series, lastSeenOffset: lastSeenOffset(series.id) }),
);

/** First seen 29 days before `T`. */
export const DEMO_EDGE_FIRST_SEEN_OFFSET = -29 * DAY_MS;

/** The ingestion body of one demo edge with `T` at epoch ms `t`. */
export function demoEdgeInput(edge: DemoEdge, t: number): EdgeInput {
  return {
    source: DEMO_EDGE_SOURCE,
    client: edge.client,
    server: edge.server,
    connectionType: edge.connectionType,
    firstSeen: demoTime(t, DEMO_EDGE_FIRST_SEEN_OFFSET),
    lastSeen: demoTime(t, edge.lastSeenOffset),
    requestsPerMinute: 60,
    errorRatio: 0,
  };
}
