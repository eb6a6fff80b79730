import { Entity } from '@backstage/catalog-model';
import { CatalogIndex } from './catalogIndex';
import { catalogIndexView } from './catalogIndexView';

/**
 * A snapshot index that also answers for entities which arrived after it was read (an import
 * in flight): `get` falls back to `arrivals` for refs the snapshot does not hold; the snapshot
 * always wins for refs it does hold. The reverse lookups (dependents, API consumers and
 * providers, members, child groups, parents) stay the snapshot's: they would need the whole
 * index rebuilt per arrival, and an entity's own references, which are what a new entity
 * usually waits for, are read through `get`.
 *
 * The result carries no memo (`catalogMemo` is undefined), so nothing derived from a lookup is
 * kept across evaluations while `arrivals` can still grow.
 */
export function withArrivals(
  snapshot: CatalogIndex,
  arrivals: (ref: string) => Entity | undefined,
): CatalogIndex {
  return catalogIndexView(snapshot, {
    get: ref => snapshot.get(ref) ?? arrivals(ref),
  });
}
