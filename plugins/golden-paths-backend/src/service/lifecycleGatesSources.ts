import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { refKey } from '../refKey';
import { upstreamFailure } from './upstreamFailure';

/**
 * The catalog as the lifecycle gates read it (§4.8 "catalog read of the entity"). The entity and
 * a deprecation's replacement (G-D1) are read on behalf of the caller, so an entity the caller may
 * not see answers 404 and a replacement it may not see counts as missing; the graph around it is
 * read with the plugin's own credentials, so a dependent hidden from the caller still blocks an
 * archive or a delete (gates fail closed), and read again as the caller only to learn which of
 * those the messages may name.
 */
export interface LifecycleCatalog {
  /** The entity, or undefined when it is unknown (or not visible to the caller). */
  getEntity(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Entity | undefined>;
  /**
   * The entities that exist among `entityRefs` (order free; unknown refs are left out), read with
   * the plugin's own credentials, or on behalf of `credentials` when given (then an entity the
   * caller may not see is left out too).
   */
  getEntitiesByRefs(
    entityRefs: readonly string[],
    credentials?: BackstageCredentials,
  ): Promise<Entity[]>;
}

/** One blocker of the scorecard (scorecards §2.6), reduced to what G-P1 reads. */
export interface ScorecardBlocker {
  level: string;
  checkId: string;
  state: 'fail' | 'unknown';
  missing?: readonly {
    cause: string;
    ageSeconds?: number;
    freshForSeconds?: number;
  }[];
}

/** `GET /api/scorecards/entities/:kind/:ns/:name`, reduced to what the gates read. */
export interface ScorecardReading {
  scored: boolean;
  level?: string;
  blockers?: readonly ScorecardBlocker[];
  results?: readonly { checkId: string; state: string }[];
}

/** Reads an entity's scorecard; throws when the scorecards backend cannot answer. */
export interface LifecycleScorecardReader {
  read(entityRef: string): Promise<ScorecardReading>;
  /**
   * The scorecard an entity given whole would have (`POST /api/scorecards/evaluate`, a dry run
   * that stores nothing): G-P1 of an undeprecation reads the entity as it would be in production.
   */
  evaluate(entity: Entity): Promise<ScorecardReading>;
}

/** A change-ledger record as G-P2 reads it. */
export interface LifecycleChange {
  kind: string;
  status: string;
  environment: string;
  at: string;
}

/** An observed caller of the entity (G-A2). */
export interface LifecycleCaller {
  client: string;
  lastSeen: string;
}

/** Reads the change ledger and observed edges of the evidence backend; throws when unreachable. */
export interface LifecycleEvidenceReader {
  /** Succeeded `deploy` records to `environment` since `from` (ISO instant). */
  deploys(
    entityRef: string,
    query: { environment: string; from: string },
  ): Promise<LifecycleChange[]>;
  /** Callers observed with the entity as dependency, last seen at or after `since`. */
  observedCallers(
    entityRef: string,
    query: { since: string },
  ): Promise<LifecycleCaller[]>;
}

/**
 * The golden-paths ledger as G-X3 reads it (§7.1 delete, §7.3): what the entity's archive left
 * undone. Read from this plugin's own database (`lifecycleLedger.ts`); throws when it cannot be
 * read.
 */
export interface LifecycleLedgerReader {
  /**
   * The finalizers of the entity's current archive that are not in effect, each named for GP-L11
   * (`finalizer repository (request …, step lifecycle:repository failed)`); empty when none is.
   * `ownRepository`: the entity has a repository of its own, so its archive runs the `repository`
   * finalizer (a database Resource of the shared infrastructure repository has none).
   * `archived`: the catalog shows the entity archived, so an archive whose descriptor change was
   * claimed or failed may hold it too.
   */
  pendingFinalizers(
    entityRef: string,
    options: { ownRepository: boolean; archived?: boolean },
  ): Promise<string[]>;
}

/** The sources of lifecycle facts. */
export interface LifecycleGatesSources {
  catalog: LifecycleCatalog;
  scorecards: LifecycleScorecardReader;
  evidence: LifecycleEvidenceReader;
  ledger: LifecycleLedgerReader;
}

type Fetch = typeof fetch;

interface HttpOptions {
  discovery: DiscoveryService;
  auth: AuthService;
  /** For tests; defaults to the global fetch. */
  fetch?: Fetch;
  /**
   * How long one read may take (default 2 s, as preflight's catalog reads). A source that does
   * not answer in time counts as failed: its gates are unknown and do not pass (the entity's own
   * read fails the request), instead of holding it. A delete's evaluation makes up to four reads
   * one after another, so 2 s each keeps it inside golden-paths-node's 10 s deadline.
   */
  timeoutMs?: number;
}

const DEFAULT_SOURCE_TIMEOUT_MS = 2_000;

/** The options' fetch, giving up after their timeout (`HttpOptions.timeoutMs`). */
function fetchWithin(options: HttpOptions): Fetch {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_SOURCE_TIMEOUT_MS;
  return (input, init) =>
    doFetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) });
}

