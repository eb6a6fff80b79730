/**
 * Objects whose hidden class (a V8 "map") does not depend on what else the process holds.
 *
 * V8 records the hidden class that adding a first property to an empty object leads to as a
 * transition of the empty object's class, up to 1,536 of them. Data keyed by values (an SLO id
 * per service in evidence, for one) starts a new transition per distinct key, so a process
 * holding a few thousand such objects fills that table. From then on, objects that V8 builds
 * from the empty class (one-property literals, conditional spreads, `Object.fromEntries`, and
 * Node's own `createHash` state) get a hidden class of their own each: inline caches that see
 * them go megamorphic, optimized code deoptimizes, and each object carries ~150 bytes of class.
 * In the catalog pipeline that made the catalog's own processing ~40 % slower beside the
 * scorecards module at 5,000 entities (docs/benchmarks.md, "Hidden classes").
 */

/**
 * The constructor behind `plainObject`: its objects are ordinary (prototype `Object.prototype`,
 * as for `{}`), but their hidden classes grow from this function's initial class, which no
 * other code in the process adds keys to.
 */
const OwnTreeObject =
  function ownTreeObject() {} as unknown as new () => Record<string, unknown>;
OwnTreeObject.prototype = Object.prototype;

/**
 * An empty ordinary object whose hidden classes do not depend on what else the process holds:
 * V8 keeps the transitions of `{}`, computed-key literals, spreads and `Object.fromEntries` in
 * tables the whole process shares (and those of `JSON.parse` and one-key literals in others);
 * the keys stored into this object transition from a class of its own, so objects given the
 * same keys share one class however full those tables are. For objects built on hot paths with
 * keys that vary (the labels of a stamped entity, ledger attributes, the mirror's copies).
 */
export function plainObject<T = unknown>(): Record<string, T> {
  return new OwnTreeObject() as Record<string, T>;
}

/**
 * An empty ordinary object in dictionary mode: its keys live in a hash table of its own, so
 * adding any key, however rare, records no transition and creates no hidden class. For data
 * with keys from values, kept for long (the evidence mirror's copies of fact values). It costs
 * ~250 bytes more than an ordinary object of a shared class (`KeyBudget` keeps it to the
 * objects that need it).
 */
export function dictionaryObject<T = unknown>(): Record<string, T> {
  const object = plainObject();
  // Deleting a key other than the last one added moves the object to dictionary mode, where it
  // stays.
  object.dictionaryModeA = 0;
  object.dictionaryModeB = 0;
  delete object.dictionaryModeA;
  delete object.dictionaryModeB;
  return object as Record<string, T>;
}

/**
 * Sets `key` on `object` as an own enumerable data property, `__proto__` included (an ordinary
 * key in JSON; assigning it would replace the prototype instead).
 */
export function setOwn<T>(
  object: Record<string, T>,
  key: string,
  value: T,
): void {
  if (key === '__proto__') {
    Object.defineProperty(object, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else object[key] = value;
}

/**
 * Decides which copies kept for long may be ordinary objects: those whose keys are all among
 * the first `max` distinct keys it admitted. Field names recur across objects, so they are
 * admitted early and their objects share hidden classes (and stay small); keys taken from data
 * (an SLO id per service) are each new, and past the budget their objects go to dictionary mode
 * (`dictionaryObject`). So the ordinary copies (`plainObject`s) add at most ~`max` transitions
 * to the class they grow from, far from its 1,536, and every other `plainObject` keeps sharing
 * classes; an object keyed by data also costs less memory in dictionary mode than as an
 * ordinary object with a class of its own.
 */
export class KeyBudget {
  readonly #keys = new Set<string>();

  constructor(private readonly max = 512) {}

  /** Whether an object with `keys` may be an ordinary object; admits its keys if so. */
  admits(keys: readonly string[]): boolean {
    let fresh = 0;
    for (const key of keys) if (!this.#keys.has(key)) fresh++;
    if (fresh === 0) return true;
    if (this.#keys.size + fresh > this.max) return false;
    for (const key of keys) this.#keys.add(key);
    return true;
  }

  /** Distinct keys admitted. */
  get size(): number {
    return this.#keys.size;
  }
}
