import { orderChanges } from './orderChanges';
import { changeInWindow } from './changeInWindow';
import { applyChangeClock } from '../clock/changeClock';

type Row = Parameters<typeof orderChanges>[0][number];
const row = (id: string, o: Partial<Row>): Row => ({
  id,
  effectiveAt: '2026-03-14T01:00:00.000Z',
  status: 'succeeded',
  finishedAt: '2026-03-14T01:10:00.000Z',
  receivedAt: '2026-03-14T01:10:00.000Z',
  ...o,
});

describe('orderChanges (§3.8, EV36, EV11)', () => {
  it.each<[string, Row[], string[]]>([
    [
      'effectiveAt descending',
      [row('a', { effectiveAt: '2026-03-14T00:00:00.000Z' }), row('b', {})],
      ['b', 'a'],
    ],
    [
      'in-progress before finished at equal effectiveAt',
      [row('a', {}), row('b', { status: 'started', finishedAt: undefined })],
      ['b', 'a'],
    ],
    [
      'then finishedAt descending',
      [row('a', {}), row('b', { finishedAt: '2026-03-14T01:20:00.000Z' })],
      ['b', 'a'],
    ],
    [
      'then receivedAt descending',
      [row('a', {}), row('b', { receivedAt: '2026-03-14T02:00:00.000Z' })],
      ['b', 'a'],
    ],
    ['then id descending', [row('01A', {}), row('01B', {})], ['01B', '01A']],
  ])('%s', (_name, rows, expected) => {
    expect(orderChanges(rows).map(r => r.id)).toEqual(expected);
    expect(orderChanges([...rows].reverse()).map(r => r.id)).toEqual(expected);
  });

  it('orders a LATE record by its effectiveAt, not by arrival', () => {
    const received = '2026-03-14T02:05:00.000Z';
    const late = applyChangeClock({
      startedAt: '2026-03-11T01:00:00Z',
      finishedAt: '2026-03-11T02:00:00Z',
      receivedAt: received,
    });
    const recent = applyChangeClock({
      startedAt: '2026-03-14T01:00:00Z',
      finishedAt: '2026-03-14T01:30:00Z',
      receivedAt: '2026-03-14T01:31:00.000Z',
    });
    const rows = [
      row('late', { ...late, receivedAt: received }),
      row('recent', { ...recent, receivedAt: '2026-03-14T01:31:00.000Z' }),
    ];
    expect(late.flags).toEqual(['LATE']);
    expect(orderChanges(rows).map(r => r.id)).toEqual(['recent', 'late']);
  });

  it('does not mutate its input', () => {
    const rows = [
      row('a', { effectiveAt: '2026-03-14T00:00:00.000Z' }),
      row('b', {}),
    ];
    orderChanges(rows);
    expect(rows.map(r => r.id)).toEqual(['a', 'b']);
  });
});

describe('changeInWindow (IB §4.4, EV36)', () => {
  const window = {
    from: '2026-03-13T02:00:00.000Z',
    to: '2026-03-14T02:00:00.000Z',
    asOf: '2026-03-14T02:05:00.000Z',
  };
  it.each<[string, { effectiveAt: string; finishedAt?: string }, boolean]>([
    [
      'started before, finished inside',
      {
        effectiveAt: '2026-03-12T00:00:00.000Z',
        finishedAt: '2026-03-13T03:00:00.000Z',
      },
      true,
    ],
    [
      'started before, still running',
      { effectiveAt: '2026-03-12T00:00:00.000Z' },
      true,
    ],
    [
      'finished before the window',
      {
        effectiveAt: '2026-03-12T00:00:00.000Z',
        finishedAt: '2026-03-13T01:59:59.999Z',
      },
      false,
    ],
    [
      'finished exactly at the start of the window',
      {
        effectiveAt: '2026-03-12T00:00:00.000Z',
        finishedAt: '2026-03-13T02:00:00.000Z',
      },
      true,
    ],
    [
      'starts exactly at the end of the window',
      { effectiveAt: '2026-03-14T02:00:00.000Z' },
      true,
    ],
    [
      'starts after the window',
      { effectiveAt: '2026-03-14T02:00:00.001Z' },
      false,
    ],
  ])('%s', (_name, change, expected) => {
    expect(changeInWindow(change, window)).toBe(expected);
  });
});
