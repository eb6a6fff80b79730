import { stampOf } from '@internal/plugin-scorecards-common';
import { CachedState, decodeState, encodeState } from './cachedState';

const SEEN = '2026-03-14T02:05:00.000Z';
const LOGGED = '2026-03-14T03:00:00.000Z';
const STAMP = stampOf('L1', '12/45', 'default@7');

describe('cachedState', () => {
  it.each<[string, CachedState, unknown[]]>([
    ['first seen only', { firstSeenAt: SEEN }, [SEEN, '', '', '', '']],
    [
      'a stamp',
      { firstSeenAt: SEEN, stamp: STAMP },
      [SEEN, 'L1', '12/45', 'default@7', ''],
    ],
    [
      'a logged error',
      { firstSeenAt: SEEN, lastErrorLoggedAt: LOGGED },
      [SEEN, '', '', '', LOGGED],
    ],
    [
      'awaited refs',
      {
        firstSeenAt: SEEN,
        stamp: STAMP,
        awaits: ['system:default/checkout', 'api:default/orders'],
      },
      [
        SEEN,
        'L1',
        '12/45',
        'default@7',
        '',
        'system:default/checkout',
        'api:default/orders',
      ],
    ],
  ])('encodes %s as one flat array, read back the same', (_, state, value) => {
    const encoded = encodeState(state);
    expect(encoded).toEqual(value);
    const decoded = decodeState(JSON.parse(JSON.stringify(encoded)), undefined);
    expect(decoded).toEqual({
      state: {
        firstSeenAt: state.firstSeenAt,
        stamp: state.stamp,
        lastErrorLoggedAt: state.lastErrorLoggedAt,
        awaits: state.awaits,
      },
      legacy: false,
    });
  });

  it('reads the nested form written before 2026-12-06 only when the current one is absent or malformed', () => {
    const legacy = {
      firstSeenAt: SEEN,
      stamp: {
        labels: { 'ops.example.com/maturity-level': 'L1' },
        annotations: {
          'ops.example.com/scorecard-score': '12/45',
          'ops.example.com/scorecard-standard': 'default@7',
        },
      },
      lastErrorLoggedAt: LOGGED,
      awaits: ['system:default/checkout'],
    };
    const upgraded = {
      state: {
        firstSeenAt: SEEN,
        stamp: STAMP,
        lastErrorLoggedAt: LOGGED,
        awaits: ['system:default/checkout'],
      },
      legacy: true,
    };
    expect(decodeState(undefined, legacy)).toEqual(upgraded);
    expect(decodeState(['not a time'], legacy)).toEqual(upgraded);
    expect(decodeState([LOGGED, '', '', '', ''], legacy)).toEqual({
      state: { firstSeenAt: LOGGED },
      legacy: false,
    });
  });

  it.each<[string, unknown]>([
    ['not an array', { firstSeenAt: SEEN }],
    ['empty', []],
    ['no time first', ['yesterday', '', '', '', '']],
    ['a number first', [5]],
  ])('a current entry that is %s counts as none', (_, value) => {
    expect(decodeState(value, undefined)).toBeUndefined();
  });

  it.each<[string, unknown[]]>([
    ['an unknown level', [SEEN, 'L9', '12/45', 'default@7', '']],
    [
      'a level with spaces',
      [SEEN, 'L9 bogus value!!', '12/45', 'default@7', ''],
    ],
    ['a score that is no fraction', [SEEN, 'L1', '12 of 45', 'default@7', '']],
    ['a standard without version', [SEEN, 'L1', '12/45', 'default', '']],
    ['a stamp in part', [SEEN, 'L1', '', '', '']],
    ['a number for a level', [SEEN, 1, '12/45', 'default@7', '']],
  ])('drops %s but keeps the rest of the entry', (_, value) => {
    expect(decodeState(value, undefined)?.state).toEqual({
      firstSeenAt: SEEN,
      stamp: undefined,
      lastErrorLoggedAt: undefined,
      awaits: undefined,
    });
  });

  it('drops a log time that is no time and each awaited ref no entity could have', () => {
    expect(
      decodeState(
        [
          SEEN,
          '',
          '',
          '',
          'later',
          'system:default/checkout',
          5,
          'system:default/x'.repeat(40),
          'not a ref',
        ],
        undefined,
      )?.state,
    ).toEqual({
      firstSeenAt: SEEN,
      stamp: undefined,
      lastErrorLoggedAt: undefined,
      awaits: ['system:default/checkout'],
    });
  });

  it('rebuilds the stamp from its three values: nothing else a legacy entry holds reaches the entity', () => {
    const decoded = decodeState(undefined, {
      firstSeenAt: SEEN,
      stamp: {
        labels: {
          'ops.example.com/maturity-level': 'L2',
          'not a key!!': 'x',
        },
        annotations: {
          'ops.example.com/scorecard-score': '5/5',
          'ops.example.com/scorecard-standard': 'default@7',
          'other/annotation': 'y',
        },
      },
    });
    expect(decoded?.state.stamp).toEqual(stampOf('L2', '5/5', 'default@7'));
  });
});
