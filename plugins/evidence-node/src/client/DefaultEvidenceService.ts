import {
  DEFAULT_REPO_PATHS,
  normalizeEntityRef,
  parseJsonApart,
  redactCredentials,
  type ChangeInput,
  type ChangeRisk,
  type FactInput,
  type ObservedEdge,
  type SourceHealth,
  type StoredChange,
  MAX_LEDGER_VIEW,
  type LedgerView,
} from '@internal/plugin-evidence-common';
import type {
  BatchResult,
  ChangedEntities,
  ChangeQuery,
  EdgeQuery,
  EntityEvidence,
  EvidenceInclude,
  EvidenceRead,
  EvidenceService,
  LedgerSummary,
} from '../EvidenceService';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { CircuitBreaker, CircuitChange } from './CircuitBreaker';
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

/** Options of {@link DefaultEvidenceService}: the client's tunables and the collected globs. */
export type DefaultEvidenceServiceOptions = Partial<EvidenceClientOptions> & {
  /** What `collectedRepoPaths()` answers; default the collector's default globs (§4.2). */
  repoPaths?: readonly string[];
  /**
   * Where the client says that the evidence backend stopped answering (the circuit opened:
   * results turn unknown) and that it answers again; one line per transition, not per call.
   */
  logger?: Pick<LoggerService, 'warn' | 'info'>;
};

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

/**
 * Most characters of encoded refs in one `GET /changes/summary`: the refs travel in the URL,
 * and with the path and the environment the request line stays under 8 KiB, the smallest
 * common limit (nginx's header buffer; Node refuses a request line and headers over 16 KiB).
 * Typical refs of ~40 characters make about 130 refs per call.
 */
export const MAX_SUMMARY_REFS_CHARS = 6_000;

/** A ref's share of the `entityRefs` query parameter: encoded, with its encoded comma. */
const encodedRefSize = (ref: string) => encodeURIComponent(ref).length + 3;

/**
 * Whether a failed batched call is worth repeating per caller. The backend validates
 * `entityRefs` as a whole: a 400 (or 413) for a shared call may be one caller's ref.
 */
const refusedForItsContent = (error: unknown) =>
  error instanceof EvidenceHttpError &&
  (error.status === 400 || error.status === 413);

/** Tells whether a 2xx answer's JSON has the shape a read expects. */
type ShapeCheck = (body: any) => boolean;

const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null;

/** `marks` of `GET /entities/changed`: lists of strings by ref. */
const areMarks = (v: unknown): v is Record<string, string[]> =>
  isObject(v) &&
  !Array.isArray(v) &&
  Object.values(v as object).every(
    m => Array.isArray(m) && m.every(x => typeof x === 'string'),
  );
/** `{ items: [...] }`, the answer of the list routes. */
const hasItems: ShapeCheck = b => isObject(b) && Array.isArray(b.items);

/** `{ restricted: true }` (a ref the caller may not read) is not a summary. */
const isLedgerSummary = (v: any): v is LedgerSummary =>
  isObject(v) &&
  isObject(v.coverage) &&
  !Array.isArray(v.coverage) &&
  typeof v.recent30d === 'number';

/**
 * `{ summaries: { [ref]: LedgerSummary | { restricted: true } } }`. A value that is neither is
 * not the route's answer: read as a server error, not as a ref without a summary.
 */
const isSummaryAnswer: ShapeCheck = b =>
  isObject(b?.summaries) &&
  !Array.isArray(b.summaries) &&
  Object.values(b.summaries).every(
    (v: any) => isLedgerSummary(v) || v?.restricted === true,
  );

/** One ref's cached answer, with the time it was read for `asOf`. */
interface CachedRefValue<R> {
  asOf: string;
  value: R;
}

/** How {@link DefaultEvidenceService} reads one kind of per-ref answer. */
interface PerRefRead<R> {
  batcher: MicroBatcher<R>;
  /** What the answers depend on besides the ref (include and kinds, environment). */
  signature: string;
  cacheKey(ref: string): string;
  /** The write scope a ref's answer depends on. */
  scopeOf(ref: string): string;
  ttlMs: number;
  useCache: boolean;
  /** The value of a ref the backend did not answer; without it such a ref is left out. */
  absent?(): R;
}

