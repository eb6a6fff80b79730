import { Entity } from '@backstage/catalog-model';
import { CatalogIndex, catalogMemo } from './catalogIndex';
import { noteCatalogRead } from './catalogReads';
import { normalizeEntityRef } from './entityRefs';

/** A ref read from an entity field, normalized, and the entity it names in the snapshot. */
export interface RefLookup {
  ref: string | null;
  entity: Entity | undefined;
}

/** The last two lookups, newest first (see `lookUpRef`). */
const recent: {
  catalog: CatalogIndex | undefined;
  raw: unknown;
  kind: string;
  namespace: string;
  answer: RefLookup;
}[] = [
  {
    catalog: undefined,
    raw: undefined,
    kind: '',
    namespace: '',
    answer: { ref: null, entity: undefined },
  },
  {
    catalog: undefined,
    raw: undefined,
    kind: '',
    namespace: '',
    answer: { ref: null, entity: undefined },
  },
];

/**
 * `normalizeEntityRef(raw, defaultKind, namespace)` and the snapshot's entity for it. The checks
 * of one evaluation look the same field up more than once (the System by system-assigned and by
 * inherited fields): for a snapshot index (immutable, see `catalogMemo`) the last two answers
 * are kept, which spares normalizing into a new string and hashing it into the catalog again.
 */
export function lookUpRef(
  catalog: CatalogIndex,
  raw: unknown,
  defaultKind: string,
  namespace: string,
): RefLookup {
  const memoized = catalogMemo(catalog) !== undefined;
  if (memoized && typeof raw === 'string') {
    for (let i = 0; i < recent.length; i++) {
      const r = recent[i];
      if (
        r.catalog === catalog &&
        r.raw === raw &&
        r.kind === defaultKind &&
        r.namespace === namespace
      ) {
        // The kept answer of one lookup, noted as the lookup would be (`catalogReads`).
        if (r.answer.ref) noteCatalogRead('g', r.answer.ref);
        return r.answer;
      }
    }
  }
  const ref = normalizeEntityRef(raw, defaultKind, namespace);
  const answer: RefLookup = {
    ref,
    entity: ref ? catalog.get(ref) : undefined,
  };
  if (memoized && typeof raw === 'string') {
    const oldest = recent[recent.length - 1];
    recent[recent.length - 1] = recent[0];
    recent[0] = oldest;
    oldest.catalog = catalog;
    oldest.raw = raw;
    oldest.kind = defaultKind;
    oldest.namespace = namespace;
    oldest.answer = answer;
  }
  return answer;
}
