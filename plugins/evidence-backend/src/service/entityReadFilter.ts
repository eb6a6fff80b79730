import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { deniedEntityReads } from '@internal/plugin-evidence-node';

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
