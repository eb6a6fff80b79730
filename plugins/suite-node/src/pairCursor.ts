import { InputError } from '@backstage/errors';
import { hasNul } from './fieldSchemas';

/**
 * The opaque `nextCursor` of a keyset-paged list: the sort value and the id of a page's last
 * row, so the next page starts strictly after it whatever was inserted meanwhile.
 */
export function encodePairCursor(sortValue: string, id: string): string {
  return Buffer.from(JSON.stringify([sortValue, id])).toString('base64url');
}

/**
 * Reads a cursor {@link encodePairCursor} made; anything else is a 400 naming the route the
 * cursor must come from (`GET /waivers`) and, optionally, how to page (`hint`). A sort value
 * `isSortValue` refuses (a page of rows sorted by time ends at a time) is not a cursor of the
 * route either. A value holding U+0000 is refused too: no page ends at one, and PostgreSQL
 * refuses the character in the comparison (a 500 otherwise).
 */
export function decodePairCursor(
  cursor: string,
  route: string,
  hint?: string,
  isSortValue?: (value: string) => boolean,
): [string, string] {
  let position: unknown;
  try {
    position = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    position = undefined;
  }
  const then = hint ? `; ${hint}` : '';
  if (
    Array.isArray(position) &&
    position.length === 2 &&
    position.some(p => typeof p === 'string' && hasNul(p))
  ) {
    throw new InputError(
      `cursor must not contain NUL characters (U+0000)${then}`,
    );
  }
  if (
    !Array.isArray(position) ||
    position.length !== 2 ||
    !position.every(p => typeof p === 'string') ||
    (isSortValue && !isSortValue(position[0]))
  ) {
    throw new InputError(
      `cursor is not a cursor of ${route} (got ${JSON.stringify(
        cursor.length > 80 ? `${cursor.slice(0, 77)}...` : cursor,
      )})${then}`,
    );
  }
  return [position[0], position[1]];
}
