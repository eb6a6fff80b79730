import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { normalizeEntityRef } from '@internal/plugin-evidence-common';

/** The slice of an entity the collectors read. */
export interface CollectorEntity {
  /** Normalized lower-case `kind:namespace/name`. */
  ref: string;
  kind: string;
  namespace: string;
  name: string;
  annotations: Record<string, string>;
  /** `spec.owner` as written, when present. */
  owner?: string;
}

/** Kinds whose aliases take part in the alias map (§2.1). */
export const ALIAS_KINDS = ['Component', 'Resource', 'API', 'System'];

const ENTITY_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.annotations',
  'spec.owner',
];

/** Turns a catalog entity into the collectors' view of it. */
export function toCollectorEntity(entity: Entity): CollectorEntity | undefined {
  const namespace = entity.metadata.namespace ?? 'default';
  const ref = normalizeEntityRef(
    `${entity.kind}:${namespace}/${entity.metadata.name}`,
  );
  if (!ref) return undefined;
  const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
  return {
    ref,
    kind: entity.kind,
    namespace,
    name: entity.metadata.name,
    annotations: { ...(entity.metadata.annotations ?? {}) },
    ...(typeof owner === 'string' ? { owner } : {}),
  };
}

/** Where collectors get the entity list from; a function so tests need no catalog. */
export type EntityLister = () => Promise<CollectorEntity[]>;

/**
 * Lists the Components, Resources, APIs and Systems (or the given kinds) of the catalog with the plugin's own
 * service credentials, page by page.
 */
export function createCatalogEntityLister(options: {
  catalog: CatalogService;
  auth: AuthService;
  logger?: LoggerService;
  /** Kinds to list; default {@link ALIAS_KINDS}. */
  kinds?: string[];
}): EntityLister {
  return async () => {
    const credentials = await options.auth.getOwnServiceCredentials();
    const result: CollectorEntity[] = [];
    for await (const page of options.catalog.streamEntities(
      {
        filter: (options.kinds ?? ALIAS_KINDS).map(kind => ({ kind })),
        fields: ENTITY_FIELDS,
      },
      { credentials },
    )) {
      for (const entity of page) {
        const e = toCollectorEntity(entity);
        if (e) result.push(e);
      }
    }
    return result;
  };
}
