import { StringPool } from './StringPool';

describe('StringPool', () => {
  it('keeps one entry per distinct string and answers an equal string', () => {
    const pool = new StringPool();
    // Which copy comes back cannot be seen from JavaScript (strings compare by value); the
    // memory it saves is measured by bench/scorecards/mirrorMemory.bench.ts.
    expect(pool.intern(['component:default/', 'svc'].join(''))).toBe(
      'component:default/svc',
    );
    pool.intern('component:default/svc');
    expect(pool.intern('prometheus')).toBe('prometheus');
    expect(pool.intern(null)).toBeNull();
    expect(pool.size).toBe(2);
  });

  it('pools the strings inside a value and copies its arrays and objects', () => {
    const pool = new StringPool();
    const value = {
      paths: ['src/a.ts', 'src/b.ts', 'src/a.ts'],
      nested: { owner: 'team-a', count: 3, ok: true, none: null },
    };
    const pooled = pool.internDeep(value) as typeof value;
    expect(pooled).toEqual(value);
    expect(pooled).not.toBe(value);
    expect(pooled.paths).not.toBe(value.paths);
    expect(pooled.nested).not.toBe(value.nested);
    // src/a.ts, src/b.ts, team-a
    expect(pool.size).toBe(3);
    expect(pool.internDeep(42)).toBe(42);
    // A `__proto__` key from JSON stays an own property, not the copy's prototype.
    const parsed = JSON.parse('{"__proto__": {"x": "y"}, "a": "b"}');
    const copy = pool.internDeep(parsed) as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__', 'a']);
    expect(pool.internDeep(undefined)).toBeUndefined();
  });
});
