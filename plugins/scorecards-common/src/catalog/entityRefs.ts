import { Entity } from '@backstage/catalog-model';

/**
 * Normalizes a possibly shorthand entity ref (`ref-team`, `group:ref-team`) to the
 * lower-case `kind:namespace/name` form. Returns null for an empty or malformed ref.
 */
export function normalizeEntityRef(
  ref: unknown,
  defaultKind: string,
  defaultNamespace = 'default',
): string | null {
  if (typeof ref !== 'string') return null;
  const trimmed = ref.trim();
  if (!trimmed) return null;
  const colon = trimmed.indexOf(':');
  // `kind:` when the ref names one (a leading colon does not), then `namespace/`, then the name.
  const start = colon > 0 ? colon + 1 : 0;
  const slash = trimmed.indexOf('/', start);
  const kindOk = colon > 0 || defaultKind !== '';
  const namespaceOk = slash >= 0 ? slash > start : defaultNamespace !== '';
  const nameStart = slash >= 0 ? slash + 1 : start;
  const nameOk =
    nameStart < trimmed.length && trimmed.indexOf('/', nameStart) < 0;
  if (!kindOk || !namespaceOk || !nameOk) return null;
  // The same text as `${kind}:${namespace}/${name}`, built from as few pieces as possible.
  if (colon > 0) {
    return slash >= 0
      ? trimmed.toLowerCase()
      : `${trimmed.slice(0, start)}${defaultNamespace}/${trimmed.slice(
          start,
        )}`.toLowerCase();
  }
  return slash >= 0
    ? `${defaultKind}:${trimmed}`.toLowerCase()
    : `${defaultKind}:${defaultNamespace}/${trimmed}`.toLowerCase();
}

/**
 * The normalized ref of an entity. Total (SR33): a namespace that is not a string reads as
 * `default`, a name that is not a string as empty — `kind:namespace/`, a ref no entity can have.
 */
export function entityRefOf(entity: Entity): string {
  const metadata = entity.metadata as Partial<Entity['metadata']> | undefined;
  const namespace =
    typeof metadata?.namespace === 'string' ? metadata.namespace : 'default';
  const name = typeof metadata?.name === 'string' ? metadata.name : '';
  return `${entity.kind}:${namespace}/${name}`.toLowerCase();
}

/** The `name` part of a normalized ref. */
export function refName(ref: string): string {
  return ref.slice(ref.indexOf('/') + 1);
}

/** The `kind` part of a normalized ref. */
export function refKind(ref: string): string {
  return ref.slice(0, ref.indexOf(':'));
}

/** Reads a string array from an entity spec field, tolerating absent or odd values. */
export function specRefs(entity: Entity, field: string): string[] {
  const value = (entity.spec as Record<string, unknown> | undefined)?.[field];
  if (Array.isArray(value)) {
    const refs: string[] = [];
    for (let i = 0; i < value.length; i++)
      if (typeof value[i] === 'string') refs.push(value[i]);
    return refs;
  }
  if (typeof value === 'string') return [value];
  return [];
}
