import {
  KubernetesValidatorFunctions,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';

/**
 * Fully qualified, lower-case `kind:namespace/name` (`group:checkout-team` →
 * `group:default/checkout-team`), or undefined when the text is not an entity ref. The kind is
 * only filled in when the field implies it (owners are Groups, systems are Systems, …).
 *
 * `parseEntityRef` only splits on `:` and `/`, so each part is also held to the catalog's own
 * rules (a kind is letters and digits, a namespace a DNS label, a name 1–63 characters of
 * [A-Za-z0-9] joined by - _ .): `not a ref!!` is no ref, and must not reach a descriptor, a
 * trigger reason or the fingerprint as `component:default/not a ref!!`. Refs are compared
 * lower-case, so the namespace is checked lower-cased.
 *
 * A ref written in an entity's spec without a namespace is in that entity's namespace, as the
 * catalog reads it (`spec.members: [alice]` on `group:platform/dba` is `user:platform/alice`):
 * callers reading a spec pass the entity's namespace as `defaultNamespace`.
 *
 * @public
 */
export function normalizeEntityRef(
  ref: string,
  defaultKind?: string,
  defaultNamespace = 'default',
): string | undefined {
  try {
    const parsed = parseEntityRef(ref.trim(), {
      defaultKind,
      defaultNamespace,
    });
    const valid =
      KubernetesValidatorFunctions.isValidKind(parsed.kind) &&
      KubernetesValidatorFunctions.isValidNamespace(
        parsed.namespace.toLocaleLowerCase('en-US'),
      ) &&
      KubernetesValidatorFunctions.isValidObjectName(parsed.name);
    return valid
      ? stringifyEntityRef(parsed).toLocaleLowerCase('en-US')
      : undefined;
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
