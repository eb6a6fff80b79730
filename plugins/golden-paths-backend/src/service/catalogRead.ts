import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';

/**
 * A cached read of catalog entities: call it for the cached answer (read anew once `ttlMs` has
 * passed), or `refresh` it when the cached answer lacks what the caller looked for.
 */
export interface CachedCatalogRead<T> {
  (): Promise<T>;
  /**
   * Reads anew past the cache, for a caller whose cached answer may predate what it looks for (a
   * template registered since the last read). At most one refresh starts per
   * `refreshIntervalMs`; within it the cached answer is given (read as usual if there is none),
   * so asking again and again for something the catalog does not have cannot hammer the catalog.
   */
  refresh(): Promise<T>;
}

/**
 * A read of catalog entities (`GET /entities?<query>`) with the plugin's own service token,
 * answered from memory for `ttlMs` (default 30 s) once it succeeded: the group directory and the
 * kill switches' template coverage read the catalog this way. With `timeoutMs` the request
 * (body included) gives up after that long; a failed read is not cached. Reads are
 * single-flight: callers that ask (or refresh) while a read is under way share it, so a burst of
 * requests on a cold or stale cache makes one catalog request.
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
  /** The least time between two refreshes (default 30 s). */
  refreshIntervalMs?: number;
}): CachedCatalogRead<T> {
  let cached: { at: number; value: T } | undefined;
  let underWay: Promise<T> | undefined;
  let lastRefreshAt: number | undefined;
  const ttl = options.ttlMs ?? 30_000;
  const refreshInterval = options.refreshIntervalMs ?? 30_000;

  const readCatalog = async (): Promise<T> => {
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
      // the body is not read: let the connection go now, not when it is garbage-collected
      await res.body?.cancel().catch(() => {});
      throw new Error(
        `catalog answered ${res.status} when reading ${options.what}`,
      );
    }
    const value = options.toValue((await res.json()) as unknown[]);
    cached = { at: Date.now(), value };
    return value;
  };
  const readShared = (): Promise<T> => {
    underWay ??= readCatalog().finally(() => {
      underWay = undefined;
    });
    return underWay;
  };

  const read = async () => {
    if (cached && Date.now() - cached.at < ttl) return cached.value;
    return readShared();
  };
  const refresh = async () => {
    // a read under way started after the answer the caller found lacking: it is the refresh
    if (underWay) return underWay;
    const now = Date.now();
    if (lastRefreshAt !== undefined && now - lastRefreshAt < refreshInterval) {
      return read();
    }
    lastRefreshAt = now;
    return readShared();
  };
  return Object.assign(read, { refresh });
}
