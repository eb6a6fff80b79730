import { CHANGE_CURSOR, changePositionAfter } from './changeCursor';
import { ChangeRow } from './rows';

const raw = (value: unknown[]) =>
  Buffer.from(JSON.stringify(['changes', ...value])).toString('base64url');

const row = (id: string, effectiveMs: number): ChangeRow =>
  ({
    id,
    effective_ms: effectiveMs,
    status: 'succeeded',
    finished_ms: effectiveMs + 1,
    received_ms: effectiveMs + 2,
  } as unknown as ChangeRow);

describe('CHANGE_CURSOR', () => {
  it('round-trips both forms: the ids listed at an instant, and the sort keys of a change', () => {
    for (const position of [
      [1773453900000, '01JQ7Z', '01JQ80'],
      [1773453900000, 1, -1, 1773453900001, '01JQ7Z'],
    ]) {
      expect(CHANGE_CURSOR.decode(CHANGE_CURSOR.encode(position))).toEqual(
        position,
      );
    }
  });

  it.each([
    ['an instant without ids', raw([1])],
    ['a fractional instant', raw([1.5, 'a'])],
    ['an empty id', raw([1, ''])],
    ['an id that is not text', raw([1, 'a', 2])],
    ['an id holding U+0000', raw([1, 'a\u0000b'])],
    ['another listing', Buffer.from('["facts",1,"a"]').toString('base64url')],
  ])('refuses %s', (_name, text) => {
    expect(CHANGE_CURSOR.decode(text)).toBeUndefined();
  });
});

describe('changePositionAfter', () => {
  it('names the ids listed at the last instant, with those of the page before at it', () => {
    expect(changePositionAfter([row('a', 3), row('b', 2)], undefined)).toEqual([
      2,
      'b',
    ]);
    expect(changePositionAfter([row('c', 2), row('d', 2)], [2, 'b'])).toEqual([
      2,
      'b',
      'c',
      'd',
    ]);
    // a new instant starts a new list
    expect(changePositionAfter([row('e', 1)], [2, 'b', 'c'])).toEqual([1, 'e']);
  });

  it('falls back to the sort keys of the last change when the ids no longer fit a cursor, and stays there at that instant', () => {
    const many = Array.from({ length: 200 }, (_, i) =>
      row(`01JQ7Z${String(i).padStart(20, '0')}`, 5),
    );
    const fallback = changePositionAfter(many, undefined);
    expect(fallback).toEqual([5, 0, 6, 7, many[199].id]);
    expect(changePositionAfter([row('x', 5)], fallback)).toEqual([
      5,
      0,
      6,
      7,
      'x',
    ]);
  });
});
