import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  normalizeEntityRef,
  type PolicyFacts,
  type RequestKind,
} from '@internal/plugin-golden-paths-common';
import { withTimeout } from '../shared/withTimeout';

/** How long a catalog call may take before its rules fail closed (GP-U01, §4.9). */
export const FACT_TIMEOUT_MS = 2000;

const CATALOG = 'the catalog';

/** Fields of Group entities the owner rules read (membership, parents, on-call). */
const GROUP_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.annotations',
  'spec.type',
  'spec.parent',
  'spec.children',
  'spec.members',
  'relations',
];

/** The kinds whose names GP-N03 protects. */
const NAME_KINDS = ['component', 'resource', 'api', 'system'];

function field(raw: unknown, key: string): unknown {
  return typeof raw === 'object' && raw !== null
    ? (raw as Record<string, unknown>)[key]
    : undefined;
}

function ref(raw: unknown, kind: string): string | undefined {
  return typeof raw === 'string' && raw.trim()
    ? normalizeEntityRef(raw, kind)
    : undefined;
}

/**
 * The entity refs the fact rules need for one request, fetched in a single `getEntitiesByRefs`:
 * owner, system, component, queue, lifecycle entity, requester, and every `<kind>:default/<name>`
 * GP-N03 could clash with (N03 protects four kinds in the namespace, so looking them up by ref is
 * exact and needs no query). Built from request values, so only asked once the request has passed
 * the secret scan, the schema and GP-I01.
 */
export function factRefs(
  kind: RequestKind,
  request: unknown,
  requester: string | undefined,
): string[] {
  const refs = new Set<string>();
  const add = (r: string | undefined) => r && refs.add(r);
  add(ref(field(request, 'owner'), 'group'));
  add(ref(field(request, 'system'), 'system'));
  add(ref(field(request, 'component'), 'component'));
  add(ref(field(request, 'queue'), 'resource'));
  add(ref(field(request, 'entity'), 'component'));
  add(requester ? ref(requester, 'user') : undefined);
  const name = field(request, 'name');
  if (typeof name === 'string' && name.trim() && kind !== 'lifecycle') {
    const base = name.trim().toLocaleLowerCase('en-US');
    const env = field(request, 'environment');
    const entityName =
      kind === 'database'
        ? `${base}-${typeof env === 'string' ? env : 'dev'}`
        : base;
    for (const k of NAME_KINDS) add(ref(`${k}:default/${entityName}`, k));
  }
  return [...refs].sort();
}

/**
 * The template entity (its `spec.steps` for the kill switches of §4.7, its parameters for GP-X02,
 * its version annotation), read by the template ref alone before anything of the request is
 * checked: it carries no request value, so it may precede the secret scan. A template the catalog
 * does not have, or a read that fails or times out, leaves it undefined (validate then checks its
 * own switch only); the failure, for the task log, never contains request values.
 */
export async function readTemplate(options: {
  catalog: CatalogService;
  credentials: BackstageCredentials;
  templateRef: string;
  timeoutMs?: number;
}): Promise<{ template?: Entity; failure?: string }> {
  const templateRef = normalizeEntityRef(options.templateRef, 'template');
  if (!templateRef) return {};
  try {
    const template = await withTimeout(
      options.catalog.getEntityByRef(templateRef, {
        credentials: options.credentials,
      }),
      options.timeoutMs ?? FACT_TIMEOUT_MS,
    );
    return template ? { template } : {};
  } catch (e) {
    return {
      failure: `template lookup failed: ${String((e as Error)?.message)}`,
    };
  }
}

export interface GatheredFacts {
  facts: PolicyFacts;
  /** Number of catalog calls made (≤ 2, §4.9). */
  catalogCalls: number;
  /** Why a call failed, for the task log (never contains request values). */
  failures: string[];
}

/**
 * The Group projection (membership, parents, on-call annotations) changes rarely and is the same
 * for every request, so validate may reuse it for a few seconds instead of asking the catalog on
 * every run. A failed read is never cached.
 */
export class GroupProjectionCache {
  private value?: { at: number; items: Entity[] };
  private inFlight?: Promise<{ items: Entity[] }>;

  constructor(private readonly ttlMs: number) {}

  read(load: () => Promise<{ items: Entity[] }>): Promise<{ items: Entity[] }> {
    const now = Date.now();
    if (this.value && now - this.value.at < this.ttlMs) {
      return Promise.resolve({ items: this.value.items });
    }
    if (!this.inFlight) {
      this.inFlight = load()
        .then(r => {
          if (this.ttlMs > 0) this.value = { at: Date.now(), items: r.items };
          return r;
        })
        .finally(() => {
          this.inFlight = undefined;
        });
    }
    return this.inFlight;
  }
}

/**
 * The catalog facts of §4.9 in two batched calls made in parallel, each with a 2 s timeout:
 * 1. `getEntitiesByRefs` — owner, system, component/queue/entity, requester and the possible
 *    name clashes;
 * 2. `getEntities` of kind Group with a field projection — the group tree, so transitive
 *    membership (GP-O03/O04) and the owner's own and inherited on-call annotations
 *    (GP-T01/T03) are decided without further round trips.
 * A call that fails or times out lists the rules that needed it as unavailable (GP-U01).
 */
export async function gatherFacts(options: {
  catalog: CatalogService;
  credentials: BackstageCredentials;
  kind: RequestKind;
  request: unknown;
  requester: string;
  timeoutMs?: number;
  groups?: GroupProjectionCache;
}): Promise<GatheredFacts> {
  const { catalog, credentials, kind, request, requester } = options;
  const timeoutMs = options.timeoutMs ?? FACT_TIMEOUT_MS;
  const refs = factRefs(kind, request, requester);
  const [byRefs, groups] = await Promise.allSettled([
    withTimeout(
      catalog.getEntitiesByRefs({ entityRefs: refs }, { credentials }),
      timeoutMs,
    ),
    withTimeout(
      (options.groups ?? new GroupProjectionCache(0)).read(() =>
        catalog.getEntities(
          { filter: { kind: 'Group' }, fields: GROUP_FIELDS },
          { credentials },
        ),
      ),
      timeoutMs,
    ),
  ]);

  const entities = new Map<string, Entity>();
  const keyOf = (e: Entity) =>
    `${e.kind}:${e.metadata.namespace ?? 'default'}/${
      e.metadata.name
    }`.toLocaleLowerCase('en-US');
  const unavailable: { rule: string; source: string }[] = [];
  const failures: string[] = [];

  if (groups.status === 'fulfilled') {
    for (const e of groups.value.items) entities.set(keyOf(e), e);
  } else {
    failures.push(`group lookup failed: ${String(groups.reason?.message)}`);
    unavailable.push(
      { rule: 'GP-O03', source: CATALOG },
      { rule: 'GP-T03', source: CATALOG },
    );
  }
  if (byRefs.status === 'fulfilled') {
    for (const e of byRefs.value.items) {
      if (!e) continue;
      // Full entities win over the projected group rows.
      entities.set(keyOf(e), e);
    }
  } else {
    failures.push(`entity lookup failed: ${String(byRefs.reason?.message)}`);
    for (const rule of [
      'GP-N03',
      'GP-O02',
      'GP-S01',
      'GP-T01',
      'GP-W03',
      'GP-D01',
    ]) {
      if (!unavailable.some(u => u.rule === rule))
        unavailable.push({ rule, source: CATALOG });
    }
  }
  return {
    facts: {
      requester,
      catalog: [...entities.values()],
      ...(unavailable.length ? { unavailable } : {}),
    },
    catalogCalls: 2,
    failures,
  };
}
