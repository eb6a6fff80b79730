import { compareStrings } from '../refs/compareStrings';
import { Entity } from '@backstage/catalog-model';
import { entityRefOf, lowerCaseEn } from '../refs/entityRefs';
import { AliasConflict } from './types';
import { OPS_KEYS, splitList } from './opsKeys';
import { isGraphNodeKind } from './readGraphNode';
import { readAnnotation } from './entityMetadata';

/** Alias → ref, plus the aliases voided by conflicting claims (§2.1, R14). */
export interface AliasMap {
  resolve(name: string): string | null;
  conflicts: AliasConflict[];
  /** refs with at least one explicit alias annotation (implicit names do not count) */
  explicitlyAliased: Set<string>;
}

/**
 * Ecosystem annotations that claim a name at the explicit level beside `ops.example.com/aliases`,
 * as the evidence store's alias map does (evidence §2.1): a workload's Kubernetes id and Argo CD
 * application are the names its telemetry carries. Without them an edge the store and
 * scorecards map (`checkout` → the entity with `backstage.io/kubernetes-id: checkout`) was
 * "unmapped telemetry" in the blast radius.
 */
export const CLAIM_ANNOTATIONS: readonly string[] = [
  'argocd/app-name',
  'backstage.io/kubernetes-id',
];

/**
 * Builds the case-insensitive alias map: explicit claims first (`ops.example.com/aliases` and
 * the ecosystem annotations above); an entity's `metadata.name` is an implicit alias only when
 * no explicit claim takes it and it is unique across namespaces. A name claimed twice at the
 * same level is void for every claimant.
 */
export function buildAliasMap(entities: Entity[]): AliasMap {
  const explicit = new Map<string, Set<string>>();
  const implicit = new Map<string, Set<string>>();
  const explicitlyAliased = new Set<string>();
  const claim = (map: Map<string, Set<string>>, name: string, ref: string) => {
    const key = lowerCaseEn(name);
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    set.add(ref);
  };
  for (const entity of entities) {
    if (!isGraphNodeKind(entity.kind)) continue;
    const ref = entityRefOf(entity);
    const aliases = splitList(readAnnotation(entity, OPS_KEYS.aliases));
    for (const alias of aliases) claim(explicit, alias, ref);
    if (aliases.length > 0) explicitlyAliased.add(ref);
    for (const key of CLAIM_ANNOTATIONS) {
      const name = readAnnotation(entity, key)?.trim();
      // one entity naming itself twice (aliases and its Kubernetes id) is one claim: a Set
      if (name) claim(explicit, name, ref);
    }
    const kind = lowerCaseEn(entity.kind);
    if (kind === 'component' || kind === 'resource') {
      claim(implicit, entity.metadata.name, ref);
    }
  }
  const resolved = new Map<string, string>();
  const conflicts: AliasConflict[] = [];
  for (const [alias, refs] of explicit) {
    if (refs.size === 1) resolved.set(alias, [...refs][0]);
    else conflicts.push({ alias, refs: [...refs].sort() });
  }
  for (const [name, refs] of implicit) {
    // an implicit name never competes with an explicit claim, and is void when not unique
    if (explicit.has(name) || refs.size !== 1) continue;
    resolved.set(name, [...refs][0]);
  }
  conflicts.sort((a, b) => compareStrings(a.alias, b.alias));
  return {
    resolve: name => resolved.get(lowerCaseEn(name.trim())) ?? null,
    conflicts,
    explicitlyAliased,
  };
}
