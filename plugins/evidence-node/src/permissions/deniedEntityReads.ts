import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { AuthorizeResult } from '@backstage/plugin-permission-common';

/**
 * Most entity refs per `authorize` request. Two bodies are parsed with express's default 100 kB
 * limit and answered 413 beyond it (backstage/backstage#28836): the permission backend's
 * `authorize` (~200–330 bytes per `catalog.entity.read` item), and, under a conditional policy,
 * the catalog's `apply-conditions`, to which the permission backend forwards the whole batch
 * with the policy's conditions repeated in every item (an `IS_ENTITY_OWNER` over a user's
 * ownership claims is ~0.3–1 kB). 50 items stay under ~50 kB on both with conditions up to
 * ~1.5 kB.
 */
export const AUTHORIZE_BATCH_SIZE = 50;

/**
 * Most `authorize` requests in flight at once when a conditional policy is resolved per ref: a
 * read naming a whole catalog (20,000 refs, 400 batches) must not put 400 requests — each an
 * `apply-conditions` query of the catalog — on the permission backend at once.
 */
export const AUTHORIZE_CONCURRENCY = 4;

/**
 * The refs among `refs` the caller may not read (`catalog.entity.read`), as the permission
 * framework decides them. Anything but ALLOW counts as denied: a read fails closed.
 *
 * - Up to {@link AUTHORIZE_BATCH_SIZE} distinct refs: one batched `authorize`, one decision per
 *   ref — one round trip whatever the policy.
 * - More (a blast radius of a shared service names thousands): one `authorizeConditional`
 *   first. A policy decides on the permission and the user, never on the resource (its query
 *   carries no resource ref), so a definitive ALLOW or DENY holds for every entity and nothing
 *   else is asked — one round trip. Only a CONDITIONAL decision (or none) is resolved per
 *   entity, by `authorize` requests of {@link AUTHORIZE_BATCH_SIZE} refs, at most
 *   {@link AUTHORIZE_CONCURRENCY} in flight, where the permission framework applies the
 *   conditions against the catalog.
 */
export async function deniedEntityReads(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  refs: Iterable<string>,
): Promise<Set<string>> {
  const distinct = [...new Set(refs)];
  if (distinct.length > AUTHORIZE_BATCH_SIZE) {
    const blanket = await blanketEntityRead(permissions, credentials);
    if (blanket === AuthorizeResult.ALLOW) return new Set();
    if (blanket === AuthorizeResult.DENY) return new Set(distinct);
  }
  return deniedEachEntityRead(permissions, credentials, distinct);
}

/**
 * The caller's `catalog.entity.read` decision for every entity at once, when the policy gives
 * one: ALLOW or DENY from one `authorizeConditional` (a policy decides on the permission and the
 * user, never on the resource); undefined when it is CONDITIONAL (or missing) and each entity
 * must be resolved ({@link deniedEachEntityRead}). For callers that know an answer names more
 * than {@link AUTHORIZE_BATCH_SIZE} refs before gathering them (`deniedEntityReads` asks this
 * first for such answers too).
 */
export async function blanketEntityRead(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
): Promise<AuthorizeResult.ALLOW | AuthorizeResult.DENY | undefined> {
  const [decision] =
    (await permissions.authorizeConditional(
      [{ permission: catalogEntityReadPermission }],
      { credentials },
    )) ?? [];
  if (decision?.result === AuthorizeResult.ALLOW) return AuthorizeResult.ALLOW;
  if (decision?.result === AuthorizeResult.DENY) return AuthorizeResult.DENY;
  return undefined;
}

/**
 * The refs among `distinct` (no ref twice) the caller may not read, each decided: `authorize`
 * requests of {@link AUTHORIZE_BATCH_SIZE} refs, at most {@link AUTHORIZE_CONCURRENCY} in flight.
 */
export async function deniedEachEntityRead(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  distinct: readonly string[],
): Promise<Set<string>> {
  const batches: string[][] = [];
  for (let i = 0; i < distinct.length; i += AUTHORIZE_BATCH_SIZE) {
    batches.push(distinct.slice(i, i + AUTHORIZE_BATCH_SIZE));
  }
  const denied = new Set<string>();
  let next = 0;
  let failed = false;
  const worker = async () => {
    // one failed request fails the answer: the other workers stop sending theirs
    while (next < batches.length && !failed) {
      const batch = batches[next++];
      try {
        const decisions = await permissions.authorize(
          batch.map(resourceRef => ({
            permission: catalogEntityReadPermission,
            resourceRef,
          })),
          { credentials },
        );
        batch.forEach((ref, i) => {
          if (decisions[i]?.result !== AuthorizeResult.ALLOW) denied.add(ref);
        });
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(
    Array.from(
      { length: Math.min(AUTHORIZE_CONCURRENCY, batches.length) },
      worker,
    ),
  );
  return denied;
}
