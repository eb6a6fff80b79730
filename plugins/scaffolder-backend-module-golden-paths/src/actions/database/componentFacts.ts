import type { AuthService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  GP_KEYS,
  gpMessages,
  normalizeEntityRef,
} from '@internal/plugin-golden-paths-common';

/** What a database takes from its component: owner and system are derived, never asked (§3.3). */
export interface ComponentFacts {
  ref: string;
  owner: string;
  system?: string;
  /** The component's `ops.example.com/tier` label (the Resource carries the same). */
  tier?: string;
}

/** How long the catalog may take before the step fails closed (GP-U01). */
export const COMPONENT_LOOKUP_TIMEOUT_MS = 2000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The component of a database request, read once with service credentials. A missing component
 * is GP-D01 (validate checked it; it can have gone since), an unanswered lookup GP-U01.
 */
export async function componentFacts(
  catalog: CatalogService,
  auth: AuthService,
  componentRef: string,
  rule = 'GP-D01',
): Promise<ComponentFacts> {
  const ref = normalizeEntityRef(componentRef, 'component') ?? componentRef;
  let entity: Entity | undefined;
  try {
    entity = await withTimeout(
      (async () =>
        (
          await catalog.getEntitiesByRefs(
            { entityRefs: [ref] },
            { credentials: await auth.getOwnServiceCredentials() },
          )
        ).items[0] ?? undefined)(),
      COMPONENT_LOOKUP_TIMEOUT_MS,
    );
  } catch {
    throw new InputError(gpMessages.u01({ rule, source: 'the catalog' }));
  }
  if (!entity) throw new InputError(gpMessages.d01({ ref }));
  const spec = (entity.spec ?? {}) as { owner?: unknown; system?: unknown };
  // Short refs in a spec are in the entity's namespace, as the catalog reads them.
  const namespace = entity.metadata.namespace ?? 'default';
  const owner =
    typeof spec.owner === 'string'
      ? normalizeEntityRef(spec.owner, 'group', namespace) ?? spec.owner
      : '';
  const system =
    typeof spec.system === 'string'
      ? normalizeEntityRef(spec.system, 'system', namespace) ?? spec.system
      : undefined;
  const tier = entity.metadata.labels?.[GP_KEYS.tier];
  return {
    ref,
    owner,
    ...(system ? { system } : {}),
    ...(tier ? { tier } : {}),
  };
}
