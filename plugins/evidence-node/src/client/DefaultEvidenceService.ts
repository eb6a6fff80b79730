import {
  isFullEntityRef,
  type ChangeInput,
  type ChangeRisk,
  type FactInput,
  type ObservedEdge,
  type SourceHealth,
  type StoredChange,
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
  checkEvidenceClientOptions,
  DEFAULT_EVIDENCE_CLIENT_OPTIONS,
  EvidenceClientOptions,
  MAX_LEDGER_CACHE_TTL_MS,
} from './clientOptions';
import { EvidenceHttpError } from './EvidenceHttpError';
import { MicroBatcher } from './MicroBatcher';
import { TtlCache } from './TtlCache';
import { LoadTicket, WriteGenerations } from './WriteGenerations';
import { untilAborted } from '@internal/suite-node';

/** What the client needs from its host: where the backend is and a token for it. */
export interface EvidenceClientTransport {
  baseUrl(): Promise<string>;
  token(): Promise<string>;
  fetch?: typeof fetch;
}

const DEFAULT_INCLUDE: EvidenceInclude[] = ['facts', 'collection'];

/** The write scope of every ledger read: a change written may fall in any query's window. */
const LEDGER_SCOPE = 'ledger|';
/** The write scope of one entity's reads, whatever their include and kinds. */
const entityScope = (ref: string) => `entity|${ref}`;

/** Tells whether a 2xx answer's JSON has the shape a read expects. */
type ShapeCheck = (body: any) => boolean;

const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null;
/** `{ items: [...] }`, the answer of the list routes. */
const hasItems: ShapeCheck = b => isObject(b) && Array.isArray(b.items);

