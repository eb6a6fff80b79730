import { setFlagsFromString } from 'node:v8';
import { parseJsonApart } from './parseJsonApart';

// V8's own answer about hidden classes, for this test only (compiled after the flag).
setFlagsFromString('--allow-natives-syntax');
// eslint-disable-next-line no-new-func
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)');

/** Whether two objects `JSON.parse` reads with the one key `key` share a class. */
function parsedShareClass(key: string): boolean {
  return haveSameMap(JSON.parse(`{"${key}":1}`), JSON.parse(`{"${key}":2}`));
}

/** Whether two objects built as `{}` and a store of `key` share a class. */
function storedShareClass(key: string): boolean {
  const stored = () => {
    const object: Record<string, unknown> = {};
    object[key] = 1;
    return object;
  };
  return haveSameMap(stored(), stored());
}

describe('parseJsonApart', () => {
  it.each([
    '0',
    '-0',
    '12.5e-3',
    '1E+2',
    '-17',
    'true',
    'false',
    'null',
    '""',
    '"plain"',
    '"esc \\" \\\\ \\/ \\b \\f \\n \\r \\t"',
    '"\\u00e9\\u20AC \\ud83d\\ude00 lone \\ud800"',
    '"été ✓ 😀"',
    '[]',
    '{}',
    ' \t\n\r[ 1 , "a" , null , { } , [ ] ] \n',
    '{"a":1,"b":{"c":[1,2,{"d":"e"}]},"f":null}',
    '{"2":"two","1":"one","b":"b","a":"a"}',
    '{"dup":1,"dup":2}',
    '{"constructor":"x","hasOwnProperty":1,"toString":null}',
    '{"svc-1-avail":{"objective":0.999,"window":"30d"},"svc-2-avail":{"objective":0.99}}',
    '[{"key":"k","value":{"nested":[true,false,{"deep":[[[]]]}]}}]',
  ])('reads %s as JSON.parse does', text => {
    const parsed = parseJsonApart(text);
    const expected = JSON.parse(text);
    expect(parsed).toStrictEqual(expected);
    expect(JSON.stringify(parsed)).toBe(JSON.stringify(expected));
    expect(Object.is(parsed, -0)).toBe(Object.is(expected, -0));
  });

  it('builds ordinary objects: Object.prototype, Object as constructor, own keys only', () => {
    const parsed = parseJsonApart('{"a":{"b":1}}') as Record<string, any>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(parsed.a)).toBe(Object.prototype);
    expect(parsed.constructor).toBe(Object);
    expect(Object.keys(parsed)).toEqual(['a']);
    expect({ ...parsed.a }).toEqual({ b: 1 });
  });

  it('keeps a __proto__ key as an own property, as JSON.parse does, never as the prototype', () => {
    const text = '{"__proto__":{"polluted":true},"a":1}';
    const parsed = parseJsonApart(text) as Record<string, any>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(parsed.polluted).toBeUndefined();
    expect(Object.keys(parsed)).toEqual(['__proto__', 'a']);
    expect(JSON.stringify(parsed)).toBe(JSON.stringify(JSON.parse(text)));
    expect(({} as any).polluted).toBeUndefined();
  });

  it.each([
    '',
    ' ',
    '{',
    '{"a"}',
    '{"a":}',
    '{"a":1,}',
    '{a:1}',
    "{'a':1}",
    '[1,]',
    '[1 2]',
    '01',
    '1.',
    '-',
    '.5',
    '+1',
    'NaN',
    'tru',
    'nul',
    '"unterminated',
    '"bad \\x escape"',
    '"bad \\u12 escape"',
    '"raw\ncontrol"',
    '{} {}',
    '[1] x',
  ])('refuses %j with a SyntaxError, as JSON.parse does', text => {
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(() => parseJsonApart(text)).toThrow(SyntaxError);
  });

  it('reads nesting deeper than its recursion as JSON.parse does, and refuses it as JSON.parse does', () => {
    const depth = 20_000;
    const deep = `{"items":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    // Walked, not compared: a recursive comparison overflows at this depth itself.
    let level = (parseJsonApart(deep) as { items: unknown }).items;
    let levels = 0;
    while (Array.isArray(level) && level.length === 1) {
      level = level[0];
      levels++;
    }
    expect(level).toEqual([]);
    expect(levels).toBe(depth - 1);
    expect(() => parseJsonApart('['.repeat(100_000))).toThrow(SyntaxError);
  });

  it('says where the text stops being JSON', () => {
    expect(() => parseJsonApart('{"a":1,"b" 2}')).toThrow(
      "Expected ':' after a property name at position 11 of the JSON text",
    );
    expect(() => parseJsonApart('[1,2')).toThrow('the JSON text ended');
  });

  it("leaves the process's shared transitions with room, however many keys its objects hold", () => {
    // Objects read here with the same keys share their classes (no class per object).
    expect(
      haveSameMap(
        parseJsonApart('{"x":1,"y":"a"}'),
        parseJsonApart('{"x":2,"y":"b"}'),
      ),
    ).toBe(true);
    const kept: unknown[] = [];
    for (let i = 0; i < 3000; i++) {
      kept.push(parseJsonApart(`{"svc-${i}-avail":{"objective":0.999}}`));
    }
    // Both shared tables still take a new key: two objects with it share one class.
    expect(parsedShareClass('svc-fresh-1-status')).toBe(true);
    expect(storedShareClass('svc-fresh-1-status')).toBe(true);
    // The same keys through JSON.parse fill its table: the probe sees a full one.
    for (let i = 0; i < 3000; i++) {
      kept.push(JSON.parse(`{"svc-${i}-avail":{"objective":0.999}}`));
    }
    expect(parsedShareClass('svc-fresh-2-status')).toBe(false);
    expect(kept).toHaveLength(6000);
  });
});
