import { dictionaryObject, setOwn } from '@internal/plugin-scorecards-common';

/**
 * One copy of each equal string, for data kept in memory for long.
 *
 * `JSON.parse` gives every occurrence of a value its own string: an entity's ref in each of its
 * facts, a source's name, a collection run's timestamp, a path listed in many facts' values. In
 * the evidence mirror those copies were a third of its memory (docs/benchmarks.md, "Evidence
 * mirror memory"); passing strings through a pool keeps the first copy and lets the others go.
 */
export class StringPool {
  readonly #strings = new Map<string, string>();

  /** The pooled copy of `s` (`s` itself the first time); null stays null. */
  intern = <S extends string | null>(s: S): S => {
    if (s === null) return s;
    const pooled = this.#strings.get(s);
    if (pooled !== undefined) return pooled as S;
    this.#strings.set(s, s);
    return s;
  };

  /**
   * `value` with every string in it pooled; arrays and objects are copied, others returned.
   * Objects are copied in dictionary mode (`dictionaryObject`): evidence values are keyed by
   * data (an SLO id per service), and as ordinary objects the mirror's copies held one hidden
   * class each and filled the transitions every other object of the process is built through.
   */
  internDeep = (value: unknown): unknown => {
    if (typeof value === 'string') return this.intern(value);
    if (Array.isArray(value)) return value.map(this.internDeep);
    if (value && typeof value === 'object') {
      const copy = dictionaryObject();
      for (const [k, v] of Object.entries(value)) {
        // `__proto__` (an ordinary key in JSON) stays an own data property.
        setOwn(copy, k, this.internDeep(v));
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
