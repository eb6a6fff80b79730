/**
 * Sorts in place, stably, like `Array#sort` with the same comparator: insertion sort for the
 * short lists an evaluation sorts (blockers, an entity's ledger), which allocates nothing,
 * `Array#sort` for longer ones.
 */
export function sortSmall<T>(items: T[], compare: (a: T, b: T) => number): T[] {
  if (items.length > 16) return items.sort(compare);
  for (let i = 1; i < items.length; i++) {
    const item = items[i];
    let j = i - 1;
    while (j >= 0 && compare(items[j], item) > 0) {
      items[j + 1] = items[j];
      j--;
    }
    items[j + 1] = item;
  }
  return items;
}
