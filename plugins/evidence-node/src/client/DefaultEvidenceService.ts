import type {
  ChangeInput,
  ChangeRisk,
  FactInput,
  ObservedEdge,
  SourceHealth,
  StoredChange,
} from '@internal/plugin-evidence-common';
import type {
  BatchResult,
  ChangeQuery,
  EdgeQuery,
  EntityEvidence,
  EvidenceInclude,
  EvidenceRead,
  EvidenceService,
} from '../EvidenceService';
import { CircuitBreaker } from './CircuitBreaker';
import {
  DEFAULT_EVIDENCE_CLIENT_OPTIONS,
  EvidenceClientOptions,
  MAX_LEDGER_CACHE_TTL_MS,
} from './clientOptions';
import { EvidenceHttpError } from './EvidenceHttpError';
import { MicroBatcher } from './MicroBatcher';
import { TtlCache } from './TtlCache';

/** What the client needs from its host: where the backend is and a token for it. */
export interface EvidenceClientTransport {
  baseUrl(): Promise<string>;
  token(): Promise<string>;
  fetch?: typeof fetch;
}

const DEFAULT_INCLUDE: EvidenceInclude[] = ['facts', 'collection'];

/**
 * The default {@link EvidenceService}: HTTP to the evidence backend with micro-batching,
 * caching, a per-call timeout and a circuit breaker (evidence §5.4).
 */
export class DefaultEvidenceService implements EvidenceService {
  readonly #options: EvidenceClientOptions;
  readonly #now: () => number;
  readonly #fetch: typeof fetch;
  readonly #breaker: CircuitBreaker;
  readonly #cache: TtlCache<unknown>;
  readonly #batcher: MicroBatcher<EntityEvidence>;

