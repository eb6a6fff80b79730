/**
 * An object `parseJsonApart` builds: an ordinary object (its prototype is `Object.prototype`,
 * its `constructor` is `Object`), whose hidden classes V8 grows from this constructor's initial
 * class instead of the empty object's. Not scorecards-common's `plainObject` (the same device):
 * parsed evidence keyed by data fills this constructor's table, and the objects built from
 * `plainObject` (the mirror's copies under their key budget, stamped labels) must keep theirs.
 */
function ParsedObject(this: object) {}
ParsedObject.prototype = Object.prototype;

const newObject = (): Record<string, unknown> =>
  new (ParsedObject as unknown as new () => Record<string, unknown>)();

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/**
 * `JSON.parse(text)` for JSON whose objects are keyed by data (evidence values keyed by SLO
 * ids, one key per service), with the same result, that leaves the process's shared hidden
 * classes alone.
 *
 * V8 records the class that adding a first key to an empty object leads to as a transition of
 * the empty object's class, at most 1,536 of them, and `JSON.parse` builds its objects that way.
 * A backend's modules fill most of that table as they load; one read of evidence keyed by data
 * fills the rest, and from then on every object the process builds with a key the table lacks
 * gets a class of its own, and keeps it in the literals and call sites that built it: the
 * catalog's own processing (knex, lodash) went that way in the module's process
 * (docs/benchmarks.md, "Hidden classes"). The objects built here grow from a constructor of
 * their own, whose table nothing else uses: past 1,536 first keys in objects still alive, those
 * read after get classes of their own too, which costs this parse and its caller's code only.
 *
 * Throws a `SyntaxError` naming the position, as `JSON.parse` does, for anything that is not
 * one JSON value; a `__proto__` key is an own property, as with `JSON.parse`. A review's
 * differential run of 200,084 inputs (76,156 valid) found no difference from `JSON.parse` in
 * values, key order, descriptors, prototypes or the error's name.
 */
export function parseJsonApart(text: string): unknown {
  try {
    return parseApart(text);
  } catch (error) {
    // Nesting deeper than this parser's recursion (~4,000 levels) is read by `JSON.parse`,
    // which has no such limit: the same result, or the same SyntaxError, at any depth.
    if (error instanceof RangeError) return JSON.parse(text);
    throw error;
  }
}

function parseApart(text: string): unknown {
  let at = 0;

  const fail = (what: string): never => {
    throw new SyntaxError(
      at < text.length
        ? `${what} at position ${at} of the JSON text`
        : `${what}: the JSON text ended`,
    );
  };

  const skipSpace = () => {
    for (;;) {
      const c = text.charCodeAt(at);
      // space, tab, line feed, carriage return
      if (c === 32 || c === 9 || c === 10 || c === 13) at++;
      else return;
    }
  };

  const string = (): string => {
    // `at` is on the opening quote.
    const start = ++at;
    let out = '';
    let from = start;
    for (;;) {
      const c = text.charCodeAt(at);
      if (c === 34) {
        // closing quote
        const tail = text.slice(from, at++);
        return from === start ? tail : out + tail;
      }
      if (c === 92) {
        out += text.slice(from, at);
        const e = text[at + 1];
        if (e === 'u') {
          const hex = text.slice(at + 2, at + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
            at++;
            fail('Bad Unicode escape in string');
          }
          out += String.fromCharCode(parseInt(hex, 16));
          at += 6;
        } else {
          const escaped = e === undefined ? undefined : ESCAPES[e];
          if (escaped === undefined) {
            at++;
            fail('Bad escaped character in string');
          }
          out += escaped;
          at += 2;
        }
        from = at;
      } else if (c < 32 || Number.isNaN(c)) {
        fail(
          Number.isNaN(c)
            ? 'Unterminated string'
            : 'Bad control character in string',
        );
      } else {
        at++;
      }
    }
  };

  const literal = (word: string, meaning: unknown) => {
    if (text.startsWith(word, at)) {
      at += word.length;
      return meaning;
    }
    return fail(`Unexpected token '${text[at]}'`);
  };

  function value(): unknown {
    skipSpace();
    const c = text[at];
    if (c === '{') return object();
    if (c === '[') return array();
    if (c === '"') return string();
    if (c === 't') return literal('true', true);
    if (c === 'f') return literal('false', false);
    if (c === 'n') return literal('null', null);
    NUMBER.lastIndex = at;
    const match = NUMBER.exec(text);
    if (!match)
      return fail(
        c === undefined
          ? 'Unexpected end of JSON input'
          : `Unexpected token '${c}'`,
      );
    at += match[0].length;
    return Number(match[0]);
  }

  function array(): unknown[] {
    at++;
    const out: unknown[] = [];
    skipSpace();
    if (text[at] === ']') {
      at++;
      return out;
    }
    for (;;) {
      out.push(value());
      skipSpace();
      const c = text[at++];
      if (c === ']') return out;
      if (c !== ',') {
        at--;
        fail("Expected ',' or ']' after an array element");
      }
    }
  }

  function object(): Record<string, unknown> {
    at++;
    const out = newObject();
    skipSpace();
    if (text[at] === '}') {
      at++;
      return out;
    }
    for (;;) {
      skipSpace();
      if (text[at] !== '"') fail('Expected a property name in double quotes');
      const key = string();
      skipSpace();
      if (text[at++] !== ':') {
        at--;
        fail("Expected ':' after a property name");
      }
      const item = value();
      if (key === '__proto__') {
        Object.defineProperty(out, key, {
          value: item,
          writable: true,
          enumerable: true,
          configurable: true,
        });
      } else {
        out[key] = item;
      }
      skipSpace();
      const c = text[at++];
      if (c === '}') return out;
      if (c !== ',') {
        at--;
        fail("Expected ',' or '}' after a property value");
      }
    }
  }

  const result = value();
  skipSpace();
  if (at < text.length) fail('Unexpected non-whitespace character after JSON');
  return result;
}
