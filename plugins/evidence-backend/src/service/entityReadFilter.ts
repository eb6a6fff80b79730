import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { deniedEntityReads } from '@internal/plugin-evidence-node';
import type { AliasEntry } from './AliasResolver';

/** What an entity read answers for a ref the caller may not read (§5.1). */
export const RESTRICTED = { restricted: true } as const;

/**
 * The refs among `refs` (normalized) whose evidence the caller may not see: users see only
 * entities their `catalog.entity.read` allows, service principals are not filtered (§5.1).
 *
 * `catalog.entity.read` per distinct ref through `deniedEntityReads` (evidence-node): one
 * batched `authorize` call for up to 50 refs; for more, one `authorizeConditional` whose
 * definitive answer holds for every ref, else `authorize` requests of 50 refs, 4 in flight (the
 * permission backend and the catalog's `apply-conditions` refuse bodies over 100 kB). Per-ref
 * decisions are the permission framework's: for a conditional policy it evaluates the
 * conditions against the catalog per `resourceRef`, which is the catalog's own verdict and
 * cheaper than loading the entities here. Anything other than ALLOW counts as restricted: a
 * read fails closed.
 */
export async function restrictedEntityRefs(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  refs: string[],
): Promise<Set<string>> {
  const principal = credentials.principal as { type?: string };
  if (principal.type === 'service') return new Set();
  if (refs.length === 0) return new Set();
  // deniedEntityReads asks each distinct ref once
  return deniedEntityReads(permissions, credentials, refs);
}

/**
 * The items whose every named entity the caller may read (§5.1), in order: one
 * {@link restrictedEntityRefs} decision over the distinct refs of all items (batched as there),
 * none for a service principal. `refsOf` names an item's refs; null entries (an unresolved alias,
 * an unmapped telemetry name) name no entity and restrict nothing, so an item naming none stays
 * visible. An item naming several (an edge names two) is hidden when any of them is restricted.
 */
export async function withoutRestricted<T>(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  items: T[],
  refsOf: (item: T) => readonly (string | null | undefined)[],
  /** Refs the request decided already (a route's own `entityRef`): not asked again. */
  decided?: { allowed: ReadonlySet<string>; restricted: ReadonlySet<string> },
): Promise<T[]> {
  const principal = credentials.principal as { type?: string };
  if (principal.type === 'service' || items.length === 0) return items;
  const named = items.map(item =>
    refsOf(item)
      .filter((r): r is string => typeof r === 'string' && r.length > 0)
      .map(r => r.toLowerCase()),
  );
  const undecided = [...new Set(named.flat())].filter(
    r => !decided?.allowed.has(r) && !decided?.restricted.has(r),
  );
  const restricted = new Set([
    ...(decided?.restricted ?? []),
    ...(await restrictedEntityRefs(permissions, credentials, undecided)),
  ]);
  if (restricted.size === 0) return items;
  return items.filter((_, i) => named[i].every(r => !restricted.has(r)));
}

/** The body of `GET /aliases/:name`: an alias-map entry, or an unknown alias (`origin: null`). */
export type AliasAnswer = Omit<AliasEntry, 'origin'> & {
  origin: AliasEntry['origin'] | null;
  /** Claimants of a void alias the caller may not read, left out of `conflictRefs`. */
  restrictedConflicts?: number;
};

/**
 * `GET /aliases/:name` as the caller may see it (§5.1): the entry names an entity (or, for a
 * void alias, its claimants) and is decided like any record naming them. An alias whose entity
 * the caller may not read answers exactly as an alias no entity claims, as `GET /changes/:id`
 * answers a change of an unreadable entity as an unknown id: the caller named only the alias,
 * so any distinct answer (the routes' `restricted: true` marks a ref the caller named) would
 * confirm that it maps to an entity they may not read. A void alias lists the claimants the
 * caller may read and counts the others (`restrictedConflicts`), so one readable claimant does
 * not pass for the owner; with none readable it is unknown too.
 */
export async function visibleAliasEntry(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  name: string,
  entry: AliasEntry | undefined,
): Promise<AliasAnswer> {
  const unknown: AliasAnswer = {
    name: name.trim().toLowerCase(),
    entityRef: null,
    origin: null,
    conflictRefs: [],
  };
  if (!entry) return unknown;
  const named = entry.entityRef ? [entry.entityRef] : entry.conflictRefs;
  const restricted = await restrictedEntityRefs(
    permissions,
    credentials,
    named,
  );
  if (restricted.size === 0) return entry;
  const readable = named.filter(ref => !restricted.has(ref));
  if (readable.length === 0) return unknown;
  return {
    ...entry,
    conflictRefs: readable,
    restrictedConflicts: named.length - readable.length,
  };
}
