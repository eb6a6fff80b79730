import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { AuthorizeResult } from '@backstage/plugin-permission-common';

/** What an entity read answers for a ref the caller may not read (§5.1). */
export const RESTRICTED = { restricted: true } as const;

/**
 * The refs among `refs` (normalized) whose evidence the caller may not see: users see only
 * entities their `catalog.entity.read` allows, service principals are not filtered (§5.1).
 *
 * One batched `authorize` call per request, one resource request per distinct ref. `authorize`
 * (not `authorizeConditional`) is used on purpose: for a conditional policy the permission
 * framework evaluates the conditions against the catalog per `resourceRef` and answers ALLOW
 * or DENY, which is the catalog's own verdict and cheaper than loading the entities here.
 * Anything other than ALLOW (DENY, or a CONDITIONAL from a non-conforming implementation)
 * counts as restricted: a read fails closed.
 */
export async function restrictedEntityRefs(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  refs: string[],
): Promise<Set<string>> {
  const principal = credentials.principal as { type?: string };
  if (principal.type === 'service') return new Set();
  const unique = [...new Set(refs)];
  if (unique.length === 0) return new Set();
  const decisions = await permissions.authorize(
    unique.map(resourceRef => ({
      permission: catalogEntityReadPermission,
      resourceRef,
    })),
    { credentials },
  );
  return new Set(
    unique.filter((_, i) => decisions[i]?.result !== AuthorizeResult.ALLOW),
  );
}
