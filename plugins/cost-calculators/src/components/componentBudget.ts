import {
  RELATION_DEPENDS_ON,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { Entity } from '@backstage/catalog-model';
import {
  MAX_CONNECTION_CLIENTS,
  peakInstances,
} from '@internal/plugin-cost-calculators-common';
import type { ConnectionClientRow } from '@internal/plugin-cost-calculators-common';

/**
 * Resources a Component depends on: the databases whose connection budget it may share
 * (§1 card table, C10 "Component: same card scoped to its row"). Empty for other kinds. The
 * card still checks each Resource's own trigger (`spec.type: database`, `max-connections`)
 * once it has fetched it; this is the part a card filter can see without fetching.
 */
export function dependedOnResources(entity: Entity): string[] {
  if (entity.kind.toLowerCase() !== 'component') return [];
  return (entity.relations ?? [])
    .filter(r => r.type === RELATION_DEPENDS_ON)
    .map(r => r.targetRef)
    .filter(ref => parseEntityRef(ref).kind.toLowerCase() === 'resource')
    .sort();
}

/** An entity ref in its one spelling (`component:team-a/web`), however it was written or read. */
export function normalizeEntityRef(ref: string | Entity): string {
  return typeof ref === 'string'
    ? stringifyEntityRef(parseEntityRef(ref))
    : stringifyEntityRef(ref);
}

/** Normalized entity ref of each counted dependent → the name of its C10 client row. */
export type ClientRowNames = Readonly<Record<string, string>>;

/**
 * Names the client rows read from a database's dependents: each Component's own name, or its
 * full entity ref where two counted Components share a name (`web` in two namespaces), so no
 * row, chart segment or Component's share can be taken for another's.
 */
export function nameClientRows(
  counted: readonly { ref: string; name: string }[],
): Record<string, string> {
  const uses = new Map<string, number>();
  for (const { name } of counted) {
    const key = name.toLowerCase();
    uses.set(key, (uses.get(key) ?? 0) + 1);
  }
  return Object.fromEntries(
    counted.map(({ ref, name }) => [
      normalizeEntityRef(ref),
      uses.get(name.toLowerCase())! > 1 ? normalizeEntityRef(ref) : name,
    ]),
  );
}

/** The name of the row that sums the smallest `n` dependents (no entity name has a space). */
export function otherClientsName(n: number): string {
  return `other clients (${n})`;
}

const OTHER_CLIENTS = /^other clients \(\d+\)$/;

/** Connections a client row opens at full scale: peak instances × pool. */
function connectionsOf(row: ConnectionClientRow): number {
  return (
    peakInstances(row.maxInstances, row.rolloutSurgePercent) * row.poolSize
  );
}

/**
 * A busy shared database has more dependents than C10's client rows (§2 C10: 0–50 rows), and
 * the calculator refuses more: the 49 that open the most connections at full scale keep their
 * rows (in their order) and the rest are summed into one `other clients (N)` row, so the demand
 * is the same and the database still gets a budget. The summed row is connections × pool 1
 * (beyond 10,000 connections, the fewest pool-sized instances that hold them: rounded up, never
 * down). `merged` names the refs summed; nothing is merged when the rows fit.
 */
export function mergeSmallestClients<
  T extends { ref: string; row: ConnectionClientRow },
>(
  counted: readonly T[],
): {
  rows: { ref: string | null; row: ConnectionClientRow }[];
  merged: string[];
  mergedConnections: number;
} {
  if (counted.length <= MAX_CONNECTION_CLIENTS)
    return { rows: [...counted], merged: [], mergedConnections: 0 };
  const kept = new Set(
    [...counted]
      .sort((a, b) => connectionsOf(b.row) - connectionsOf(a.row))
      .slice(0, MAX_CONNECTION_CLIENTS - 1),
  );
  const rest = counted.filter(c => !kept.has(c));
  const total = rest.reduce((n, c) => n + connectionsOf(c.row), 0);
  // the row's cells hold up to 10,000 instances and a pool of 1,000
  const poolSize = Math.min(1000, Math.max(1, Math.ceil(total / 10_000)));
  const other: ConnectionClientRow = {
    name: otherClientsName(rest.length),
    maxInstances: Math.min(10_000, Math.ceil(total / poolSize)),
    poolSize,
    rolloutSurgePercent: 0,
  };
  return {
    rows: [...counted.filter(c => kept.has(c)), { ref: null, row: other }],
    merged: rest.map(c => c.ref),
    mergedConnections: total,
  };
}

/** C10 on a Component's page: the Component, and the client row that is its own. */
export interface FocusClient {
  /** How the share names the Component: its row's name, else its own. */
  label: string;
  /** Its client row's name; null when it is not counted (no pool declared, dependents unread). */
  row: string | null;
  /** Its row sums it with other small dependents (`other clients (N)`): its own share is not known. */
  merged?: boolean;
}

/**
 * The Component whose page shows the budget, found among the database's client rows by its
 * full entity ref, never by its bare name, which a Component of another namespace may share.
 */
export function focusClientOf(
  component: Entity,
  rowNames: ClientRowNames,
): FocusClient {
  const row = rowNames[normalizeEntityRef(component)] ?? null;
  if (row !== null && OTHER_CLIENTS.test(row))
    return { label: component.metadata.name, row, merged: true };
  return { label: row ?? component.metadata.name, row };
}
