import { Entity, KubernetesValidatorFunctions } from '@backstage/catalog-model';
import {
  CatalogIndex,
  normalizeEntityRef,
} from '@internal/plugin-scorecards-common';

/**
 * Fields through which the checks look other entities up by ref (owner, System, APIs,
 * dependencies, parent component, a System's Domain), with the default kind of each, as the
 * engine normalizes them.
 */
const REFERENCE_FIELDS: readonly (readonly [field: string, kind: string])[] = [
  ['owner', 'group'],
  ['system', 'system'],
  ['domain', 'domain'],
  ['subcomponentOf', 'component'],
  ['dependsOn', 'component'],
  ['providesApis', 'api'],
  ['consumesApis', 'api'],
];

/** The catalog refresh key under which an entity waits for `ref` to appear. */
export function awaitKeyOf(ref: string): string {
  return `scorecards:awaits:${ref}`;
}

/**
 * The refs an entity names in its reference fields, normalized; malformed ones and ones no
 * entity could have (`couldExist`) left out.
 */
export function namedRefs(entity: Entity): Set<string> {
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  const namespace = entity.metadata.namespace ?? 'default';
  const refs = new Set<string>();
  for (const [field, kind] of REFERENCE_FIELDS) {
    const value = spec[field];
    for (const raw of Array.isArray(value) ? value : [value]) {
      const ref = normalizeEntityRef(raw, kind, namespace);
      if (ref && couldExist(ref)) refs.add(ref);
    }
  }
  return refs;
}

/**
 * Whether an entity could have this ref: its kind, namespace and name pass the catalog's own
 * validators. Other refs can never arrive, and their refresh key would not even fit the
 * catalog's `refresh_keys.key` column (255 characters) once a name runs past its 63 — a
 * processing result the database refuses.
 */
export function couldExist(ref: string): boolean {
  const colon = ref.indexOf(':');
  const slash = ref.indexOf('/', colon + 1);
  return (
    colon > 0 &&
    slash > colon &&
    KubernetesValidatorFunctions.isValidKind(ref.slice(0, colon)) &&
    KubernetesValidatorFunctions.isValidNamespace(
      ref.slice(colon + 1, slash),
    ) &&
    KubernetesValidatorFunctions.isValidObjectName(ref.slice(slash + 1))
  );
}

/**
 * The refs an entity waits for, sorted: those it names that `catalog` does not hold, and those
 * it waited for before (`before`) and still names.
 *
 * The processor registers a refresh key for each (`awaitKeyOf`), and the module asks the catalog
 * to process again the entities under a key when its entity arrives (`AwaitedRefsRefresher`),
 * so a stamp computed before its System, APIs or owner existed is corrected then, not a loop
 * later. A ref stays awaited after it arrived, while the entity names it: the refresh keys are
 * part of the catalog's processing result, and dropping one would make the catalog write and
 * stitch the entity again even when its stamp did not change.
 */
export function awaitedRefs(
  entity: Entity,
  catalog: CatalogIndex,
  before: readonly string[] = [],
): string[] {
  const named = namedRefs(entity);
  const awaited = new Set<string>();
  for (const ref of before) if (named.has(ref)) awaited.add(ref);
  for (const ref of named) if (!catalog.get(ref)) awaited.add(ref);
  return [...awaited].sort();
}
