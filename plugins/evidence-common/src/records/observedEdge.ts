import { ConnectionType } from '../schemas/edgeInput';

/**
 * An observed client → server series as incident-brief §2.5 defines it.
 *
 * @public
 */
export interface ObservedEdgeRecord {
  client: string;
  server: string;
  connectionType: ConnectionType;
  firstSeen: string;
  lastSeen: string;
  requestsPerMinute?: number;
  errorRatio?: number;
  source: string;
}

/**
 * A stored observed edge with its mapping and direction (§2.4).
 *
 * @public
 */
export interface ObservedEdge extends ObservedEdgeRecord {
  id: string;
  /** Through the alias map; null = unmapped or void alias. */
  clientRef: string | null;
  serverRef: string | null;
  dependentRef: string | null;
  dependencyRef: string | null;
  interaction: 'sync' | 'async';
  /** Computed at read time (§5.3). */
  observation: 'fresh' | 'stale';
  unmapped: ('client' | 'server')[];
  aliasConflict: boolean;
  collectedAt: string;
  demo: boolean;
}
