import { canonicalJson, CanonicalJsonError } from './canonicalJson';

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('canonicalJson (§6 vectors, EV43)', () => {
  it.each<[string, unknown, string]>([
    [
      'sorts keys, omits undefined members, keeps array order',
      { b: 1, a: [3, 1, { d: undefined, c: null }], é: 'x', Z: true },
      '{"Z":true,"a":[3,1,{"c":null}],"b":1,"é":"x"}',
    ],
    [
      'orders keys by UTF-16 code units, not code points',
      { '\uFF61': 1, '\u{1F600}': 2 },
      '{"\u{1F600}":2,"\uFF61":1}',
    ],
    [
      'writes numbers as ECMAScript does',
      [1.0, -0, 1e21, 1e-7],
      '[1,0,1e+21,1e-7]',
    ],
    [
      'keeps small decimals plain',
      [0.000001, 0.1, 123456789],
      '[0.000001,0.1,123456789]',
    ],
    [
      'escapes like JSON.stringify',
      ['"\\\n\u0001', '\ud800'],
      '["\\"\\\\\\n\\u0001","\\ud800"]',
    ],
    [
      'accepts null-prototype objects',
      Object.assign(Object.create(null), { b: 2, a: 1 }),
      '{"a":1,"b":2}',
    ],
    ['writes an empty object', {}, '{}'],
    ['writes scalars', [null, true, false, ''], '[null,true,false,""]'],
  ])('%s', (_name, input, expected) => {
    expect(canonicalJson(input)).toBe(expected);
  });

  class Point {
    x = 1;
  }
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;

  it.each<[string, unknown, string]>([
    ['NaN', { a: NaN }, '$.a'],
    ['undefined in an array', [undefined], '$[0]'],
    [
      'Infinity deep inside',
      { items: [0, 1, { at: Infinity }] },
      '$.items[2].at',
    ],
    ['-Infinity', [-Infinity], '$[0]'],
    ['BigInt', { n: BigInt(1) }, '$.n'],
    ['Date', { when: new Date(0) }, '$.when'],
    ['Map', { m: new Map() }, '$.m'],
    ['Set', [new Set()], '$[0]'],
    ['class instance', { p: new Point() }, '$.p'],
    ['toJSON', { t: { toJSON: () => 1 } }, '$.t'],
    ['function in an array', [() => 1], '$[0]'],
    ['symbol', { s: Symbol('x') }, '$.s'],
    ['cycle', cyclic, '$.self'],
    ['top-level undefined', undefined, '$'],
    ['a key needing quotes', { 'a b': NaN }, '$["a b"]'],
  ])('throws CanonicalJsonError for %s at its path', (_name, input, path) => {
    expect(() => canonicalJson(input)).toThrow(CanonicalJsonError);
    expect(thrownBy(() => canonicalJson(input))).toMatchObject({ path });
  });

  it('accepts the same object twice when it is not a cycle', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe(
      '{"a":{"x":1},"b":{"x":1}}',
    );
  });

  it('is byte-identical to JSON.stringify of a key-sorted copy for plain data', () => {
    const value = {
      z: [1, 'two', { y: null, x: false }],
      a: { c: 0.5, b: -3 },
    };
    expect(canonicalJson(value)).toBe(
      '{"a":{"b":-3,"c":0.5},"z":[1,"two",{"x":false,"y":null}]}',
    );
  });
});
