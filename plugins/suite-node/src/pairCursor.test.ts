import { decodePairCursor, encodePairCursor } from './pairCursor';

describe('pair cursors', () => {
  it('round-trips the sort value and id', () => {
    const c = encodePairCursor('2026-03-14T02:05:00.000Z', 'w-1');
    expect(decodePairCursor(c, 'GET /waivers')).toEqual([
      '2026-03-14T02:05:00.000Z',
      'w-1',
    ]);
  });

  it.each([
    ['garbage', 'cursor is not a cursor of GET /x (got "garbage"); pass it on'],
    [
      encodePairCursor('a', 'b').replace(/./g, 'A'),
      /^cursor is not a cursor of GET \/x \(got "A+"\); pass it on$/,
    ],
    [
      Buffer.from(JSON.stringify(['a', 1])).toString('base64url'),
      /^cursor is not a cursor of GET \/x/,
    ],
    ['x'.repeat(200), /\(got "x{77}\.\.\."\)/],
  ])('refuses %s with a 400 naming the route', (cursor, message) => {
    let thrown: unknown;
    try {
      decodePairCursor(cursor, 'GET /x', 'pass it on');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toMatchObject({ name: 'InputError' });
    expect((thrown as Error).message).toMatch(message);
  });
});
