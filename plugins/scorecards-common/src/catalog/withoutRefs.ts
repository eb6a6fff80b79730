import { CatalogIndex } from './catalogIndex';
import { catalogIndexView } from './catalogIndexView';

const EMPTY: readonly string[] = [];

/**
 * A snapshot index in which the entities of `hidden` (normalized refs) do not exist: `get`
 * answers undefined for them, their own lists are empty, and they are left out of every other
 * entity's lists. An evaluation over it learns of them what the catalog tells a caller who may
 * not read them: nothing (the catalog answers such a read as not found). `POST /evaluate` uses
 * it for a posted entity's owner chain the caller may not read, so naming any group as owner
 * does not show whether it exists, who is in it or what its annotations say.
 *
 * Like `withArrivals`, the result carries no memo, so nothing derived from the full snapshot
 * leaks in through one.
 */
export function withoutRefs(
  snapshot: CatalogIndex,
  hidden: ReadonlySet<string>,
): CatalogIndex {
  if (hidden.size === 0) return snapshot;
  const visible = (refs: readonly string[]) =>
    refs.some(r => hidden.has(r)) ? refs.filter(r => !hidden.has(r)) : refs;
  return catalogIndexView(snapshot, {
    get: ref => (hidden.has(ref) ? undefined : snapshot.get(ref)),
    list: lookup => ref => hidden.has(ref) ? EMPTY : visible(lookup(ref)),
    parentOf: ref => {
      if (hidden.has(ref)) return null;
      const parent = snapshot.parentOf(ref);
      return parent !== null && hidden.has(parent) ? null : parent;
    },
  });
}
