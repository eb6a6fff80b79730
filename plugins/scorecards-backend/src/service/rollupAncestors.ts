import type {
  CatalogIndex,
  RollupEntry,
} from '@internal/plugin-scorecards-common';

/**
 * The groups an owner rollup including child groups counts on (§2.11): every entity's owner and
 * every capability owner its platform blockers are counted on. A capability owner often owns no
 * scored entity itself, yet its blockers must reach the groups above it too.
 */
export function rollupGroupsOf(entries: readonly RollupEntry[]): Set<string> {
  const groups = new Set<string>();
  const add = (ref: string | null | undefined) => {
    if (ref?.startsWith('group:')) groups.add(ref);
  };
  for (const entry of entries) {
    add(entry.owner);
    for (const result of entry.evaluation.results)
      add(result.platformCapability?.owner);
  }
  return groups;
}

/**
 * The groups above each of `groups` (`spec.parent`), nearest first. Cycle-safe: a catalog may
 * (wrongly) make two groups each other's parent.
 */
export function ancestorChains(
  index: Pick<CatalogIndex, 'parentOf'>,
  groups: Iterable<string>,
): Map<string, string[]> {
  const chains = new Map<string, string[]>();
  for (const group of groups) {
    const chain: string[] = [];
    const seen = new Set([group]);
    for (let p = index.parentOf(group); p && !seen.has(p); ) {
      seen.add(p);
      chain.push(p);
      p = index.parentOf(p);
    }
    chains.set(group, chain);
  }
  return chains;
}