/** A cached entity read, with the time it was read for `asOf`. */
interface CachedEntity {
  asOf: string;
  value: EntityEvidence;
}

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
  readonly #generations = new WriteGenerations();
  /** Cached reads in flight, by cache key, so identical reads share one call. */
  readonly #inFlight = new Map<
    string,
    { promise: Promise<EvidenceRead<unknown>>; ticket: LoadTicket }
  >();

  constructor(
    private readonly transport: EvidenceClientTransport,
    options: Partial<EvidenceClientOptions> = {},
    now: () => number = Date.now,
  ) {
    // Refused here, not clamped: 0 refs per call would loop, 0 in flight would wait forever.
    checkEvidenceClientOptions(options, 'evidence client option ');
    // An option given as undefined keeps its default rather than overwriting it.
    const given = Object.fromEntries(
      Object.entries(options).filter(([, value]) => value !== undefined),
    );
    this.#options = {
      ...DEFAULT_EVIDENCE_CLIENT_OPTIONS,
      ...given,
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
    this.#cache = new TtlCache(now, {
      maxEntries: this.#options.cacheMaxEntries,
    });
    this.#batcher = new MicroBatcher<EntityEvidence>({
      windowMs: this.#options.batchWindowMs,
      maxPerCall: this.#options.maxRefsPerCall,
      maxInFlight: this.#options.maxInFlight,
      loadChunk: (signature, refs) => this.#loadEntities(signature, refs),
      // The backend validates `entityRefs` as a whole: a 400 (or 413) for a shared call may
      // be one caller's ref, so each caller is asked again on its own.
      retryAlone: error =>
        error instanceof EvidenceHttpError &&
        (error.status === 400 || error.status === 413),
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
    // asOf of the oldest data served: a cached answer is as old as its read, not its hit.
    let asOf: string | undefined;
    const served = (time: string) => {
      // toISOString text of the same clock: the string order is the time order
      if (asOf === undefined || time < asOf) asOf = time;
    };
    for (const ref of new Set(refs.map(r => r.toLocaleLowerCase('en-US')))) {
      // A ref that is not a full ref (`group:default/jane@example.com` from a sloppy owner) has
      // no evidence and is left out of `data`, without a call: in a shared batch the backend
      // would refuse every co-batched caller's read with it.
      if (!isFullEntityRef(ref)) continue;
      const cached = useCache
        ? (this.#cache.get(`read|${signature}|${ref}`) as
            | CachedEntity
            | undefined)
        : undefined;
      if (cached) {
        data.set(ref, cached.value);
        served(cached.asOf);
      } else missing.push(ref);
    }
    if (missing.length === 0) {
      return { available: true, asOf: asOf ?? this.#isoNow(), data };
    }
    const ticket = useCache
      ? this.#generations.begin(missing.map(entityScope))
      : undefined;
    try {
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
        // Written while this read was in flight: the answer may predate the write, so this
        // caller gets it but the cache does not keep it.
        if (ticket?.unchanged(entityScope(ref))) {
          const entry: CachedEntity = { asOf: loaded.asOf, value };
          this.#cache.set(`read|${signature}|${ref}`, entry, ttl);
        }
        data.set(ref, value);
      }
      served(loaded.asOf);
      return { available: true, asOf: asOf!, data };
    } finally {
      ticket?.end();
    }
  }

  queryChanges(query: ChangeQuery): Promise<EvidenceRead<StoredChange[]>> {
    return this.#cachedRead(
      `ledger|${JSON.stringify(query)}`,
      LEDGER_SCOPE,
      this.#options.ledgerCacheTtlMs,
      async () =>
        (
          await this.#call<{ items: StoredChange[] }>(
            'POST',
            '/changes/query',
            query,
            hasItems,
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
    // Writes through the client are facts and changes, never edges: the key is its own scope.
    return this.#cachedRead(
      `edges|${params}`,
      `edges|${params}`,
      this.#options.cacheTtlMs,
      async () =>
        (
          await this.#call<{ items: ObservedEdge[] }>(
            'GET',
            `/edges?${params}`,
            undefined,
            hasItems,
          )
        ).items,
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
        }>(
          'GET',
          `/edges/changes${query}`,
          undefined,
          b =>
            isObject(b) &&
            Array.isArray(b.edges) &&
            Array.isArray(b.removed) &&
            typeof b.cursor === 'string',
        );
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
        undefined,
        b =>
          isObject(b) && Array.isArray(b.refs) && typeof b.until === 'string',
      ),
    );
  }

  sourceHealth(): Promise<EvidenceRead<SourceHealth[]>> {
    return this.#cachedRead(
      'sources',
      'sources',
      this.#options.cacheTtlMs,
      async () =>
        (
          await this.#call<{ items: SourceHealth[] }>(
            'GET',
            '/sources',
            undefined,
            hasItems,
          )
        ).items,
    );
  }

  async writeFacts(
    items: (FactInput & { idempotencyKey: string })[],
  ): Promise<BatchResult> {
    // Invalidated even when the call fails: a timeout or a 5xx may still have been applied.
    try {
      return await this.#call<BatchResult>('POST', '/facts/batch', { items });
    } finally {
      this.#invalidate(items.map(i => i.entityRef));
    }
  }

  async writeChanges(
    items: (ChangeInput & { idempotencyKey: string })[],
  ): Promise<BatchResult> {
    try {
      return await this.#call<BatchResult>('POST', '/changes/batch', {
        items,
      });
    } finally {
      this.#invalidate(items.map(i => i.entityRef));
      this.#generations.written(LEDGER_SCOPE);
      this.#cache.deleteWhere(key => key.startsWith(LEDGER_SCOPE));
    }
  }

  async setChangeRisk(id: string, risk: ChangeRisk): Promise<void> {
    try {
      await this.#call('PUT', `/changes/${encodeURIComponent(id)}/risk`, risk);
    } finally {
      // A cached ledger answer still carries `risk: null` for this change (as writeChanges).
      this.#generations.written(LEDGER_SCOPE);
      this.#cache.deleteWhere(key => key.startsWith(LEDGER_SCOPE));
    }
  }

  async #loadEntities(
    signature: string,
    refs: string[],
  ): Promise<Map<string, EntityEvidence>> {
    const { include, kinds } = JSON.parse(signature);
    const body = await this.#call<{
      entities: Record<string, EntityEvidence>;
    }>('POST', '/read', { entityRefs: refs, include, kinds }, b =>
      isObject(b?.entities),
    );
    return new Map(Object.entries(body.entities));
  }

  #invalidate(refs: (string | undefined)[]): void {
    const touched = new Set(
      refs
        .filter((r): r is string => !!r)
        .map(r => r.toLocaleLowerCase('en-US')),
    );
    if (touched.size === 0) return;
    for (const ref of touched) this.#generations.written(entityScope(ref));
    this.#cache.deleteWhere(key => {
      if (!key.startsWith('read|')) return false;
      return touched.has(key.slice(key.lastIndexOf('|') + 1));
    });
  }

  /**
   * A read cached whole under `key`. Identical reads in flight share one call, unless a write
   * to `scope` went through after that call began: its answer may predate the write, so it is
   * neither shared with later callers nor kept.
   */
  #cachedRead<T>(
    key: string,
    scope: string,
    ttlMs: number,
    load: () => Promise<T>,
  ): Promise<EvidenceRead<T>> {
    const cached = this.#cache.get(key) as
      | { asOf: string; data: T }
      | undefined;
    if (cached) return Promise.resolve({ available: true, ...cached });
    const inFlight = this.#inFlight.get(key);
    if (inFlight?.ticket.unchanged(scope)) {
      return inFlight.promise as Promise<EvidenceRead<T>>;
    }
    const ticket = this.#generations.begin([scope]);
    const promise: Promise<EvidenceRead<T>> = this.#guard(load)
      .then(result => {
        if (result.available && ticket.unchanged(scope)) {
          this.#cache.set(key, { asOf: result.asOf, data: result.data }, ttlMs);
        }
        return result;
      })
      .finally(() => {
        if (this.#inFlight.get(key)?.promise === promise) {
          this.#inFlight.delete(key);
        }
        ticket.end();
      });
    this.#inFlight.set(key, { promise, ticket });
    return promise;
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

  /**
   * One HTTP call, counted by the breaker. `shape` checks a read's answer: a 2xx whose JSON is
   * not what the route returns (a proxy's page, another version of the backend) is a server
   * error like a body that is not JSON, never `available: true` with data that is not there.
   */
  async #call<T>(
    method: string,
    path: string,
    body?: unknown,
    shape?: ShapeCheck,
  ): Promise<T> {
    try {
      const result = await this.#send<T>(method, path, body, shape);
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

  async #send<T>(
    method: string,
    path: string,
    body: unknown,
    shape: ShapeCheck | undefined,
  ): Promise<T> {
    // One deadline for the whole call, discovery and token included: a token that never comes
    // (a key store that does not answer) must not hold a read past the timeout either.
    const signal = AbortSignal.timeout(this.#options.timeoutMs);
    let response: Response;
    try {
      const [baseUrl, token] = await untilAborted(
        Promise.all([this.transport.baseUrl(), this.transport.token()]),
        signal,
      );
      response = await this.#fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (error) {
      throw this.#transportFailure(error, method, path);
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
    // The timeout covers the body too: a body that stalls past it is a timeout like a late
    // answer, and writes reject with an EvidenceHttpError either way.
    let parsed: unknown;
    try {
      parsed = await response.json();
    } catch (error) {
      // By name: fetch's SyntaxError may come from another realm than this module's.
      if ((error as Error)?.name === 'SyntaxError') {
        throw new EvidenceHttpError(
          'server-error',
          `evidence backend answered ${method} ${path} with a body that is not JSON: ${
            (error as Error).message
          }`,
          response.status,
        );
      }
      throw this.#transportFailure(error, method, path);
    }
    if (shape && !shape(parsed)) {
      throw new EvidenceHttpError(
        'server-error',
        `evidence backend answered ${method} ${path} with JSON that is not the route's answer: ${JSON.stringify(
          parsed,
        )?.slice(0, 200)}`,
        response.status,
      );
    }
    return parsed as T;
  }

  /** A failed fetch or body read: the timeout's abort, or the network. */
  #transportFailure(
    error: unknown,
    method: string,
    path: string,
  ): EvidenceHttpError {
    const name = (error as Error)?.name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return new EvidenceHttpError(
        'timeout',
        `evidence backend did not answer ${method} ${path} within ${
          this.#options.timeoutMs
        } ms`,
      );
    }
    return new EvidenceHttpError('network', String(error));
  }

  #isoNow(): string {
    return this.#iso(this.#now());
  }

  #iso(ms: number): string {
    return new Date(ms).toISOString();
  }
}
