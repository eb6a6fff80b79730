import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';

/**
 * Fully qualified, lower-case `kind:namespace/name` (`group:checkout-team` →
 * `group:default/checkout-team`), or undefined when the text is not an entity ref. The kind is
 * only filled in when the field implies it (owners are Groups, systems are Systems, …).
 *
 * @public
 */
export function normalizeEntityRef(
  ref: string,
  defaultKind?: string,
): string | undefined {
  try {
    const parsed = parseEntityRef(ref.trim(), {
      defaultKind,
      defaultNamespace: 'default',
    });
    return stringifyEntityRef(parsed).toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}

/** Kind part of a normalized ref. */
export function refKind(ref: string): string {
  return ref.slice(0, ref.indexOf(':'));
}

/** Name part of a normalized ref. */
export function refName(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

/** Namespace part of a normalized ref. */
export function refNamespace(ref: string): string {
  return ref.slice(ref.indexOf(':') + 1, ref.lastIndexOf('/'));
}
