import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';

/** Normalizes an entity ref to lower-case `kind:namespace/name`, the suite's canonical key. */
export function normalizeRef(ref: string, defaultKind?: string): string {
  const parsed = parseEntityRef(ref.trim(), {
    defaultKind,
    defaultNamespace: 'default',
  });
  return stringifyEntityRef(parsed).toLocaleLowerCase('en-US');
}

/** Returns the kind part of a ref (lower-case), or `null` when the ref has no kind. */
export function refKind(ref: string): string | null {
  const i = ref.indexOf(':');
  return i < 0 ? null : ref.slice(0, i).toLocaleLowerCase('en-US');
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
