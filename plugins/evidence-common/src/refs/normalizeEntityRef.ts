// Parts follow the catalog's own rules: kinds are alphanumeric, namespaces and names are
// 1–63 characters of [A-Za-z0-9] separated by single '-', '_' or '.'.
const KIND = '[A-Za-z][A-Za-z0-9]*';
const NAME = '[A-Za-z0-9](?:[-_.]?[A-Za-z0-9])*';
const FULL_REF = new RegExp(`^(${KIND}):(${NAME})/(${NAME})$`);

/**
 * Lower-case `kind:namespace/name` for a full entity ref, or undefined when the text is not a
 * full ref (a missing kind or namespace is never guessed: writers must be explicit, §2.1).
 *
 * @public
 */
export function normalizeEntityRef(ref: string): string | undefined {
  const m = FULL_REF.exec(ref.trim());
  if (!m || m[2].length > 63 || m[3].length > 63) return undefined;
  return `${m[1]}:${m[2]}/${m[3]}`.toLowerCase();
}

/**
 * True when the text is a full entity ref (`kind:namespace/name`).
 *
 * @public
 */
export function isFullEntityRef(ref: unknown): ref is string {
  return typeof ref === 'string' && normalizeEntityRef(ref) !== undefined;
}

/**
 * The `subject` a stored row keeps as received: the normalized ref, `alias:<name>` or
 * `repo:<host>/<owner>/<repo>` (§2.1).
 *
 * @public
 */
export function subjectOf(input: {
  entityRef?: string;
  alias?: string;
  repository?: string;
}): string {
  if (input.entityRef !== undefined) {
    const ref = normalizeEntityRef(input.entityRef);
    if (ref === undefined) {
      throw new TypeError(`not a full entity ref: ${input.entityRef}`);
    }
    return ref;
  }
  // Alias and repository matching is case-insensitive, so the subject is stored lower-case.
  if (input.alias !== undefined)
    return `alias:${input.alias.trim().toLowerCase()}`;
  if (input.repository !== undefined) {
    return `repo:${input.repository.trim().toLowerCase()}`;
  }
  throw new TypeError('one of entityRef, alias, repository is required');
}
