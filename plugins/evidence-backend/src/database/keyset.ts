import { Knex } from 'knex';
import { hasNul, isPostgres } from '@internal/suite-node';

// Keyset ("seek") paging for the read API's listings (§5.1): the order is applied in SQL, a page
// continues strictly after the position of the last row of the previous one, and that position
// travels to the client as an opaque cursor. Unlike an offset, a cursor never skips or repeats
// rows because rows were written between two pages, and no page reads more than it returns.

/** One sort key of a listing: a column or SQL expression and its direction. */
export interface KeyPart {
  sql: string;
  dir: 'asc' | 'desc';
  type: 'integer' | 'string';
}

/** The sort-key values of one row, in the order of its {@link KeyPart}s. */
export type KeyPosition = (number | string)[];

/**
 * A text column compared by code units on both databases: PostgreSQL compares text by the
 * database collation unless told otherwise, SQLite by bytes. The cursor predicate and the
 * ORDER BY use the same expression, so pages line up whatever the collation; "C" also makes the
 * order match JavaScript's (ids are ASCII).
 */
export function textKey(db: Knex, sql: string): string {
  return isPostgres(db) ? `${sql} COLLATE "C"` : sql;
}

/** `ORDER BY` the keys. */
export function orderByKeys(query: Knex.QueryBuilder, parts: KeyPart[]): void {
  query.orderByRaw(parts.map(p => `${p.sql} ${p.dir}`).join(', '));
}

/**
 * Rows strictly after `position` in the order of `parts`: the lexicographic comparison spelt
 * out (`k1 < v1 OR (k1 = v1 AND (k2 < v2 OR …))`), plus a bound on the first key alone so an
 * index on it can narrow the scan.
 */
export function whereAfter(
  query: Knex.QueryBuilder,
  parts: KeyPart[],
  position: KeyPosition,
): void {
  const op = (p: KeyPart) => (p.dir === 'desc' ? '<' : '>');
  const last = parts.length - 1;
  let sql = `${parts[last].sql} ${op(parts[last])} ?`;
  let bindings: KeyPosition = [position[last]];
  for (let i = last - 1; i >= 0; i--) {
    const p = parts[i];
    sql = `${p.sql} ${op(p)} ? OR (${p.sql} = ? AND (${sql}))`;
    bindings = [position[i], position[i], ...bindings];
  }
  query.whereRaw(`${parts[0].sql} ${op(parts[0])}= ?`, [position[0]]);
  query.whereRaw(`(${sql})`, bindings);
}

/**
 * The opaque cursor text of a listing (`changes`, `facts`) and the inverse that refuses anything
 * a previous page did not hand out in that form.
 */
export interface CursorCodec {
  encode(position: KeyPosition): string;
  /** The position, or undefined when the text is not a cursor of this listing. */
  decode(text: string): KeyPosition | undefined;
}

/** The longest cursor text a listing hands out or takes back. */
export const MAX_CURSOR_LENGTH = 4096;
const MAX_TEXT_KEY_LENGTH = 1024;

/** The cursor text of `position` in `listing`: base64url of `[listing, ...position]`. */
export function encodeCursor(listing: string, position: KeyPosition): string {
  return Buffer.from(JSON.stringify([listing, ...position]), 'utf8').toString(
    'base64url',
  );
}

/**
 * The values after the listing name of a cursor text of `listing`, unchecked; undefined when
 * the text is not one (too long, not base64url, not a JSON list, another listing).
 */
export function cursorValues(
  listing: string,
  text: string,
): unknown[] | undefined {
  if (
    text.length === 0 ||
    text.length > MAX_CURSOR_LENGTH ||
    !/^[A-Za-z0-9_-]+$/.test(text)
  ) {
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  return Array.isArray(value) && value[0] === listing
    ? value.slice(1)
    : undefined;
}

export function cursorCodec(
  listing: string,
  types: readonly KeyPart['type'][],
): CursorCodec {
  return {
    encode: position => encodeCursor(listing, position),
    decode: text => {
      const values = cursorValues(listing, text);
      if (!values || values.length !== types.length) return undefined;
      const ok = values.every((v, i) =>
        types[i] === 'integer'
          ? Number.isSafeInteger(v)
          : typeof v === 'string' &&
            v.length <= MAX_TEXT_KEY_LENGTH &&
            // No stored key holds U+0000 (ingestion refuses it in every text field), and
            // PostgreSQL would answer one in a text parameter with a 500.
            !hasNul(v),
      );
      return ok ? (values as KeyPosition) : undefined;
    },
  };
}

/** The position after rows read: the position of the last of them. */
function afterLastRow<Row>(positionOf: (row: Row) => KeyPosition) {
  return (taken: Row[]) => positionOf(taken[taken.length - 1]);
}

/**
 * One page of a keyset listing whose rows may be dropped after reading (rows a user may not
 * read, §5.1; alias rows now resolving elsewhere): reads `limit + 1` rows after the position,
 * keeps what `show` returns, and reads on while the page is short and rows remain — at most
 * `maxRounds` reads, after which a short page is answered with a cursor. The next position is
 * that of the last row *read* into the page, so dropped rows are never read again and kept rows
 * never twice; `next` is absent when no row follows.
 */
export async function keysetPage<Row, Item>(
  options: {
    limit: number;
    after?: KeyPosition;
    fetch: (after: KeyPosition | undefined, count: number) => Promise<Row[]>;
    show: (rows: Row[]) => Promise<Item[]> | Item[];
    maxRounds?: number;
  } & (
    | {
        /** The position of a row; the next page starts after the last row read. */
        positionOf: (row: Row) => KeyPosition;
        positionAfter?: undefined;
      }
    | {
        /**
         * The position after the rows a round read, given the position it read after
         * (`GET /changes` names the ids listed at the last instant).
         */
        positionAfter: (
          taken: Row[],
          previous: KeyPosition | undefined,
        ) => KeyPosition;
        positionOf?: undefined;
      }
  ),
): Promise<{ items: Item[]; next?: KeyPosition }> {
  const { limit, fetch, show } = options;
  const positionAfter =
    options.positionAfter === undefined
      ? afterLastRow(options.positionOf)
      : options.positionAfter;
  const maxRounds = options.maxRounds ?? 5;
  const items: Item[] = [];
  let position = options.after;
  for (let round = 1; ; round++) {
    const wanted = limit - items.length;
    const rows = await fetch(position, wanted + 1);
    const more = rows.length > wanted;
    const taken = more ? rows.slice(0, wanted) : rows;
    items.push(...(await show(taken)));
    if (taken.length > 0) position = positionAfter(taken, position);
    if (!more) return { items };
    if (items.length >= limit || round >= maxRounds) {
      return { items, next: position };
    }
  }
}
