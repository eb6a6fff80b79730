import { Entity } from '@backstage/catalog-model';
import { entityRefOf, normalizeRef, refKind } from '../refs/entityRefs';

/** What one entity's relations declare: direct edges and API consumption/provision. */
export interface DeclaredFacts {
  /** dependent → dependency pairs with their reason (`dependsOn` | `subcomponentOf`) */
  edges: { from: string; to: string; reason: 'dependsOn' | 'subcomponentOf' }[];
  consumesApis: string[];
  providesApis: string[];
}

/**
 * Reads the needs-relations an entity carries (§2.4). Both directions of a relation pair are
 * read, so a ref only named in `dependencyOf` still becomes an edge (R4). API facts are read
 * from the consumer's and provider's side; the API entity's mirrored relations add nothing.
 */
export function collectDeclaredFacts(entity: Entity): DeclaredFacts {
  const self = entityRefOf(entity);
  const selfKind = refKind(self);
  const facts: DeclaredFacts = {
    edges: [],
    consumesApis: [],
    providesApis: [],
  };
  for (const relation of entity.relations ?? []) {
    const target = normalizeRef(relation.targetRef);
    const targetKind = refKind(target);
    switch (relation.type) {
      case 'dependsOn':
        facts.edges.push({ from: self, to: target, reason: 'dependsOn' });
        break;
      case 'dependencyOf':
        facts.edges.push({ from: target, to: self, reason: 'dependsOn' });
        break;
      case 'partOf':
        // only Component-to-Component partOf is a needs-relation (parent → subcomponent)
        if (selfKind === 'component' && targetKind === 'component') {
          facts.edges.push({
            from: target,
            to: self,
            reason: 'subcomponentOf',
          });
        }
        break;
      case 'hasPart':
        if (selfKind === 'component' && targetKind === 'component') {
          facts.edges.push({
            from: self,
            to: target,
            reason: 'subcomponentOf',
          });
        }
        break;
      case 'consumesApi':
        facts.consumesApis.push(target);
        break;
      case 'providesApi':
        facts.providesApis.push(target);
        break;
      default:
        break;
    }
  }
  return facts;
}
