import {
  RELATION_DEPENDS_ON,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { Entity } from '@backstage/catalog-model';

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

/** C10 on a Component's page: the Component, and the client row that is its own. */
export interface FocusClient {
  /** How the share names the Component: its row's name, else its own. */
  label: string;
  /** Its client row's name; null when it is not counted (no pool declared, dependents unread). */
  row: string | null;
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
  return { label: row ?? component.metadata.name, row };
}