/** How long a refused `ledgerView` is not sent again (a rolling upgrade's old replicas). */
const VIEW_REFUSAL_MEMORY_MS = 10 * 60_000;

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
  readonly #summaryBatcher: MicroBatcher<LedgerSummary>;
  readonly #repoPaths: readonly string[];
  readonly #generations = new WriteGenerations();
  /** The failure the circuit's log line names (the call that opened it). */
  #lastFailure: unknown;
  /** Until when `POST /read` is sent without `ledgerView` (a backend refused it). */
  #viewRefusedUntil = 0;
  /** Cached reads in flight, by cache key, so identical reads share one call. */
  readonly #inFlight = new Map<
    string,
    { promise: Promise<EvidenceRead<unknown>>; ticket: LoadTicket }
  >();

  constructor(
    private readonly transport: EvidenceClientTransport,
    { repoPaths, logger, ...options }: DefaultEvidenceServiceOptions = {},
    now: () => number = Date.now,
  ) {
    // Refused here, not clamped: 0 refs per call would loop, 0 in flight would wait forever.
    checkEvidenceClientOptions(options, 'evidence client option ');
    this.#repoPaths = [...(repoPaths ?? DEFAULT_REPO_PATHS)];
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
      onChange: logger && (change => this.#logCircuit(logger, change)),
    });
    this.#cache = new TtlCache(now, {
      maxEntries: this.#options.cacheMaxEntries,
    });
    this.#batcher = new MicroBatcher<EntityEvidence>({
      windowMs: this.#options.batchWindowMs,
      maxPerCall: this.#options.maxRefsPerCall,
      maxInFlight: this.#options.maxInFlight,
      loadChunk: (signature, refs) => this.#loadEntities(signature, refs),
      // Each caller of a refused shared call is asked again on its own.
      retryAlone: refusedForItsContent,
    });
    this.#summaryBatcher = new MicroBatcher<LedgerSummary>({
      windowMs: this.#options.batchWindowMs,
      maxPerCall: this.#options.maxRefsPerCall,
      size: { maxSizePerCall: MAX_SUMMARY_REFS_CHARS, sizeOf: encodedRefSize },
      maxInFlight: this.#options.maxInFlight,
      loadChunk: (signature, refs) => this.#loadSummaries(signature, refs),
      retryAlone: refusedForItsContent,
    });
  }

  readEntities(
    refs: string[],
    options: {
      kinds?: string[];
      include?: EvidenceInclude[];
      cache?: boolean;
      ledgerView?: LedgerView;
    } = {},
  ): Promise<EvidenceRead<Map<string, EntityEvidence>>> {
    const include = [...(options.include ?? DEFAULT_INCLUDE)].sort();
    const kinds = options.kinds ? [...options.kinds].sort() : undefined;
    const ledgerView =
      options.ledgerView &&
      include.includes('ledger') &&
      sendableView(options.ledgerView)
        ? {
            perClass: options.ledgerView.perClass,
            artifacts: options.ledgerView.artifacts,
          }
        : undefined;
    const signature = JSON.stringify({ include, kinds, ledgerView });
    return this.#perRefRead(refs, {
      batcher: this.#batcher,
      signature,
      cacheKey: ref => `read|${signature}|${ref}`,
      scopeOf: entityScope,
      ttlMs: include.some(i => i === 'ledger' || i === 'ledgerSummary')
        ? this.#options.ledgerCacheTtlMs
        : this.#options.cacheTtlMs,
      useCache: options.cache !== false,
      // An entity the backend knows nothing about is cached as empty, so it is not asked again.
      absent: () => ({ facts: [], collection: [] }),
    });
  }

  changeSummary(
    refs: string[],
    options: { environment?: string; at?: string } = {},
  ): Promise<EvidenceRead<Map<string, LedgerSummary>>> {
    const signature = JSON.stringify({
      environment: options.environment,
      at: options.at,
    });
    // Keyed under the ledger scope: any change written, or risk set, may alter any summary
    // (aliases move changes between entities), as it may alter any ledger query.
    return this.#perRefRead(refs, {
      batcher: this.#summaryBatcher,
      signature,
      cacheKey: ref => `${LEDGER_SCOPE}summary|${signature}|${ref}`,
      scopeOf: () => LEDGER_SCOPE,
      ttlMs: this.#options.ledgerCacheTtlMs,
      useCache: true,
    });
  }

  collectedRepoPaths(): string[] {
    return [...this.#repoPaths];
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
          hasMore: boolean;
        }>(
          'GET',
          `/edges/changes${query}`,
          undefined,
          b =>
            isObject(b) &&
            Array.isArray(b.edges) &&
            Array.isArray(b.removed) &&
            typeof b.cursor === 'string' &&
            typeof b.hasMore === 'boolean',
        );
        return { ...body, reset: false };
      } catch (error) {
        if (error instanceof EvidenceHttpError && error.status === 410) {
          return {
            edges: [],
            removed: [],
            cursor: '',
            hasMore: false,
            reset: true,
          };
        }
        throw error;
      }
    });
  }

  changedEntities(since?: string) {
    // Never cached: the caller polls with a moving `since`.
    return this.#guard(async (): Promise<ChangedEntities> => {
      const { refs, until, marks } = await this.#call<ChangedEntities>(
        'GET',
        `/entities/changed${
          since ? `?since=${encodeURIComponent(since)}` : ''
        }`,
        undefined,
        b =>
          isObject(b) && Array.isArray(b.refs) && typeof b.until === 'string',
      );
      // Marks only let a caller skip reads: ones in a shape it cannot trust are dropped (it
      // then reads every listed ref), never a reason to refuse the answer.
      return areMarks(marks) ? { refs, until, marks } : { refs, until };
    });
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

  /**
   * A read of many refs, each answered from the cache or else loaded through `read.batcher`
   * together with other callers' reads of the same signature, and cached per ref. `data` is
   * keyed by the normalized ref (trimmed, lower-cased), the key the backend answers under.
   */
  async #perRefRead<R>(
    refs: string[],
    read: PerRefRead<R>,
  ): Promise<EvidenceRead<Map<string, R>>> {
    const data = new Map<string, R>();
    const missing: string[] = [];
    // asOf of the oldest data served: a cached answer is as old as its read, not its hit.
    let asOf: string | undefined;
    const served = (time: string) => {
      // toISOString text of the same clock: the string order is the time order
      if (asOf === undefined || time < asOf) asOf = time;
    };
    // A ref that is not a full ref (`group:default/jane@example.com` from a sloppy owner) has
    // no evidence and is left out of `data`, without a call: in a shared batch the backend
    // would refuse every co-batched caller's read with it.
    const normalized = refs.flatMap(r => normalizeEntityRef(r) ?? []);
    for (const ref of new Set(normalized)) {
      const cached = read.useCache
        ? (this.#cache.get(read.cacheKey(ref)) as CachedRefValue<R> | undefined)
        : undefined;
      if (cached) {
        data.set(ref, cached.value);
        served(cached.asOf);
      } else missing.push(ref);
    }
    if (missing.length === 0) {
      return { available: true, asOf: asOf ?? this.#isoNow(), data };
    }
    const ticket = read.useCache
      ? this.#generations.begin(missing.map(read.scopeOf))
      : undefined;
    try {
      const loaded = await this.#guard(() =>
        read.batcher.load(read.signature, missing),
      );
      if (!loaded.available) return loaded;
      for (const ref of missing) {
        const value = loaded.data.get(ref) ?? read.absent?.();
        if (value === undefined) continue;
        // Written while this read was in flight: the answer may predate the write, so this
        // caller gets it but the cache does not keep it.
        if (ticket?.unchanged(read.scopeOf(ref))) {
          const entry: CachedRefValue<R> = { asOf: loaded.asOf, value };
          this.#cache.set(read.cacheKey(ref), entry, read.ttlMs);
        }
        data.set(ref, value);
      }
      served(loaded.asOf);
      return { available: true, asOf: asOf!, data };
    } finally {
      ticket?.end();
    }
  }

  async #loadSummaries(
    signature: string,
    refs: string[],
  ): Promise<Map<string, LedgerSummary>> {
    const { environment, at } = JSON.parse(signature) as {
      environment?: string;
      at?: string;
    };
    const params = new URLSearchParams({ entityRefs: refs.join(',') });
    if (environment !== undefined) params.set('environment', environment);
    const summaryAt = async (query: URLSearchParams) =>
      this.#call<{ summaries: Record<string, unknown> }>(
        'GET',
        `/changes/summary?${query}`,
        undefined,
        isSummaryAnswer,
      );
    let body: { summaries: Record<string, unknown> };
    if (at === undefined) {
      body = await summaryAt(params);
    } else {
      const withAt = new URLSearchParams(params);
      withAt.set('at', at);
      try {
        body = await summaryAt(withAt);
      } catch (error) {
        // An evidence backend from before `at` (a rolling upgrade, a separately deployed
        // backend) refuses the parameter: the summary as of now is what it can give, and the
        // caller's own as-of rule (a brief's `asOf`) drops what came after `at`.
        if (!refusesUnknownField(error, 'at')) throw error;
        body = await summaryAt(params);
      }
    }
    const summaries = new Map<string, LedgerSummary>();
    for (const [ref, summary] of Object.entries(body.summaries)) {
      // A ref the caller may not read is answered `{ restricted: true }`: left out, like a ref
      // with no evidence in `readEntities` (the client's own service credentials never are).
      if (isLedgerSummary(summary)) summaries.set(ref, summary);
    }
    return summaries;
  }

  async #loadEntities(
    signature: string,
    refs: string[],
  ): Promise<Map<string, EntityEvidence>> {
    const { include, kinds, ledgerView } = JSON.parse(signature);
    const read = (view: unknown) =>
      this.#call<{
        entities: Record<string, EntityEvidence>;
      }>(
        'POST',
        '/read',
        { entityRefs: refs, include, kinds, ledgerView: view },
        b => isObject(b?.entities),
      );
    const withView =
      ledgerView !== undefined && this.#now() >= this.#viewRefusedUntil;
    let body;
    try {
      body = await read(withView ? ledgerView : undefined);
    } catch (error) {
      // A backend before `ledgerView` (a rolling upgrade, evidence deployed apart) refuses it:
      // the whole window then, which a reader asking for a view compacts itself. Remembered for
      // a while, not for good: the 400 may come from an old replica.
      if (!withView || !refusesUnknownField(error, 'ledgerView')) throw error;
      this.#viewRefusedUntil = this.#now() + VIEW_REFUSAL_MEMORY_MS;
      body = await read(undefined);
    }
    return new Map(Object.entries(body.entities));
  }

  #invalidate(refs: (string | undefined)[]): void {
    // Normalized as reads key their cache: ` Component:default/A ` writes component:default/a.
    const touched = new Set(
      refs.flatMap(r => (r ? normalizeEntityRef(r) ?? [] : [])),
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
   * One log line per circuit transition. The failure's text is redacted with the suite's
   * whole scan (userinfo and secret query parameters): a 5xx body quoted in it may echo a
   * request URL with `?access_token=`.
   */
  #logCircuit(
    logger: Pick<LoggerService, 'warn' | 'info'>,
    change: CircuitChange,
  ): void {
    const seconds = Math.round(change.failingForMs / 1000);
    if (change.state === 'closed') {
      logger.info(
        `evidence client: the evidence backend answers again after ${seconds} s of failures`,
      );
      return;
    }
    const failure = this.#lastFailure;
    const last = redactCredentials(
      failure instanceof EvidenceHttpError
        ? `${failure.cause}${failure.status ? ` ${failure.status}` : ''}: ${
            failure.message
          }`
        : String(failure),
    ).slice(0, 300);
    const openFor = Math.round(this.#options.breakerOpenForMs / 1000);
    logger.warn(
      change.reopened
        ? `evidence client: the evidence backend still fails (for ${seconds} s; last: ${last}); evidence reads answer unavailable, so results that need evidence are unknown, for another ${openFor} s`
        : `evidence client: the evidence backend failed ${
            this.#options.breakerFailures
          } calls in a row (last: ${last}); evidence reads answer unavailable, so results that need evidence are unknown, for ${openFor} s, then one call probes it`,
    );
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
        this.#lastFailure = error;
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
    // answer, and writes reject with an EvidenceHttpError either way. Evidence values are keyed
    // by data (SLO ids, one key per service): read by `JSON.parse`, they fill the hidden-class
    // transitions the whole process shares, the catalog's included (`parseJsonApart`).
    let parsed: unknown;
    try {
      parsed = parseJsonApart(await response.text());
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
    return new EvidenceHttpError('network', describeNetworkError(error));
  }

  #isoNow(): string {
    return this.#iso(this.#now());
  }

  #iso(ms: number): string {
    return new Date(ms).toISOString();
  }
}

