import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { AuthorizeResult } from '@backstage/plugin-permission-common';

/**
 * Most entity refs per `authorize` request. The permission backend parses its body with
 * express's default 100 kB limit and answers 413 beyond it (backstage/backstage#28836); one
 * `catalog.entity.read` item is ~200–330 bytes of JSON, so 200 stay under ~66 kB.
 */
export const AUTHORIZE_BATCH_SIZE = 200;

/**
 * The refs among `refs` the caller may not read (`catalog.entity.read`), as the permission
 * framework decides them. Anything but ALLOW counts as denied: a read fails closed.
 *
 * - Up to {@link AUTHORIZE_BATCH_SIZE} refs: one batched `authorize`, one decision per ref.
 * - More (a blast radius of a shared service names thousands): one `authorizeConditional`
 *   first. A policy decides on the permission and the user, never on the resource, so a
 *   definitive ALLOW or DENY holds for every entity and nothing else is asked. Only a
 *   CONDITIONAL decision (or none) is resolved per entity, by `authorize` requests of
 *   {@link AUTHORIZE_BATCH_SIZE} refs sent together, where the permission framework applies
 *   the conditions against the catalog.
 */
export async function deniedEntityReads(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  refs: readonly string[],
): Promise<Set<string>> {
  if (refs.length > AUTHORIZE_BATCH_SIZE) {
    const [decision] =
      (await permissions.authorizeConditional(
        [{ permission: catalogEntityReadPermission }],
        { credentials },
      )) ?? [];
    if (decision?.result === AuthorizeResult.ALLOW) return new Set();
    if (decision?.result === AuthorizeResult.DENY) return new Set(refs);
  }
  const batches: string[][] = [];
  for (let i = 0; i < refs.length; i += AUTHORIZE_BATCH_SIZE) {
    batches.push(refs.slice(i, i + AUTHORIZE_BATCH_SIZE));
  }
  const denied = await Promise.all(
    batches.map(async batch => {
      const decisions = await permissions.authorize(
        batch.map(resourceRef => ({
          permission: catalogEntityReadPermission,
          resourceRef,
        })),
        { credentials },
      );
      return batch.filter(
        (_, i) => decisions[i]?.result !== AuthorizeResult.ALLOW,
      );
    }),
  );
  return new Set(denied.flat());
}
