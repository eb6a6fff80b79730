/**
 * The internalized copy of a string. Property names built at runtime (template literals,
 * slices) are not internalized; optimized code specialised on a property name then deoptimizes
 * on every keyed read with such a key ("unexpected name in keyed access"). Keys fixed at load
 * are passed through this once, so keyed reads stay on the fast path.
 */
export function internalize(key: string): string {
  return Object.keys({ [key]: true })[0] ?? key;
}
