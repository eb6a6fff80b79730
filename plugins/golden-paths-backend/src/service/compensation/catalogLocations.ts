import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { upstreamFailure } from '../upstreamFailure';

/** Removes catalog locations for compensation (§4.9 register: "remove the location"). */
export interface CatalogLocations {
  /**
   * Removes location `id` on behalf of the caller (the catalog applies its own
   * `catalog.location.delete` permission); `absent` when the catalog does not know it (any more).
   */
  removeLocation(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<'removed' | 'absent'>;
}

/** `DELETE /api/catalog/locations/:id` with a token on behalf of the caller. */
export function httpCatalogLocations(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}): CatalogLocations {
  return {
    async removeLocation(id, credentials) {
      const base = await options.discovery.getBaseUrl('catalog');
      const { token } = await options.auth.getPluginRequestToken({
        onBehalfOf: credentials,
        targetPluginId: 'catalog',
      });
      const res = await fetch(`${base}/locations/${encodeURIComponent(id)}`, {
        method: 'DELETE',
        headers: { Authorization: `Bearer ${token}` },
      });
      if (res.status === 404) return 'absent';
      if (!res.ok) {
        throw await upstreamFailure(
          'catalog',
          res,
          ` when removing location ${id}${
            res.status === 403
              ? ' (the caller needs catalog.location.delete)'
              : ''
          }`,
        );
      }
      return 'removed';
    },
  };
}
