import { decodePairCursor, encodePairCursor } from './pairCursor';
import { isIsoInstant } from './fieldSchemas';

const cursorOf = (position: unknown) =>
  Buffer.from(JSON.stringify(position)).toString('base64url');

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
    // no page ends at a time that is not one
    [
      cursorOf(['not-a-time', 'w-1']),
      /^cursor is not a cursor of GET \/x \(got "[\w-]+"\); pass it on$/,
    ],
    // PostgreSQL refuses U+0000 in a comparison: a 400 here, not a 500 there
    [
      cursorOf(['2026-03-14T02:05:00.000Z', 'a\u0000b']),
      'cursor must not contain NUL characters (U+0000); pass it on',
    ],
    [
      cursorOf(['\u0000', 'x']),
      'cursor must not contain NUL characters (U+0000); pass it on',
    ],
  ])('refuses %s with a 400 naming the route', (cursor, message) => {
    let thrown: unknown;
    try {
      decodePairCursor(cursor, 'GET /x', 'pass it on', isIsoInstant);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toMatchObject({ name: 'InputError' });
    expect((thrown as Error).message).toMatch(message);
  });
});
