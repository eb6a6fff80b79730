import { edgeObservation } from '../edges/edgeObservation';
import { FactRecord } from '../records/factRecord';
import { ObservedEdge } from '../records/observedEdge';
import { evaluateEvidence } from './evaluateEvidence';
import { pickLatest } from './pickLatest';

/**
 * Whether an entity is seen in telemetry, and what showed it (§5.2, R-5).
 *
 * @public
 */
export type TelemetryPresence =
  | { state: 'present'; basis: 'series' | 'edge' }
  | { state: 'absent' }
  | { state: 'unknown' };

/**
 * `present` with a fresh presence series or a fresh observed edge touching the entity, `absent`
 * when a fresh presence fact lists no series and no fresh edge exists, else `unknown` (§5.2).
 *
 * @public
 */
export function telemetryPresence(
  entityRef: string,
  facts: readonly FactRecord[],
  edges: readonly Pick<ObservedEdge, 'clientRef' | 'serverRef' | 'lastSeen'>[],
  now: string,
  options: { edgeFreshForSeconds?: number; maxAgeSeconds?: number } = {},
): TelemetryPresence {
  const fact = pickLatest(
    facts.filter(f => f.entityRef === entityRef),
    'telemetry.presence',
  );
  const evaluation = evaluateEvidence({
    fact,
    now,
    maxAgeSeconds: options.maxAgeSeconds,
  });
  const freshFact = evaluation.state === 'fresh' ? fact : undefined;
  const series = (freshFact?.value as { series?: unknown[] } | undefined)
    ?.series;
  if (Array.isArray(series) && series.length > 0) {
    return { state: 'present', basis: 'series' };
  }

  const freshEdge = edges.some(
    edge =>
      (edge.clientRef === entityRef || edge.serverRef === entityRef) &&
      // A mapped self-loop says nothing about the entity talking to anything else (R15).
      edge.clientRef !== edge.serverRef &&
      edgeObservation(edge.lastSeen, now, {
        freshForSeconds: options.edgeFreshForSeconds,
      }) === 'fresh',
  );
  if (freshEdge) return { state: 'present', basis: 'edge' };

  // Only a fresh, complete collection that saw nothing proves absence (§0 rule 3).
  if (freshFact && Array.isArray(series)) return { state: 'absent' };
  return { state: 'unknown' };
}
