/**
 * Dotted field path of a zod/JSON path: `items[2].attributes.exposure.to`.
 *
 * @public
 */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/**
 * Joins a prefix path (e.g. `items[1]`) and a relative one (e.g. `startedAt`).
 *
 * @public
 */
export function joinFieldPath(prefix: string, field: string): string {
  if (prefix === '') return field;
  if (field === '') return prefix;
  return field.startsWith('[') ? `${prefix}${field}` : `${prefix}.${field}`;
}

/**
 * The value found at a path inside an input, or undefined.
 *
 * @public
 */
export function valueAtPath(
  input: unknown,
  path: readonly PropertyKey[],
): unknown {
  let current: unknown = input;
  for (const part of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}