function entityPath(entityRef: string): string {
  const colon = entityRef.indexOf(':');
  const slash = entityRef.indexOf('/', colon);
  return [
    entityRef.slice(0, colon),
    entityRef.slice(colon + 1, slash),
    entityRef.slice(slash + 1),
  ]
    .map(encodeURIComponent)
    .join('/');
}

async function serviceToken(
  auth: AuthService,
  targetPluginId: string,
  onBehalfOf?: BackstageCredentials,
): Promise<string> {
  const { token } = await auth.getPluginRequestToken({
    onBehalfOf: onBehalfOf ?? (await auth.getOwnServiceCredentials()),
    targetPluginId,
  });
  return token;
}

/** The catalog over its REST API (no `@backstage/plugin-catalog-node` dependency needed). */
export function httpLifecycleCatalog(options: HttpOptions): LifecycleCatalog {
  const doFetch = fetchWithin(options);
  return {
    async getEntity(entityRef, credentials) {
      const base = await options.discovery.getBaseUrl('catalog');
      const token = await serviceToken(options.auth, 'catalog', credentials);
      const res = await doFetch(
        `${base}/entities/by-name/${entityPath(entityRef)}`,
        { headers: { Authorization: `Bearer ${token}` } },
      );
      if (res.status === 404) return undefined;
      if (!res.ok) throw await upstreamFailure('catalog', res);
      return (await res.json()) as Entity;
    },
    async getEntitiesByRefs(entityRefs, credentials) {
      if (entityRefs.length === 0) return [];
      const base = await options.discovery.getBaseUrl('catalog');
      const token = await serviceToken(options.auth, 'catalog', credentials);
      const res = await doFetch(`${base}/entities/by-refs`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ entityRefs }),
      });
      if (!res.ok) throw await upstreamFailure('catalog', res);
      const body = (await res.json()) as { items: (Entity | null)[] };
      return body.items.filter((e): e is Entity => !!e);
    },
  };
}

/** The scorecards backend (`GET /api/scorecards/entities/:kind/:ns/:name`), service token. */
export function httpLifecycleScorecards(
  options: HttpOptions,
): LifecycleScorecardReader {
  const doFetch = fetchWithin(options);
  const ask = async (path: string, init: RequestInit = {}) => {
    const base = await options.discovery.getBaseUrl('scorecards');
    const token = await serviceToken(options.auth, 'scorecards');
    const res = await doFetch(`${base}/${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${token}`, ...init.headers },
    });
    if (!res.ok) throw await upstreamFailure('scorecards', res);
    return (await res.json()) as ScorecardReading;
  };
  return {
    read: entityRef => ask(`entities/${entityPath(entityRef)}`),
    evaluate: entity =>
      ask('evaluate', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ entity }),
      }),
  };
}

/** The evidence backend (`GET /api/evidence/changes`, `GET /api/evidence/edges`), service token. */
export function httpLifecycleEvidence(
  options: HttpOptions,
): LifecycleEvidenceReader {
  const doFetch = fetchWithin(options);
  const get = async (path: string, query: Record<string, string>) => {
    const base = await options.discovery.getBaseUrl('evidence');
    const token = await serviceToken(options.auth, 'evidence');
    const res = await doFetch(
      `${base}/${path}?${new URLSearchParams(query).toString()}`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    if (!res.ok) throw await upstreamFailure('evidence', res);
    return res.json();
  };
  return {
    async deploys(entityRef, q) {
      const body = (await get('changes', {
        entityRef,
        environment: q.environment,
        kind: 'deploy',
        status: 'succeeded',
        from: q.from,
        limit: '100',
      })) as {
        items: {
          kind: string;
          status: string;
          environment: string;
          effectiveAt: string;
          finishedAt?: string;
        }[];
      };
      return body.items.map(c => ({
        kind: c.kind,
        status: c.status,
        environment: c.environment,
        at: c.finishedAt ?? c.effectiveAt,
      }));
    },
    async observedCallers(entityRef, q) {
      const body = (await get('edges', {
        entityRef,
        direction: 'incoming',
        since: q.since,
      })) as {
        items: {
          client: string;
          dependentRef: string | null;
          dependencyRef: string | null;
          lastSeen: string;
        }[];
      };
      const ref = refKey(entityRef);
      return body.items
        .filter(e => e.dependencyRef && refKey(e.dependencyRef) === ref)
        .map(e => ({
          client: e.dependentRef ?? e.client,
          lastSeen: e.lastSeen,
        }));
    },
  };
}

/** The production sources over HTTP: catalog, scorecards and evidence (the ledger is local). */
export function httpLifecycleGatesSources(
  options: HttpOptions,
): Omit<LifecycleGatesSources, 'ledger'> {
  return {
    catalog: httpLifecycleCatalog(options),
    scorecards: httpLifecycleScorecards(options),
    evidence: httpLifecycleEvidence(options),
  };
}