  constructor(
    private readonly transport: EvidenceClientTransport,
    options: Partial<EvidenceClientOptions> = {},
    now: () => number = Date.now,
  ) {
    this.#options = {
      ...DEFAULT_EVIDENCE_CLIENT_OPTIONS,
      ...options,
      ledgerCacheTtlMs: Math.min(
        options.ledgerCacheTtlMs ?? MAX_LEDGER_CACHE_TTL_MS,
        MAX_LEDGER_CACHE_TTL_MS,
      ),
    };
    this.#now = now;
    this.#fetch = transport.fetch ?? fetch;
    this.#breaker = new CircuitBreaker({
      failures: this.#options.breakerFailures,
      openForMs: this.#options.breakerOpenForMs,
      now,
    });
    this.#cache = new TtlCache(now);
    this.#batcher = new MicroBatcher<EntityEvidence>({
      windowMs: this.#options.batchWindowMs,
      maxPerCall: this.#options.maxRefsPerCall,
      maxInFlight: this.#options.maxInFlight,
      loadChunk: (signature, refs) => this.#loadEntities(signature, refs),
    });
  }

  async readEntities(
    refs: string[],
    options: {
      kinds?: string[];
      include?: EvidenceInclude[];
      cache?: boolean;
    } = {},
  ): Promise<EvidenceRead<Map<string, EntityEvidence>>> {
    const include = [...(options.include ?? DEFAULT_INCLUDE)].sort();
    const kinds = options.kinds ? [...options.kinds].sort() : undefined;
    const signature = JSON.stringify({ include, kinds });
    const useCache = options.cache !== false;
    const data = new Map<string, EntityEvidence>();
    const missing: string[] = [];
    for (const ref of new Set(refs.map(r => r.toLocaleLowerCase('en-US')))) {
      const cached = useCache
        ? (this.#cache.get(`read|${signature}|${ref}`) as
            | EntityEvidence
            | undefined)
        : undefined;
      if (cached) data.set(ref, cached);
      else missing.push(ref);
    }
    if (missing.length === 0) {
      return { available: true, asOf: this.#isoNow(), data };
    }
    const loaded = await this.#guard(() =>
      this.#batcher.load(signature, missing),
    );
    if (!loaded.available) return loaded;
    const ttl = include.some(i => i === 'ledger' || i === 'ledgerSummary')
      ? this.#options.ledgerCacheTtlMs
      : this.#options.cacheTtlMs;
    for (const ref of missing) {
      // An entity the backend knows nothing about is cached as empty, so it is not asked again.
      const value = loaded.data.get(ref) ?? { facts: [], collection: [] };
      if (useCache) this.#cache.set(`read|${signature}|${ref}`, value, ttl);
      data.set(ref, value);
    }
    return { available: true, asOf: loaded.asOf, data };
  }

  queryChanges(query: ChangeQuery): Promise<EvidenceRead<StoredChange[]>> {
    return this.#cachedRead(
      `ledger|${JSON.stringify(query)}`,
      this.#options.ledgerCacheTtlMs,
      async () =>
        (
          await this.#call<{ items: StoredChange[] }>(
            'POST',
            '/changes/query',
            query,
          )
        ).items,
    );
  }

  observedEdges(query: EdgeQuery): Promise<EvidenceRead<ObservedEdge[]>> {
    const params = new URLSearchParams({ entityRef: query.entityRef });
    if (query.direction) params.set('direction', query.direction);
    if (query.includeStale !== undefined) {
      params.set('includeStale', String(query.includeStale));
    }
    if (query.since) params.set('since', query.since);
    return this.#cachedRead(
      `edges|${params}`,
      this.#options.cacheTtlMs,
      async () =>
        (await this.#call<{ items: ObservedEdge[] }>('GET', `/edges?${params}`))
          .items,
    );
  }

  edgeChanges(cursor?: string) {
    // Never cached: the caller polls with a moving cursor.
    return this.#guard(async () => {
      const query = cursor ? `?cursor=${encodeURIComponent(cursor)}` : '';
      try {
        const body = await this.#call<{
          edges: ObservedEdge[];
          removed: string[];
          cursor: string;
        }>('GET', `/edges/changes${query}`);
        return { ...body, reset: false };
      } catch (error) {
        if (error instanceof EvidenceHttpError && error.status === 410) {
          return { edges: [], removed: [], cursor: '', reset: true };
        }
        throw error;
      }
    });
  }

  changedEntities(since?: string) {
    // Never cached: the caller polls with a moving `since`.
    return this.#guard(() =>
      this.#call<{ refs: string[]; until: string }>(
        'GET',
        `/entities/changed${
          since ? `?since=${encodeURIComponent(since)}` : ''
        }`,
      ),
    );
  }

  sourceHealth(): Promise<EvidenceRead<SourceHealth[]>> {
    return this.#cachedRead(
      'sources',
      this.#options.cacheTtlMs,
      async () =>
        (await this.#call<{ items: SourceHealth[] }>('GET', '/sources')).items,
    );
  }

  async writeFacts(
    items: (FactInput & { idempotencyKey: string })[],
  ): Promise<BatchResult> {
    const result = await this.#call<BatchResult>('POST', '/facts/batch', {
      items,
    });
    this.#invalidate(items.map(i => i.entityRef));
    return result;
  }

  async writeChanges(
    items: (ChangeInput & { idempotencyKey: string })[],
  ): Promise<BatchResult> {
    const result = await this.#call<BatchResult>('POST', '/changes/batch', {
      items,
    });
    this.#invalidate(items.map(i => i.entityRef));
    this.#cache.deleteWhere(key => key.startsWith('ledger|'));
    return result;
  }

  async setChangeRisk(id: string, risk: ChangeRisk): Promise<void> {
    await this.#call('PUT', `/changes/${encodeURIComponent(id)}/risk`, risk);
  }

  async #loadEntities(
    signature: string,
    refs: string[],
  ): Promise<Map<string, EntityEvidence>> {
    const { include, kinds } = JSON.parse(signature);
    const body = await this.#call<{
      entities: Record<string, EntityEvidence>;
    }>('POST', '/read', { entityRefs: refs, include, kinds });
    return new Map(Object.entries(body.entities));
  }

  #invalidate(refs: (string | undefined)[]): void {
    const touched = new Set(
      refs
        .filter((r): r is string => !!r)
        .map(r => r.toLocaleLowerCase('en-US')),
    );
    if (touched.size === 0) return;
    this.#cache.deleteWhere(key => {
      if (!key.startsWith('read|')) return false;
      return touched.has(key.slice(key.lastIndexOf('|') + 1));
    });
  }

  async #cachedRead<T>(
    key: string,
    ttlMs: number,
    load: () => Promise<T>,
  ): Promise<EvidenceRead<T>> {
    const cached = this.#cache.get(key) as
      | { asOf: string; data: T }
      | undefined;
    if (cached) return { available: true, ...cached };
    const result = await this.#guard(load);
    if (result.available) {
      this.#cache.set(key, { asOf: result.asOf, data: result.data }, ttlMs);
    }
    return result;
  }

  /**
   * Runs a read past the breaker; every failure becomes `available: false`. The breaker
   * itself counts HTTP calls (in #call), not callers, so one failed batch is one failure.
   */
  async #guard<T>(load: () => Promise<T>): Promise<EvidenceRead<T>> {
    if (!this.#breaker.tryAcquire()) {
      return {
        available: false,
        cause: 'circuit-open',
        since: this.#iso(this.#breaker.failingSince() ?? this.#now()),
      };
    }
    try {
      const data = await load();
      return { available: true, asOf: this.#isoNow(), data };
    } catch (error) {
      const failure =
        error instanceof EvidenceHttpError
          ? error
          : new EvidenceHttpError('network', String(error));
      return {
        available: false,
        cause: failure.cause,
        since: this.#iso(this.#breaker.failingSince() ?? this.#now()),
      };
    }
  }

  async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    try {
      const result = await this.#send<T>(method, path, body);
      this.#breaker.onSuccess();
      return result;
    } catch (error) {
      if (error instanceof EvidenceHttpError && !error.countsAsOutage) {
        this.#breaker.onSuccess();
      } else {
        this.#breaker.onFailure();
      }
      throw error;
    }
  }

  async #send<T>(method: string, path: string, body?: unknown): Promise<T> {
    const [baseUrl, token] = await Promise.all([
      this.transport.baseUrl(),
      this.transport.token(),
    ]);
    let response: Response;
    try {
      response = await this.#fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.#options.timeoutMs),
      });
    } catch (error) {
      const name = (error as Error)?.name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new EvidenceHttpError(
          'timeout',
          `evidence backend did not answer ${method} ${path} within ${
            this.#options.timeoutMs
          } ms`,
        );
      }
      throw new EvidenceHttpError('network', String(error));
    }
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      const cause =
        response.status >= 500 || response.status === 429
          ? 'server-error'
          : 'client-error';
      throw new EvidenceHttpError(
        cause,
        `evidence backend answered ${
          response.status
        } to ${method} ${path}: ${text.slice(0, 500)}`,
        response.status,
      );
    }
    return (await response.json()) as T;
  }

  #isoNow(): string {
    return this.#iso(this.#now());
  }

  #iso(ms: number): string {
    return new Date(ms).toISOString();
  }
}
