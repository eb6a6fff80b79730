import {
  dictionaryObject,
  KeyBudget,
  plainObject,
  setOwn,
} from '@internal/plugin-scorecards-common';

/**
 * One budget for every pool of the process: the hidden-class transitions the copies add are
 * the process's, whichever pool made them (a full read replaces the pool, not the classes).
 */
const KEYS_OF_ORDINARY_COPIES = new KeyBudget();

/**
 * One copy of each equal string, for data kept in memory for long.
 *
 * `JSON.parse` gives every occurrence of a value its own string: an entity's ref in each of its
 * facts, a source's name, a collection run's timestamp, a path listed in many facts' values. In
 * the evidence mirror those copies were a third of its memory (docs/benchmarks.md, "Evidence
 * mirror memory"); passing strings through a pool keeps the first copy and lets the others go.
 */
/**
 * A copy of `s` that holds nothing else. The client's JSON parser (`parseJsonApart`) cuts each
 * string out of the response text, and V8 keeps a cut of 13 characters or more as a view of that
 * text: one such string kept by the mirror kept its whole read (up to 1,000 refs' evidence)
 * alive, whatever the mirror itself kept of it (docs/benchmarks.md, "A year of change
 * history"). `JSON.parse` builds a string of its own; it keeps lone surrogates.
 */
function ownCopy<S extends string>(s: S): S {
  // Stored data is typed, not trusted: an absent field (`effectiveAt` of older inputs) passes.
  return (
    typeof s !== 'string' || s.length < 13 ? s : JSON.parse(JSON.stringify(s))
  ) as S;
}

export class StringPool {
  readonly #strings = new Map<string, string>();
  readonly #keys: KeyBudget;

  /** `keys`: which copies may be ordinary objects (one budget per process by default). */
  constructor(keys: KeyBudget = KEYS_OF_ORDINARY_COPIES) {
    this.#keys = keys;
  }

  /** The pooled copy of `s` (a copy of its own the first time); null stays null. */
  intern = <S extends string | null>(s: S): S => {
    if (s === null) return s;
    const pooled = this.#strings.get(s);
    if (pooled !== undefined) return pooled as S;
    const own = ownCopy(s);
    this.#strings.set(own, own);
    return own;
  };

  /**
   * `value` with every string in it pooled; arrays and objects are copied, others returned.
   * Copies are `plainObject`s, whose classes grow from a class of their own, not from the empty
   * object's: made by `Object.fromEntries`, the mirror's copies of values keyed by data (an SLO
   * id per service) filled V8's transitions of the empty object's class, and then every object
   * the process built from it, the catalog's own included, got a hidden class of its own
   * (scorecards-common README, Performance). An object whose keys come from data is copied in
   * dictionary mode once the process's copies used 512 distinct keys (`KeyBudget`), so the
   * copies do not fill `plainObject`'s transitions either.
   */
  internDeep = (value: unknown): unknown => {
    if (typeof value === 'string') return this.intern(value);
    if (Array.isArray(value)) return value.map(this.internDeep);
    if (value && typeof value === 'object') {
      const keys = Object.keys(value);
      // Ordinary copies grow their classes from a tree of their own (`plainObject`), so what
      // else the process holds does not give each of them a class.
      const copy: Record<string, unknown> = this.#keys.admits(keys)
        ? plainObject()
        : dictionaryObject();
      for (const key of keys) {
        // `__proto__` (an ordinary key in JSON) stays an own data property.
        setOwn(
          copy,
          key,
          this.internDeep((value as Record<string, unknown>)[key]),
        );
      }
      return copy;
    }
    return value;
  };

  /** Distinct strings pooled. */
  get size(): number {
    return this.#strings.size;
  }
}
