import { Entity } from '@backstage/catalog-model';
import { entityRefOf, normalizeRef as normalize } from '../refs/entityRefs';

/**
 * Test helper: emits relations from spec fields the way Backstage's built-in processor does,
 * both directions of every pair, so fixtures look like entities read from the catalog API.
 */
export function emitRelations(entities: Entity[]): Entity[] {
  const relations = new Map<string, { type: string; targetRef: string }[]>();
  const add = (source: string, type: string, target: string) => {
    const list = relations.get(source) ?? [];
    if (!list.some(r => r.type === type && r.targetRef === target)) {
      list.push({ type, targetRef: target });
    }
    relations.set(source, list);
  };
  const pair = (s: string, type: string, t: string, reverse: string) => {
    add(s, type, t);
    add(t, reverse, s);
  };
  for (const e of entities) {
    const self = entityRefOf(e);
    // a ref without a namespace is in the entity's own namespace, as the catalog reads it
    const normalizeRef = (ref: string, kind: string) =>
      normalize(ref, kind, e.metadata.namespace || 'default');
    const spec = (e.spec ?? {}) as Record<string, unknown>;
    const list = (v: unknown) => (Array.isArray(v) ? (v as string[]) : []);
    const kindOf = e.kind.toLowerCase();
    if (typeof spec.owner === 'string') {
      pair(self, 'ownedBy', normalizeRef(spec.owner, 'group'), 'ownerOf');
    }
    if (typeof spec.system === 'string') {
      pair(self, 'partOf', normalizeRef(spec.system, 'system'), 'hasPart');
    }
    if (typeof spec.domain === 'string') {
      pair(self, 'partOf', normalizeRef(spec.domain, 'domain'), 'hasPart');
    }
    if (typeof spec.subcomponentOf === 'string') {
      pair(
        self,
        'partOf',
        normalizeRef(spec.subcomponentOf, 'component'),
        'hasPart',
      );
    }
    for (const t of list(spec.dependsOn)) {
      pair(self, 'dependsOn', normalizeRef(t, 'component'), 'dependencyOf');
    }
    for (const t of list(spec.dependencyOf)) {
      pair(self, 'dependencyOf', normalizeRef(t, 'component'), 'dependsOn');
    }
    for (const t of list(spec.consumesApis)) {
      pair(self, 'consumesApi', normalizeRef(t, 'api'), 'apiConsumedBy');
    }
    for (const t of list(spec.providesApis)) {
      pair(self, 'providesApi', normalizeRef(t, 'api'), 'apiProvidedBy');
    }
    if (kindOf === 'group') {
      if (typeof spec.parent === 'string') {
        pair(self, 'childOf', normalizeRef(spec.parent, 'group'), 'parentOf');
      }
      for (const m of list(spec.members)) {
        pair(self, 'hasMember', normalizeRef(m, 'user'), 'memberOf');
      }
    }
  }
  return entities.map(e => ({
    ...e,
    relations: relations.get(entityRefOf(e)) ?? [],
  }));
}
