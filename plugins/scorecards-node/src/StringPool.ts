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

  /** `value` with every string in it pooled; arrays and objects are copied, others returned. */
  internDeep = (value: unknown): unknown => {
    if (typeof value === 'string') return this.intern(value);
    if (Array.isArray(value)) return value.map(this.internDeep);
    if (value && typeof value === 'object') {
      // fromEntries defines every key as data, `__proto__` (an ordinary key in JSON) included.
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, this.internDeep(v)]),
      );
    }
    return value;
  };

  /** Distinct strings pooled. */
  get size(): number {
    return this.#strings.size;
  }
}
