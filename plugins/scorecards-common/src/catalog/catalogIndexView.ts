import { Entity } from '@backstage/catalog-model';
import { CatalogIndex } from './catalogIndex';

/** A lookup of a `CatalogIndex` that answers a list of normalized refs. */
export type RefListLookup = (ref: string) => readonly string[];

/** How a view changes the lookups of the index it wraps; a lookup left out is the index's. */
export interface CatalogIndexViewOf {
  get?: (ref: string) => Entity | undefined;
  /** Applied to each of the index's list lookups (dependents, API consumers and providers, members, child groups). */
  list?: (lookup: RefListLookup) => RefListLookup;
  parentOf?: (ref: string) => string | null;
}

/**
 * A view of `index` whose lookups answer differently (entities hidden, entities added, lookups
 * recorded). This is the one place that names every lookup of `CatalogIndex`, so a lookup added
 * to the index cannot be left unwrapped by one view and wrapped by another.
 *
 * The view carries no memo (`catalogMemo` is undefined): what the memo holds was derived from
 * the index's own answers, which the view changes, so nothing derived from either may be shared.
 */
export function catalogIndexView(
  index: CatalogIndex,
  view: CatalogIndexViewOf,
): CatalogIndex {
  const list = view.list ?? ((lookup: RefListLookup) => lookup);
  // One literal with every key in one order: every view has the same shape.
  return {
    refreshedAt: index.refreshedAt,
    refreshedAtMs: index.refreshedAtMs,
    get: view.get ?? (ref => index.get(ref)),
    dependentsOf: list(ref => index.dependentsOf(ref)),
    consumersOfApi: list(ref => index.consumersOfApi(ref)),
    providersOfApi: list(ref => index.providersOfApi(ref)),
    membersOf: list(ref => index.membersOf(ref)),
    childGroupsOf: list(ref => index.childGroupsOf(ref)),
    parentOf: view.parentOf ?? (ref => index.parentOf(ref)),
  };
}
