import { hasNul } from '@internal/suite-node';
import { Knex } from 'knex';
import {
  CursorCodec,
  KeyPart,
  KeyPosition,
  MAX_CURSOR_LENGTH,
  cursorCodec,
  cursorValues,
  encodeCursor,
  whereAfter,
} from './keyset';
import { ChangeRow, ms } from './rows';

// `GET /changes` pages in §3.8 order: effectiveAt desc, in progress first, finishedAt desc,
// receivedAt desc, id desc. Only effectiveAt and id never change: a change that finishes moves
// within its instant. A cursor made of the last row's sort keys (the positional form) therefore
// listed a change that finished between two page reads twice, or never. The cursor names the
// last page's effectiveAt and the ids already listed at it instead (the instant form): the next
// page holds that instant's other changes, then the older ones, whatever their other keys
// became. An instant with more listed changes than a cursor holds falls back to the positional
// form, which cursors handed out before 2026-12-06 have too.

const LISTING = 'changes';
const MAX_ID_LENGTH = 1024;

const positional = cursorCodec(LISTING, [
  'integer',
  'integer',
  'integer',
  'integer',
  'string',
]);

/** `[effectiveMs, ...ids listed at it]`: ids at index 1, where the positional form has a number. */
function isInstantPosition(position: KeyPosition): boolean {
  return typeof position[1] === 'string';
}

function encode(position: KeyPosition): string {
  return encodeCursor(LISTING, position);
}

/** Cursor of `GET /changes`, in either form; refuses anything a page did not hand out. */
export const CHANGE_CURSOR: CursorCodec = {
  encode,
  decode(text) {
    const asPositional = positional.decode(text);
    if (asPositional) return asPositional;
    const values = cursorValues(LISTING, text);
    if (!values || values.length < 2) return undefined;
    const [effectiveMs, ...ids] = values;
    const ok =
      Number.isSafeInteger(effectiveMs) &&
      ids.every(
        id =>
          typeof id === 'string' &&
          id.length > 0 &&
          id.length <= MAX_ID_LENGTH &&
          // PostgreSQL answers U+0000 in a text parameter with a 500
          !hasNul(id),
      );
    return ok ? [effectiveMs as number, ...(ids as string[])] : undefined;
  },
};

/** The rows after `position` in `keys`' order (§3.8), for either form. */
export function whereAfterChange(
  query: Knex.QueryBuilder,
  keys: KeyPart[],
  position: KeyPosition,
): void {
  if (!isInstantPosition(position)) {
    whereAfter(query, keys, position);
    return;
  }
  const [effectiveMs, ...ids] = position;
  query
    .where('effective_ms', '<=', effectiveMs)
    .where(q =>
      q
        .where('effective_ms', '<', effectiveMs)
        .orWhere(same =>
          same.where('effective_ms', effectiveMs).whereNotIn('id', ids),
        ),
    );
}

/**
 * The position after `taken`, the rows a page (or a round of it) read after `previous`: the
 * instant form while it fits a cursor, else the positional form of the last row. Once an instant
 * fell back, its later pages stay positional (the ids listed before are not known).
 */
export function changePositionAfter(
  taken: ChangeRow[],
  previous: KeyPosition | undefined,
): KeyPosition {
  const last = taken[taken.length - 1];
  const effectiveMs = ms(last.effective_ms);
  const lastKeys: KeyPosition = [
    effectiveMs,
    last.status === 'started' ? 1 : 0,
    last.finished_ms === null ? -1 : ms(last.finished_ms),
    ms(last.received_ms),
    last.id,
  ];
  const sameInstant = previous !== undefined && previous[0] === effectiveMs;
  if (sameInstant && !isInstantPosition(previous)) return lastKeys;
  const listed = [
    ...(sameInstant ? (previous.slice(1) as string[]) : []),
    ...taken.filter(r => ms(r.effective_ms) === effectiveMs).map(r => r.id),
  ];
  const instant: KeyPosition = [effectiveMs, ...listed];
  return encode(instant).length <= MAX_CURSOR_LENGTH ? instant : lastKeys;
}
