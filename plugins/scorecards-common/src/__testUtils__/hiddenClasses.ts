import { setFlagsFromString } from 'node:v8';

// V8's own answers about hidden classes, for tests only (functions compiled after the flag).
setFlagsFromString('--allow-natives-syntax');
// eslint-disable-next-line no-new-func
const hasFastProperties = new Function('o', 'return %HasFastProperties(o)');
// eslint-disable-next-line no-new-func
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)');

/** Whether `a` and `b` share one hidden class (V8 map). */
export function shareHiddenClass(a: object, b: object): boolean {
  return haveSameMap(a, b);
}

/** Whether `o` is in dictionary mode (its keys in a hash table, not in hidden classes). */
export function isDictionaryMode(o: object): boolean {
  return !hasFastProperties(o);
}

/**
 * Fills the transition tables V8 shares across the process, as data keyed by values does at a
 * few thousand services (model/hiddenClasses.ts): the empty object's (computed-key literals, as
 * the benchmark's world builds its SLO facts, `{}` and stores, spreads and `Object.fromEntries`)
 * and the one `JSON.parse` and one-key literals use. The objects must stay reachable for as
 * long as a test needs the tables full.
 */
export function fillSharedTransitions(): unknown[] {
  const filled: unknown[] = [];
  for (let i = 0; i < 3000; i++) {
    // `Object.fromEntries`, not a computed-key literal: the test transform rewrites those into
    // helper calls, which take another path.
    filled.push(Object.fromEntries([[`svc-${i}-avail`, { objective: 0.999 }]]));
    filled.push(JSON.parse(`{"svc-${i}-status": {"objective": 0.999}}`));
  }
  return filled;
}

/** An object built as `{}` and stores usually are: the probe of the empty object's table. */
export function storedIntoEmpty(key: string, value: unknown): object {
  const object: Record<string, unknown> = {};
  object[key] = value;
  return object;
}
