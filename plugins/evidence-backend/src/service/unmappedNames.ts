import type { ObservedEdge } from '@internal/plugin-evidence-common';

/** One side of an edge an unmapped name was seen with. */
export interface UnmappedCounterpart {
  /** the telemetry name on the other side */
  name: string;
  /** the entity it maps to; null when it is unmapped too */
  ref: string | null;
  edges: number;
}

/** A telemetry name seen in observed edges that maps to no entity (R16, §5.1). */
export interface UnmappedName {
  name: string;
  /** the sides of edges it was seen on */
  seenAs: ('client' | 'server')[];
  edges: number;
  lastSeen: string;
  sources: string[];
  /** who it talks to, most edges first: what tells an owner the name is theirs */
  counterparts: UnmappedCounterpart[];
}

/**
 * `GET /edges/unmapped`: the telemetry names of observed edges that map to no entity, with the
 * mapped side and counts (§5.1). Such a name is never a node in a graph (R16); this list is how
 * someone finds the alias to add. Most edges first, then by name; pure and order-independent.
 */
export function unmappedNames(edges: readonly ObservedEdge[]): UnmappedName[] {
  const seen = new Map<
    string,
    {
      seenAs: Set<'client' | 'server'>;
      edges: number;
      lastSeen: string;
      sources: Set<string>;
      counterparts: Map<string, UnmappedCounterpart>;
    }
  >();
  const note = (
    name: string,
    side: 'client' | 'server',
    edge: ObservedEdge,
    other: { name: string; ref: string | null },
  ) => {
    const entry = seen.get(name) ?? {
      seenAs: new Set(),
      edges: 0,
      lastSeen: edge.lastSeen,
      sources: new Set(),
      counterparts: new Map(),
    };
    entry.seenAs.add(side);
    entry.edges++;
    if (edge.lastSeen > entry.lastSeen) entry.lastSeen = edge.lastSeen;
    entry.sources.add(edge.source);
    const key = `${other.ref ?? ''}\u0000${other.name}`;
    const counterpart = entry.counterparts.get(key) ?? { ...other, edges: 0 };
    counterpart.edges++;
    entry.counterparts.set(key, counterpart);
    seen.set(name, entry);
  };
  for (const edge of edges) {
    if (edge.clientRef === null) {
      note(edge.client, 'client', edge, {
        name: edge.server,
        ref: edge.serverRef,
      });
    }
    if (edge.serverRef === null) {
      note(edge.server, 'server', edge, {
        name: edge.client,
        ref: edge.clientRef,
      });
    }
  }
  const byName = (a: string, b: string) => (a < b ? -1 : Number(a > b));
  const byCount = <T extends { edges: number; name: string }>(a: T, b: T) =>
    b.edges - a.edges || byName(a.name, b.name);
  return [...seen.entries()]
    .map(([name, e]) => ({
      name,
      seenAs: (['client', 'server'] as const).filter(s => e.seenAs.has(s)),
      edges: e.edges,
      lastSeen: e.lastSeen,
      sources: [...e.sources].sort(),
      counterparts: [...e.counterparts.values()].sort(
        (a, b) =>
          byCount(a, b) || (a.ref ?? '').localeCompare(b.ref ?? '', 'en'),
      ),
    }))
    .sort(byCount);
}
