import { ObservedEdge, ObservedEdgeRecord } from '../records/observedEdge';

/**
 * How the alias map answers for one telemetry name: a ref, nothing, or a void (conflicting)
 * alias (§2.1).
 *
 * @public
 */
export type AliasResolution =
  | { ref: string }
  | { ref: null; conflict?: boolean };

/**
 * The mapped and directed part of an observed edge that {@link normalizeEdge} derives.
 *
 * @public
 */
export type NormalizedEdge = Pick<
  ObservedEdge,
  | 'clientRef'
  | 'serverRef'
  | 'dependentRef'
  | 'dependencyRef'
  | 'interaction'
  | 'unmapped'
  | 'aliasConflict'
> & {
  /** Both ends map to one entity: kept in storage, excluded from entity reads (R15). */
  selfLoop: boolean;
};

/**
 * Maps an observed series through the alias map and gives it a direction: messaging series run
 * producer → consumer, so the consumer (server) is the dependent; every other type is
 * client → server (§2.4). Returns undefined for a raw self-loop, which is never stored.
 *
 * @public
 */
export function normalizeEdge(
  record: Pick<ObservedEdgeRecord, 'client' | 'server' | 'connectionType'>,
  resolve: (telemetryName: string) => AliasResolution,
): NormalizedEdge | undefined {
  // Alias matching is case-insensitive, so names differing only in case are the same node.
  if (record.client.toLowerCase() === record.server.toLowerCase())
    return undefined;

  const client = resolve(record.client);
  const server = resolve(record.server);
  const unmapped: ('client' | 'server')[] = [];
  if (client.ref === null) unmapped.push('client');
  if (server.ref === null) unmapped.push('server');
  const aliasConflict =
    (client.ref === null && client.conflict === true) ||
    (server.ref === null && server.conflict === true);

  const async = record.connectionType === 'messaging_system';
  return {
    clientRef: client.ref,
    serverRef: server.ref,
    dependentRef: async ? server.ref : client.ref,
    dependencyRef: async ? client.ref : server.ref,
    interaction: async ? 'async' : 'sync',
    unmapped,
    aliasConflict,
    selfLoop: client.ref !== null && client.ref === server.ref,
  };
}
