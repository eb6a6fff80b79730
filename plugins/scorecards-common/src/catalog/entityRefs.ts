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
  const kind = colon > 0 ? trimmed.slice(0, colon) : defaultKind;
  const rest = colon > 0 ? trimmed.slice(colon + 1) : trimmed;
  const slash = rest.indexOf('/');
  const namespace = slash >= 0 ? rest.slice(0, slash) : defaultNamespace;
  const name = slash >= 0 ? rest.slice(slash + 1) : rest;
  if (!kind || !namespace || !name || name.includes('/')) return null;
  return `${kind}:${namespace}/${name}`.toLowerCase();
}

/** The normalized ref of an entity. */
export function entityRefOf(entity: Entity): string {
  const namespace = entity.metadata.namespace ?? 'default';
  return `${entity.kind}:${namespace}/${entity.metadata.name}`.toLowerCase();
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
  if (Array.isArray(value)) return value.filter(v => typeof v === 'string');
  if (typeof value === 'string') return [value];
  return [];
}
