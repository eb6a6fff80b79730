import { MAX_JSON_DEPTH } from '@internal/suite-node';

/**
 * Why a parsed JSON body cannot be taken as it is, or undefined when it can. Iterative, since the
 * point is a body no recursive walk survives:
 *
 * - nested deeper than `maxDepth` (64, the suite's limit): `JSON.parse` builds a body thousands
 *   of levels deep, but the canonical JSON of a fact value, the body's fingerprint and the stored
 *   row's text then overflow the stack, a 500 (or a whole batch's 500 for one item);
 * - holding a key named `__proto__` at any depth: `JSON.parse` makes it an own key, validation
 *   drops it without a word and the idempotency fingerprint still counts it, so the stored body
 *   and its fingerprint disagree (and a deep value under it overflowed as above).
 */
export function bodyShapeProblem(
  body: unknown,
  maxDepth: number = MAX_JSON_DEPTH,
): 'depth' | 'protoKey' | undefined {
  const stack: [unknown, number][] = [[body, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > maxDepth) return 'depth';
    if (!Array.isArray(node) && Object.hasOwn(node, '__proto__')) {
      return 'protoKey';
    }
    for (const child of Object.values(node)) {
      if (child !== null && typeof child === 'object') {
        stack.push([child, depth + 1]);
      }
    }
  }
  return undefined;
}
