import { setFlagsFromString } from 'node:v8';
import {
  dictionaryObject,
  KeyBudget,
} from '@internal/plugin-scorecards-common';
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

  it('keeps a copy of its own of a string cut out of a larger text, which would keep the text', () => {
    const text = `{"padding":"${'x'.repeat(
      10_000,
    )}","ref":"component:default/checkout-service"}`;
    const cut = () => text.slice(text.indexOf('component:'), text.length - 2);
    // V8 keeps a cut of 13 characters or more as a view of the text: a map of its own
    expect(haveSameMap(cut(), cut())).toBe(true);
    const pooled = new StringPool().intern(cut());
    expect(pooled).toBe('component:default/checkout-service');
    expect(haveSameMap(pooled, cut())).toBe(false);
  });

  it('passes a field that is not a string as it is (stored data is not trusted)', () => {
    const pool = new StringPool();
    expect(pool.intern(undefined as unknown as string)).toBeUndefined();
    expect(pool.intern(42 as unknown as string)).toBe(42);
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

  it('copies objects keyed by data in dictionary mode once the keys exceed the budget', () => {
    // Budget 2: `lastSampleAt` and the first id are admitted, the next ids are not.
    const pool = new StringPool(new KeyBudget(2));
    const copy = (json: string) =>
      pool.internDeep(JSON.parse(json)) as Record<string, unknown>;
    const first = copy('{"svc-1-avail": {"lastSampleAt": "t"}}');
    const second = copy('{"svc-2-avail": {"lastSampleAt": "t"}}');
    const third = copy('{"svc-3-avail": {"lastSampleAt": "u"}}');
    // Field names keep ordinary objects of one class.
    expect(hasFastProperties(first['svc-1-avail'])).toBe(true);
    expect(haveSameMap(first['svc-1-avail'], third['svc-3-avail'])).toBe(true);
    // Keys from data past the budget: dictionary mode, one class for all of them.
    expect(hasFastProperties(first)).toBe(true);
    expect(hasFastProperties(second)).toBe(false);
    expect(haveSameMap(second, third)).toBe(true);
    expect(third).toEqual({ 'svc-3-avail': { lastSampleAt: 'u' } });
    const proto = copy('{"__proto__": {"x": "y"}, "svc-4-avail": 1}');
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
    expect(Object.keys(proto)).toEqual(['__proto__', 'svc-4-avail']);
  });

  it('copies of values keyed by thousands of ids leave the empty object transitions with room', () => {
    // The originals are built without transitions (dictionary mode), as if parsed and dropped.
    const originals = Array.from({ length: 3000 }, (_, i) => {
      const value = dictionaryObject();
      value[`svc-${i}-avail`] = { objective: 0.999 };
      return value;
    });
    const pool = new StringPool(new KeyBudget());
    const copies = originals.map(pool.internDeep);
    // With the empty object's table full, objects built from `{}` by stores (as the catalog's
    // lodash and Node's own code build theirs) would get a class each.
    const stored = (v: number) => {
      const object: Record<string, number> = {};
      object['ops.example.com/after-the-copies'] = v;
      return object;
    };
    expect(haveSameMap(stored(1), stored(2))).toBe(true);
    // Reachable until here, so the copies' classes were alive when the probe ran.
    copies.length = 0;
  });
});
