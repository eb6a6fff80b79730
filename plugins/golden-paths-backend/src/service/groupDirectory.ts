import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { CatalogView } from '@internal/plugin-golden-paths-common';
import { refKey } from '../refKey';

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
  let cached: { at: number; view: CatalogView } | undefined;
  const ttl = options.ttlMs ?? 30_000;
  return {
    async view() {
      if (cached && Date.now() - cached.at < ttl) return cached.view;
      const base = await options.discovery.getBaseUrl('catalog');
      const { token } = await options.auth.getPluginRequestToken({
        onBehalfOf: await options.auth.getOwnServiceCredentials(),
        targetPluginId: 'catalog',
      });
      const fields = 'kind,metadata.name,metadata.namespace,spec,relations';
      const res = await fetch(
        `${base}/entities?filter=kind=group&filter=kind=user&fields=${fields}`,
        { headers: { Authorization: `Bearer ${token}` } },
      );
      if (!res.ok) {
        throw new Error(
          `catalog answered ${res.status} when reading groups and users`,
        );
      }
      const entities = (await res.json()) as Entity[];
      cached = { at: Date.now(), view: new CatalogView(entities) };
      return cached.view;
    },
  };
}
