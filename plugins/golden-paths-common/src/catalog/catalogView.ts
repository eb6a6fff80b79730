import type { Entity } from '@backstage/catalog-model';
import { GP_KEYS } from '../constants';
import { normalizeEntityRef, refKind } from './refs';

// A read-only view over the entities the backend fetched for one request (§4.9: ≤ 2 batched
// catalog calls). It reads both the spec fields written in YAML and the relations the catalog
// emits, so fixtures written as plain YAML and entities served by the catalog behave alike.

const KIND_OF_FIELD: Record<string, string> = {
  owner: 'group',
  system: 'system',
  domain: 'domain',
  parent: 'group',
  dependsOn: 'component',
  dependencyOf: 'component',
  consumesApis: 'api',
  providesApis: 'api',
  children: 'group',
  members: 'user',
  memberOf: 'group',
  subcomponentOf: 'component',
};

/** Full ref of an entity. */
export function refOf(entity: Entity): string {
  return `${entity.kind}:${entity.metadata.namespace ?? 'default'}/${
    entity.metadata.name
  }`.toLocaleLowerCase('en-US');
}

/**
 * Refs in a spec field (string or list), normalized with the field's implied kind and, as the
 * catalog reads them, the entity's own namespace for refs written without one.
 */
export function specRefs(entity: Entity, field: string): string[] {
  const raw = (entity.spec as Record<string, unknown> | undefined)?.[field];
  let list: unknown[] = [];
  if (Array.isArray(raw)) list = raw;
  else if (typeof raw === 'string') list = [raw];
  const namespace = entity.metadata.namespace ?? 'default';
  return list
    .filter((v): v is string => typeof v === 'string')
    .map(v => normalizeEntityRef(v, KIND_OF_FIELD[field], namespace))
    .filter((v): v is string => v !== undefined);
}

/** Targets of one relation type emitted by the catalog. */
export function relationTargets(entity: Entity, type: string): string[] {
  return (entity.relations ?? [])
    .filter(r => r.type === type)
    .map(r => r.targetRef.toLocaleLowerCase('en-US'));
}

/**
 * The effective lifecycle: `spec.lifecycle` for Components and APIs, the annotation for Resources
 * and Systems, which have no lifecycle field; a missing value reads as `production` (SC §2.1).
 * Lower-cased here, once: the field is a free string, and a catalog `Production` is the
 * `production` state every comparison (S02, D02, the transition table, G-A1) expects.
 *
 * @public
 */
export function lifecycleOf(entity: Entity): string {
  const fromSpec = (entity.spec as Record<string, unknown> | undefined)
    ?.lifecycle;
  const fromAnnotation = entity.metadata.annotations?.[GP_KEYS.lifecycle];
  const kind = entity.kind.toLocaleLowerCase('en-US');
  const value =
    kind === 'resource' || kind === 'system'
      ? fromAnnotation ?? (typeof fromSpec === 'string' ? fromSpec : undefined)
      : (typeof fromSpec === 'string' ? fromSpec : undefined) ?? fromAnnotation;
  return (value ?? 'production').toLocaleLowerCase('en-US');
}

/** Service tier label as a number, or undefined when not 1–3. */
export function tierOf(entity: Entity): 1 | 2 | 3 | undefined {
  const v = entity.metadata.labels?.[GP_KEYS.tier];
  return v === '1' || v === '2' || v === '3'
    ? (Number(v) as 1 | 2 | 3)
    : undefined;
}

/**
 * @public
 */
export class CatalogView {
  private readonly byRef = new Map<string, Entity>();

  constructor(readonly entities: readonly Entity[]) {
    for (const e of entities) this.byRef.set(refOf(e), e);
  }

  get(ref: string): Entity | undefined {
    return this.byRef.get(ref.toLocaleLowerCase('en-US'));
  }

  /**
   * The entity a ref names, only when it is of `kind` (lower-case): a field that needs a System or
   * a Component reads an existing entity of another kind as missing (GP-S01, GP-D01).
   */
  getOfKind(ref: string, kind: string): Entity | undefined {
    const entity = this.get(ref);
    return entity?.kind.toLocaleLowerCase('en-US') === kind
      ? entity
      : undefined;
  }

  /** Every entity in a namespace with this `metadata.name`, any kind (GP-N03). */
  withName(name: string, namespace = 'default'): Entity[] {
    return this.entities.filter(
      e =>
        e.metadata.name.toLocaleLowerCase('en-US') ===
          name.toLocaleLowerCase('en-US') &&
        (e.metadata.namespace ?? 'default') === namespace,
    );
  }

  /** Owner ref of an entity, normalized. */
  ownerOf(entity: Entity): string | undefined {
    return (
      specRefs(entity, 'owner')[0] ?? relationTargets(entity, 'ownedBy')[0]
    );
  }

  /** Direct child groups of a group (spec.children, `parentOf`, and children naming it as parent). */
  childGroups(groupRef: string): string[] {
    const group = this.get(groupRef);
    const out = new Set<string>();
    if (group) {
      specRefs(group, 'children').forEach(r => out.add(r));
      relationTargets(group, 'parentOf').forEach(r => out.add(r));
    }
    for (const e of this.entities) {
      if (refKind(refOf(e)) !== 'group') continue;
      if (specRefs(e, 'parent').includes(groupRef)) out.add(refOf(e));
    }
    return [...out];
  }

  /** Direct members of a group (spec.members, `hasMember`, users naming it in memberOf). */
  directMembers(groupRef: string): string[] {
    const group = this.get(groupRef);
    const out = new Set<string>();
    if (group) {
      specRefs(group, 'members').forEach(r => out.add(r));
      relationTargets(group, 'hasMember').forEach(r => out.add(r));
    }
    for (const e of this.entities) {
      if (refKind(refOf(e)) !== 'user') continue;
      if (specRefs(e, 'memberOf').includes(groupRef)) out.add(refOf(e));
    }
    return [...out];
  }

  /**
   * Members of a group directly or via child groups (§5 GP-O03, §6.2 rule 2), sorted.
   */
  members(groupRef: string): string[] {
    const seen = new Set<string>();
    const out = new Set<string>();
    const visit = (ref: string) => {
      if (seen.has(ref)) return;
      seen.add(ref);
      this.directMembers(ref).forEach(m => out.add(m));
      this.childGroups(ref).forEach(visit);
    };
    visit(groupRef);
    return [...out].sort();
  }
}
