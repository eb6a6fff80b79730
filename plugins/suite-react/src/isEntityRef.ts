import { parseEntityRef } from '@backstage/catalog-model';

/**
 * Whether a value the backend returns reads as an entity ref with a kind (`group:default/x`),
 * so it can go to `EntityRefLink` or `EntityDisplayName`, which throw on anything else (a
 * rollup's `(none)`, a restricted owner, a hand-written requester).
 */
export function isEntityRef(value: string): boolean {
  try {
    parseEntityRef(value);
    return true;
  } catch {
    return false;
  }
}