/**
 * A network error's text with its cause: undici's fetch rejects with `TypeError: fetch failed`
 * and keeps what happened (`ECONNREFUSED 10.0.0.5:7007`, a TLS failure) in `error.cause`.
 */
function describeNetworkError(error: unknown): string {
  const text = String(error);
  const cause = (error as { cause?: unknown })?.cause;
  if (cause === undefined || cause === null) return text;
  const { code, message } = cause as { code?: unknown; message?: unknown };
  const parts = [code, message].filter(
    (part): part is string => typeof part === 'string' && part.length > 0,
  );
  // Node's messages usually quote the code already ("connect ECONNREFUSED 10.0.0.5:7007").
  const detail =
    parts.length === 2 && parts[1].includes(parts[0])
      ? parts[1]
      : parts.join(' ');
  return `${text} (cause: ${detail || String(cause)})`;
}

/**
 * Whether a backend that knows `ledgerView` takes this one (whole numbers 0–1000): a standard's
 * needs may ask for more, and a view refused by a 400 would fail every read; without one the
 * whole window is read, which holds everything any view keeps.
 */
function sendableView(view: LedgerView): boolean {
  const ok = (n: number) =>
    Number.isInteger(n) && n >= 0 && n <= MAX_LEDGER_VIEW;
  return ok(view.perClass) && ok(view.artifacts);
}

/**
 * An older evidence backend's 400 for a `field` it does not know (the `at` of
 * `GET /changes/summary`, the `ledgerView` of `POST /read`): a rolling upgrade, or a backend
 * deployed apart.
 */
function refusesUnknownField(
  error: unknown,
  field: 'at' | 'ledgerView',
): boolean {
  return (
    error instanceof EvidenceHttpError &&
    error.status === 400 &&
    new RegExp(`\\b${field} is not a known field\\b`).test(error.message)
  );
}
