import { createHash } from 'node:crypto';
import { canonicalJson } from './canonicalJson';
import { fingerprint, utf8ByteLength } from './fingerprint';

describe('fingerprint (§6, EV43)', () => {
  it.each<[string, unknown, string]>([
    [
      'the empty object',
      {},
      'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
    ],
    [
      'a body whose canonical form is {"a":1,"b":[2,1]}',
      { b: [2, 1], a: 1.0, c: undefined },
      'sha256:e9d26fb0100c3f9ef569c38ced9811ec35059c3c999b8683fde59ed24e6e66e8',
    ],
  ])('matches the vector for %s', (_name, value, expected) => {
    expect(fingerprint(value)).toBe(expected);
  });

  it('ignores key order and 1.0 vs 1, but not array order', () => {
    expect(fingerprint({ a: 1, b: { c: 2, d: 3 } })).toBe(
      fingerprint(JSON.parse('{ "b": { "d": 3, "c": 2.0 }, "a": 1 }')),
    );
    expect(fingerprint([1, 2])).not.toBe(fingerprint([2, 1]));
  });

  // A small deterministic PRNG so a failure is reproducible from the seed.
  function mulberry32(seed: number) {
    let a = seed;
    return () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function randomString(rand: () => number): string {
    const pool = [
      'a',
      'Z',
      'é',
      '"',
      '\\',
      '\n',
      '\u0000',
      '😀',
      '\uFF61',
      '\ud800',
      ' ',
      '中',
    ];
    let s = '';
    const length = Math.floor(rand() * 8);
    for (let i = 0; i < length; i++)
      s += pool[Math.floor(rand() * pool.length)];
    return s;
  }

  function randomJson(rand: () => number, depth: number): unknown {
    const pick = Math.floor(rand() * (depth > 3 ? 4 : 6));
    switch (pick) {
      case 0:
        return null;
      case 1:
        return rand() < 0.5;
      case 2: {
        const numbers = [
          0,
          -0,
          1e21,
          1e-7,
          0.1,
          -12.5,
          2 ** 53,
          rand() * 1e6,
          -rand(),
        ];
        return numbers[Math.floor(rand() * numbers.length)];
      }
      case 3:
        return randomString(rand);
      case 4:
        return Array.from({ length: Math.floor(rand() * 4) }, () =>
          randomJson(rand, depth + 1),
        );
      default: {
        const obj: Record<string, unknown> = {};
        const n = Math.floor(rand() * 4);
        for (let i = 0; i < n; i++)
          obj[randomString(rand)] = randomJson(rand, depth + 1);
        return obj;
      }
    }
  }

  it('equals node:crypto SHA-256 over 1,000 random JSON values', () => {
    const rand = mulberry32(20260314);
    for (let i = 0; i < 1000; i++) {
      const value = randomJson(rand, 0);
      const text = canonicalJson(value);
      const expected = `sha256:${createHash('sha256')
        .update(text, 'utf8')
        .digest('hex')}`;
      expect(fingerprint(value)).toBe(expected);
      expect(utf8ByteLength(text)).toBe(Buffer.byteLength(text, 'utf8'));
    }
  });
});
