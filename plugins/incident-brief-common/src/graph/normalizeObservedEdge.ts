import { EdgeInteraction, ObservedEdgeRecord } from './types';

/** An observed series turned into dependent → dependency telemetry names. */
export interface NormalizedObservation {
  dependent: string;
  dependency: string;
  interaction: EdgeInteraction;
}

/**
 * Messaging series run producer → consumer, so they become consumer → producer and async;
 * every other series is client → server and sync (§2.5). Raw self-loops yield null (R15).
 */
export function normalizeObservedEdge(
  record: ObservedEdgeRecord,
): NormalizedObservation | null {
  if (record.client.toLowerCase() === record.server.toLowerCase()) return null;
  if (record.connectionType === 'messaging_system') {
    return {
      dependent: record.server,
      dependency: record.client,
      interaction: 'async',
    };
  }
  return {
    dependent: record.client,
    dependency: record.server,
    interaction: 'sync',
  };
}
