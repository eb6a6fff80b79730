import { setFlagsFromString } from 'node:v8';
import { StringPool } from './StringPool';

// V8's own answers about hidden classes (functions compiled after the flag; tests only).
setFlagsFromString('--allow-natives-syntax');
// eslint-disable-next-line no-new-func
const hasFastProperties = new Function('o', 'return %HasFastProperties(o)');
// eslint-disable-next-line no-new-func
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)');

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

  it('copies objects in dictionary mode, one hidden class for values keyed by data', () => {
    // What evidence keyed by SLO ids does to the empty object's transitions at a few thousand
    // services (StringPool's comment); kept reachable while the copies are made.
    const filled = Array.from({ length: 3000 }, (_, i) =>
      JSON.parse(`{"svc-${i}-avail": {"objective": 0.999}}`),
    );
    const pool = new StringPool();
    const a = pool.internDeep(
      JSON.parse('{"svc-9001-avail": {"lastSampleAt": "t"}}'),
    ) as Record<string, Record<string, string>>;
    const b = pool.internDeep(
      JSON.parse('{"svc-9002-avail": {"lastSampleAt": "t"}}'),
    ) as Record<string, Record<string, string>>;
    expect(hasFastProperties(a)).toBe(false);
    expect(haveSameMap(a, b)).toBe(true);
    expect(haveSameMap(a['svc-9001-avail'], b['svc-9002-avail'])).toBe(true);
    expect(b).toEqual({ 'svc-9002-avail': { lastSampleAt: 't' } });
    expect(filled).toHaveLength(3000);
  });
});
