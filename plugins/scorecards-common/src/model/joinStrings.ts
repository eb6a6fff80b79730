/**
 * `items.join(separator)`, built by concatenation: the same text, without `Array#join`'s
 * overhead on the short lists of messages (one item is returned as it is).
 */
export function joinStrings(
  items: readonly unknown[],
  separator: string,
): string {
  const n = items.length;
  if (n === 0) return '';
  let text = itemText(items[0]);
  for (let i = 1; i < n; i++) text = text + separator + itemText(items[i]);
  return text;
}

/** How `Array#join` writes an item: null and undefined as empty text. */
export function itemText(item: unknown): string {
  if (typeof item === 'string') return item;
  return item === null || item === undefined ? '' : String(item);
}
