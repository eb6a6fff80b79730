import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';

/**
 * A read of catalog entities (`GET /entities?<query>`) with the plugin's own service token,
 * answered from memory for `ttlMs` (default 30 s) once it succeeded: the group directory and the
 * kill switches' template coverage read the catalog this way. With `timeoutMs` the request
 * (body included) gives up after that long; a failed read is not cached.
 */
export function cachedCatalogRead<T>(options: {
  discovery: DiscoveryService;
  auth: AuthService;
  /** The query string after `/entities?`. */
  query: string;
  /** What is read, for the error message (`… when reading <what>`). */
  what: string;
  /** Turns the entities answered into what callers get (kept for `ttlMs`). */
  toValue: (entities: unknown[]) => T;
  ttlMs?: number;
  timeoutMs?: number;
}): () => Promise<T> {
  let cached: { at: number; value: T } | undefined;
  const ttl = options.ttlMs ?? 30_000;
  return async () => {
    if (cached && Date.now() - cached.at < ttl) return cached.value;
    const base = await options.discovery.getBaseUrl('catalog');
    const { token } = await options.auth.getPluginRequestToken({
      onBehalfOf: await options.auth.getOwnServiceCredentials(),
      targetPluginId: 'catalog',
    });
    const res = await fetch(`${base}/entities?${options.query}`, {
      headers: { Authorization: `Bearer ${token}` },
      ...(options.timeoutMs !== undefined
        ? { signal: AbortSignal.timeout(options.timeoutMs) }
        : {}),
    });
    if (!res.ok) {
      throw new Error(
        `catalog answered ${res.status} when reading ${options.what}`,
      );
    }
    const value = options.toValue((await res.json()) as unknown[]);
    cached = { at: Date.now(), value };
    return value;
  };
}
