import type { AliasResolution } from '@internal/plugin-evidence-common';
import { normalizeEntityRef } from '@internal/plugin-evidence-common';
import type { CollectorEntity } from './catalogEntities';

/** `ops.example.com/aliases`; the suite's one prefix (shared/design/README.md). */
export const ALIASES_ANNOTATION = 'ops.example.com/aliases';
const CLAIM_ANNOTATIONS = ['argocd/app-name', 'backstage.io/kubernetes-id'];
const CLAIM_KINDS = new Set(['component', 'resource', 'api', 'system']);
const IMPLICIT_KINDS = new Set(['component', 'resource']);

/** The collectors' read-only view of the alias map of §2.1. */
export interface CollectorAliasMap {
  /** How a telemetry name resolves (case-insensitive); void aliases answer `conflict`. */
  resolve(name: string): AliasResolution;
  /** Every name that resolves to the entity, lower-case and sorted. */
  aliasesOf(entityRef: string): string[];
}

type Claim = { refs: Set<string> };

/**
 * Builds the alias map of §2.1 from catalog entities: config `evidence.aliases` first, then
 * explicit claims (`ops.example.com/aliases`, `argocd/app-name`, `backstage.io/kubernetes-id`),
 * then the implicit `metadata.name` of Components and Resources when unique across namespaces.
 * A name claimed by two entities at the same level is void for both; a higher level wins.
 */
export function buildAliasMap(
  entities: readonly CollectorEntity[],
  configAliases: Readonly<Record<string, string>> = {},
): CollectorAliasMap {
  const levels: Map<string, Claim>[] = [new Map(), new Map(), new Map()];
  const claim = (level: number, name: string, ref: string) => {
    const key = name.trim().toLowerCase();
    if (!key) return;
    const existing = levels[level].get(key) ?? { refs: new Set<string>() };
    existing.refs.add(ref);
    levels[level].set(key, existing);
  };

  for (const [name, ref] of Object.entries(configAliases)) {
    const normalized = normalizeEntityRef(ref);
    if (normalized) claim(0, name, normalized);
  }
  for (const entity of entities) {
    if (!CLAIM_KINDS.has(entity.kind.toLowerCase())) continue;
    const explicit = (entity.annotations[ALIASES_ANNOTATION] ?? '')
      .split(',')
      .concat(CLAIM_ANNOTATIONS.map(a => entity.annotations[a] ?? ''));
    for (const name of explicit) claim(1, name, entity.ref);
  }
  for (const entity of entities) {
    if (IMPLICIT_KINDS.has(entity.kind.toLowerCase())) {
      claim(2, entity.name, entity.ref);
    }
  }

  const resolved = new Map<string, AliasResolution>();
  levels.forEach((level, index) => {
    for (const [name, { refs }] of level) {
      if (resolved.has(name)) continue; // a higher level already decided this name
      // An implicit name shared across namespaces is simply no alias, not a conflict.
      if (index === 2 && refs.size > 1) continue;
      resolved.set(
        name,
        refs.size === 1 ? { ref: [...refs][0] } : { ref: null, conflict: true },
      );
    }
  });

  const byRef = new Map<string, string[]>();
  for (const [name, r] of resolved) {
    if (r.ref === null) continue;
    byRef.set(r.ref, [...(byRef.get(r.ref) ?? []), name]);
  }
  for (const names of byRef.values()) names.sort();

  return {
    resolve: name => resolved.get(name.trim().toLowerCase()) ?? { ref: null },
    aliasesOf: ref => byRef.get(ref) ?? [],
  };
}
