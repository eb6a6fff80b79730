import type { Entity } from '@backstage/catalog-model';
import { GP_KEYS } from '../constants';
import {
  lifecycleOf,
  refOf,
  relationTargets,
  specRefs,
} from '../catalog/catalogView';

function compareRefs(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/**
 * One declared dependent of an entity, named by the relation the dependent holds (§7.1).
 *
 * @public
 */
export interface Dependent {
  ref: string;
  relation: 'dependsOn' | 'consumesApi' | 'partOf';
  lifecycle: string;
  /**
   * The caller may not read this entity: it still counts (a gate that ignored it would let an
   * archive or a delete through), but messages only count it instead of naming it.
   */
  hidden?: boolean;
}

/**
 * Declared dependents of X, one hop (§7.1): entities that depend on X (their `dependsOn`, X's own
 * `dependencyOf`), consumers of every API X provides, and X's parts (`hasPart`). Reads spec fields
 * and catalog relations alike. Sorted by ref; the first relation found for a ref is kept.
 * `entities` is X's neighbourhood as the catalog holds it: a ref missing from it is an entity
 * that does not exist, and is no dependent.
 *
 * @public
 */
export function declaredDependents(
  target: Entity,
  entities: readonly Entity[],
): Dependent[] {
  const x = refOf(target);
  const byRef = new Map(entities.map(e => [refOf(e), e]));
  const found = new Map<string, Dependent['relation']>();
  const add = (ref: string, relation: Dependent['relation']) => {
    if (ref !== x && !found.has(ref)) found.set(ref, relation);
  };

  specRefs(target, 'dependencyOf').forEach(r => add(r, 'dependsOn'));
  relationTargets(target, 'dependencyOf').forEach(r => add(r, 'dependsOn'));
  const apis = new Set([
    ...specRefs(target, 'providesApis'),
    ...relationTargets(target, 'providesApi'),
  ]);
  for (const api of apis) {
    const apiEntity = byRef.get(api);
    if (apiEntity)
      relationTargets(apiEntity, 'apiConsumedBy').forEach(r =>
        add(r, 'consumesApi'),
      );
  }
  relationTargets(target, 'hasPart').forEach(r => add(r, 'partOf'));

  for (const e of entities) {
    const ref = refOf(e);
    if (
      specRefs(e, 'dependsOn').includes(x) ||
      relationTargets(e, 'dependsOn').includes(x)
    ) {
      add(ref, 'dependsOn');
    }
    if (specRefs(e, 'consumesApis').some(a => apis.has(a)))
      add(ref, 'consumesApi');
    if (
      specRefs(e, 'system').includes(x) ||
      specRefs(e, 'subcomponentOf').includes(x) ||
      specRefs(e, 'domain').includes(x)
    ) {
      add(ref, 'partOf');
    }
  }
  return (
    [...found]
      // A ref X names that is not in the catalog (X's `spec.dependencyOf` or relation to an entity
      // deleted since) depends on nothing: counted, it blocked X's archive and delete for ever
      // (GP-L06/L09 "1 entity you cannot see"), though deleting dependents first is what they ask.
      .filter(([ref]) => byRef.has(ref))
      .map(([ref, relation]) => ({
        ref,
        relation,
        lifecycle: lifecycleOf(byRef.get(ref)!),
      }))
      .sort((a, b) => compareRefs(a.ref, b.ref))
  );
}

/**
 * The entity a golden-path Resource belongs to (§7.1 "owned resources"): the only `dependencyOf`
 * target of a Resource that carries a golden-path request key, or undefined for anything else.
 *
 * @public
 */
export function owningEntityOf(entity: Entity): string | undefined {
  if (
    entity.kind.toLocaleLowerCase('en-US') !== 'resource' ||
    !entity.metadata.annotations?.[GP_KEYS.requestKey]
  ) {
    return undefined;
  }
  const targets = new Set([
    ...specRefs(entity, 'dependencyOf'),
    ...relationTargets(entity, 'dependencyOf'),
  ]);
  return targets.size === 1 ? [...targets][0] : undefined;
}

/**
 * Resources owned by X (§7.1): Resources whose only `dependencyOf` target is X and that carry a
 * golden-path request key ({@link owningEntityOf}); they are deleted through their own `delete`
 * first.
 *
 * @public
 */
export function ownedResources(
  target: Entity,
  entities: readonly Entity[],
): string[] {
  const x = refOf(target);
  return entities
    .filter(e => owningEntityOf(e) === x)
    .map(refOf)
    .sort();
}
