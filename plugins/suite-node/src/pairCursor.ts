import { InputError } from '@backstage/errors';

/**
 * The opaque `nextCursor` of a keyset-paged list: the sort value and the id of a page's last
 * row, so the next page starts strictly after it whatever was inserted meanwhile.
 */
export function encodePairCursor(sortValue: string, id: string): string {
  return Buffer.from(JSON.stringify([sortValue, id])).toString('base64url');
}

/**
 * Reads a cursor {@link encodePairCursor} made; anything else is a 400 naming the route the
 * cursor must come from (`GET /waivers`) and, optionally, how to page (`hint`).
 */
export function decodePairCursor(
  cursor: string,
  route: string,
  hint?: string,
): [string, string] {
  let position: unknown;
  try {
    position = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    position = undefined;
  }
  if (
    !Array.isArray(position) ||
    position.length !== 2 ||
    !position.every(p => typeof p === 'string')
  ) {
    throw new InputError(
      `cursor is not a cursor of ${route} (got ${JSON.stringify(
        cursor.length > 80 ? `${cursor.slice(0, 77)}...` : cursor,
      )})${hint ? `; ${hint}` : ''}`,
    );
  }
  return [position[0], position[1]];
}
