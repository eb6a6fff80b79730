// Parts follow the catalog's own rules (catalog-model's `isValidObjectName`): kinds are
// alphanumeric, namespaces and names 1–63 characters of [A-Za-z0-9-_.] that start and end with a
// letter or digit. Separators may repeat (`checkout--v2`, `etl__daily` are valid entity names): a
// stricter pattern refuses changes of real entities and fails a whole bulk read naming one.
const KIND = '[A-Za-z][A-Za-z0-9]*';
const NAME = '[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?';
const MAX_FULL_REF_LENGTH = 3 * 63 + 2;
const FULL_REF = new RegExp(`^(${KIND}):(${NAME})/(${NAME})$`);

/**
 * Lower-case `kind:namespace/name` for a full entity ref, or undefined when the text is not a
 * full ref (a missing kind or namespace is never guessed: writers must be explicit, §2.1).
 *
 * @public
 */
export function normalizeEntityRef(ref: string): string | undefined {
  const trimmed = ref.trim();
  // a ref is at most 63 + 1 + 63 + 1 + 63 characters: longer text is refused before any matching
  if (trimmed.length > MAX_FULL_REF_LENGTH) return undefined;
  const m = FULL_REF.exec(trimmed);
  if (!m || m[1].length > 63 || m[2].length > 63 || m[3].length > 63) {
    return undefined;
  }
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
