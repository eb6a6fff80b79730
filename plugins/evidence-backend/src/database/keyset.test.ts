import { cursorCodec, keysetPage } from './keyset';

describe('cursorCodec', () => {
  const codec = cursorCodec('changes', ['integer', 'string']);

  it('round-trips a position as opaque base64url text', () => {
    const text = codec.encode([1773453900000, '01JQ7Z']);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(codec.decode(text)).toEqual([1773453900000, '01JQ7Z']);
  });

  it.each([
    ['an offset', '100'],
    ['a negative number', '-5'],
    ['junk', 'abc'],
    ['empty', ''],
    ['not base64url', 'a b'],
    [
      'another listing',
      cursorCodec('facts', ['integer', 'string']).encode([1, 'x']),
    ],
    ['a wrong type', Buffer.from('["changes","1","x"]').toString('base64url')],
    ['a fraction', Buffer.from('["changes",1.5,"x"]').toString('base64url')],
    ['a short position', Buffer.from('["changes",1]').toString('base64url')],
    ['too long', 'A'.repeat(5000)],
    [
      'a text key holding U+0000, which PostgreSQL refuses',
      codec.encode([1, 'a\u0000b']),
    ],
  ])('refuses %s', (_name, text) => {
    expect(codec.decode(text)).toBeUndefined();
  });
});

describe('keysetPage', () => {
  const rows = Array.from({ length: 10 }, (_, i) => i);
  const fetch = async (after: (number | string)[] | undefined, n: number) =>
    rows.filter(r => after === undefined || r > Number(after[0])).slice(0, n);
  const positionOf = (r: number) => [r];

  it('answers a cursor only while rows follow', async () => {
    expect(
      await keysetPage({ limit: 4, fetch, positionOf, show: r => r }),
    ).toEqual({ items: [0, 1, 2, 3], next: [3] });
    expect(
      await keysetPage({
        limit: 4,
        after: [5],
        fetch,
        positionOf,
        show: r => r,
      }),
    ).toEqual({ items: [6, 7, 8, 9] });
  });

  it('refills a page whose rows were dropped and continues after the last row read', async () => {
    const odd = async (r: number[]) => r.filter(x => x % 2 === 1);
    expect(
      await keysetPage({ limit: 3, fetch, positionOf, show: odd }),
    ).toEqual({ items: [1, 3, 5], next: [5] });
    // Bounded: a short page with a cursor after at most maxRounds reads.
    expect(
      await keysetPage({
        limit: 3,
        fetch,
        positionOf,
        show: async () => [],
        maxRounds: 2,
      }),
    ).toEqual({ items: [], next: [5] });
  });
});
