import type { ObservedEdge } from '@internal/plugin-evidence-common';
import type {
  EntityEvidence,
  EvidenceService,
} from '@internal/plugin-evidence-node';

/** An observed edge as the evidence store returns it, mapped and normalized. */
export function observedEdge(
  dependentRef: string | null,
  dependencyRef: string | null,
  extra: Partial<ObservedEdge> = {},
): ObservedEdge {
  return {
    id: `${dependentRef}->${dependencyRef}`,
    client: dependentRef ?? 'unknown',
    server: dependencyRef ?? 'unknown',
    connectionType: '',
    firstSeen: '2026-03-01T00:00:00.000Z',
    lastSeen: '2026-03-14T02:04:00.000Z',
    source: 'prometheus:traces_service_graph_request_total',
    clientRef: dependentRef,
    serverRef: dependencyRef,
    dependentRef,
    dependencyRef,
    interaction: 'sync',
    observation: 'fresh',
    unmapped: [],
    aliasConflict: false,
    collectedAt: '2026-03-14T02:04:30.000Z',
    demo: true,
    ...extra,
  };
}

/** A unit-level fake of the evidence client: edges per ref, switchable outage, recorded writes. */
export function fakeEvidence(edges: ObservedEdge[] = []) {
  const state = {
    available: true,
    edges,
    facts: [] as Parameters<EvidenceService['writeFacts']>[0],
    writeFails: false,
  };
  const unavailable = {
    available: false as const,
    cause: 'timeout' as const,
    since: '2026-03-14T02:00:00.000Z',
  };
  const service: EvidenceService = {
    async readEntities(refs) {
      if (!state.available) return unavailable;
      const data = new Map<string, EntityEvidence>();
      for (const ref of refs) {
        data.set(ref, {
          facts: [],
          collection: [],
          edges: {
            outgoing: state.edges.filter(e => e.dependentRef === ref),
            incoming: state.edges.filter(e => e.dependencyRef === ref),
          },
        });
      }
      return { available: true, asOf: '2026-03-14T02:05:00.000Z', data };
    },
    async queryChanges() {
      return state.available
        ? { available: true, asOf: '2026-03-14T02:05:00.000Z', data: [] }
        : unavailable;
    },
    async changeSummary() {
      return unavailable;
    },
    collectedRepoPaths() {
      return [];
    },
    async observedEdges() {
      return state.available
        ? { available: true, asOf: '2026-03-14T02:05:00.000Z', data: [] }
        : unavailable;
    },
    async edgeChanges() {
      return unavailable;
    },
    async sourceHealth() {
      return unavailable;
    },
    async writeFacts(items) {
      if (state.writeFails) throw new Error('evidence backend unavailable');
      state.facts.push(...items);
      return {
        results: items.map((item, index) => ({
          index,
          idempotencyKey: item.idempotencyKey,
          status: 201 as const,
        })),
        summary: {
          created: items.length,
          updated: 0,
          unchanged: 0,
          replayed: 0,
          failed: 0,
        },
      };
    },
    async writeChanges() {
      throw new Error('not used');
    },
    async setChangeRisk() {
      throw new Error('not used');
    },
  };
  return { service, state };
}
