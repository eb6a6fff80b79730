import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';

/**
 * `s.toLocaleLowerCase('en-US')`, without resolving the locale on every call (which made ref
 * normalization the bulk of an index build): English has no language-specific case mappings, so
 * its lower-casing is the default Unicode one that `toLowerCase` applies (ECMA-402
 * `String.prototype.toLocaleLowerCase`; only Lithuanian, Turkish and Azeri differ).
 */
export function lowerCaseEn(s: string): string {
  return s.toLowerCase();
}

/**
 * Normalizes an entity ref to lower-case `kind:namespace/name`, the suite's canonical key. A ref
 * without a namespace takes `defaultNamespace`: for a ref written in an entity's spec that is the
 * entity's own namespace (Backstage semantics: `spec.owner: team` on `component:ns1/svc` names
 * `group:ns1/team`), so callers reading specs pass it.
 */
export function normalizeRef(
  ref: string,
  defaultKind?: string,
  defaultNamespace = 'default',
): string {
  // Fast path: a trimmed `kind:namespace/name` with three non-empty parts is exactly what
  // parseEntityRef (kind up to the first ':', namespace up to the first '/', the rest is the
  // name) and stringifyEntityRef (parts joined by ':' and '/') rebuild, so only case changes.
  const colon = ref.indexOf(':');
  const slash = ref.indexOf('/');
  if (
    colon > 0 &&
    slash > colon + 1 &&
    slash < ref.length - 1 &&
    ref.trim().length === ref.length
  ) {
    return lowerCaseEn(ref);
  }
  const parsed = parseEntityRef(ref.trim(), {
    defaultKind,
    defaultNamespace,
  });
  return lowerCaseEn(stringifyEntityRef(parsed));
}

/** The namespace of a catalog entity (`default` when absent, as in the catalog). */
export function namespaceOf(entity: Entity): string {
  return entity.metadata.namespace || 'default';
}

/**
 * {@link tryNormalizeRef} of a ref written in `entity`'s spec or annotations: a ref without a
 * namespace is in the entity's own namespace.
 */
export function refFromSpecOf(
  entity: Entity,
  ref: string,
  defaultKind: string,
): string | null {
  return tryNormalizeRef(ref, defaultKind, namespaceOf(entity));
}

/** The normalized ref of a catalog entity (its namespace defaults to `default`). */
export function entityRefOf(entity: Entity): string {
  return normalizeRef(
    `${entity.kind}:${entity.metadata.namespace ?? 'default'}/${
      entity.metadata.name
    }`,
  );
}

/**
 * {@link normalizeRef}, or null for text that names no entity (`group:`, `group: `, `user:ns/`):
 * refs written by people (owners, parents, escalation lists) must become gaps, not exceptions.
 */
export function tryNormalizeRef(
  ref: string,
  defaultKind?: string,
  defaultNamespace?: string,
): string | null {
  try {
    return normalizeRef(ref, defaultKind, defaultNamespace);
  } catch {
    return null;
  }
}

/** Returns the kind part of a ref (lower-case), or `null` when the ref has no kind. */
export function refKind(ref: string): string | null {
  const i = ref.indexOf(':');
  return i < 0 ? null : lowerCaseEn(ref.slice(0, i));
}

/** Returns the bare name part of a ref. */
export function refName(ref: string): string {
  const slash = ref.lastIndexOf('/');
  const colon = ref.indexOf(':');
  return ref.slice(Math.max(slash, colon) + 1);
}

/** Display form used by the brief: omits `component:` and `default/` (`resource:checkout-db`). */
export function displayRef(ref: string): string {
  let out = ref.startsWith('component:') ? ref.slice('component:'.length) : ref;
  out = out.replace(/(^|:)default\//, '$1');
  return out;
}

/** Display form of an owner: like {@link displayRef}, and groups also lose their kind. */
export function displayOwner(ref: string): string {
  const shown = displayRef(ref);
  return shown.startsWith('group:') ? shown.slice('group:'.length) : shown;
}
