import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { CatalogView } from '@internal/plugin-golden-paths-common';
import { refKey } from '../refKey';
import { cachedCatalogRead } from './catalogRead';

/** Whether `user` is a member of `group`, directly or via child groups; refs in any case. */
export function isMember(
  view: CatalogView,
  group: string,
  user: string,
): boolean {
  return view.members(refKey(group)).includes(refKey(user));
}

/**
 * Group membership for approvals (§6.2 rules 1–2): the Groups and Users of the catalog as a
 * `CatalogView`, whose `members()` follows child groups.
 */
export interface GroupDirectory {
  view(): Promise<CatalogView>;
}

/** A fixed directory (tests, or adopters with their own source). */
export function staticGroupDirectory(entities: Entity[]): GroupDirectory {
  const view = new CatalogView(entities);
  return { view: async () => view };
}

/**
 * Reads Groups and Users from the catalog REST API with the plugin's own service token, cached
 * for `ttlMs` (default 30 s).
 */
export function catalogGroupDirectory(options: {
  discovery: DiscoveryService;
  auth: AuthService;
  ttlMs?: number;
}): GroupDirectory {
  const fields = 'kind,metadata.name,metadata.namespace,spec,relations';
  return {
    view: cachedCatalogRead({
      ...options,
      query: `filter=kind=group&filter=kind=user&fields=${fields}`,
      what: 'groups and users',
      toValue: entities => new CatalogView(entities as Entity[]),
    }),
  };
}
