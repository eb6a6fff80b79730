import { databaseExpiries } from './databaseExpiry';
import type { LedgerEntry } from './recorded';

const DB = 'resource:default/cart-db-dev';

function entry(
  overrides: {
    kind?: string;
    status?: string;
    expiresOn?: unknown;
    register?: 'done' | 'compensated' | 'none';
  } = {},
): LedgerEntry {
  const register = overrides.register ?? 'done';
  return {
    request: {
      requestKey: 'postgres-database:cart-db:dev',
      kind: overrides.kind ?? 'database',
      status: overrides.status ?? 'succeeded',
      request: {
        name: 'cart-db',
        environment: 'dev',
        ...('expiresOn' in overrides
          ? { expiresOn: overrides.expiresOn }
          : { expiresOn: '2026-11-30' }),
      },
      createdAt: '2026-11-01T10:00:00.000Z',
    },
    steps:
      register === 'none'
        ? []
        : [
            {
              stepId: 'register',
              action: 'goldenpath:register',
              status: register,
              output: { entityRef: 'Resource:default/Cart-DB-Dev' },
            },
          ],
  } as unknown as LedgerEntry;
}

describe('databaseExpiries (§8 step 4)', () => {
  it.each([
    ['eight days before', '2026-11-21T23:59:59.999Z', undefined, undefined],
    [
      'just before the seventh day',
      '2026-11-22T23:59:59.999Z',
      undefined,
      undefined,
    ],
    ['seven days before the day begins', '2026-11-23T00:00:00.000Z', 'soon', 7],
    ['during the seventh day before', '2026-11-23T10:00:00.000Z', 'soon', 7],
    ['the evening before', '2026-11-29T18:00:00.000Z', 'soon', 1],
    ['the day itself, 00:00 UTC', '2026-11-30T00:00:00.000Z', 'expired', 0],
    ['weeks after', '2026-12-24T00:00:00.000Z', 'expired', 0],
  ])('%s: %s → %s', (_, now, phase, daysLeft) => {
    const flags = databaseExpiries([entry()], now);
    expect(flags).toEqual(
      phase
        ? [
            {
              requestKey: 'postgres-database:cart-db:dev',
              // the Resource the request registered, in the form refs are compared in
              entityRef: DB,
              expiresOn: '2026-11-30',
              phase,
              daysLeft,
            },
          ]
        : [],
    );
  });

  it.each([
    ['a service request', entry({ kind: 'service' })],
    ['a failed request', entry({ status: 'failed' })],
    ['no expiresOn', entry({ expiresOn: undefined })],
    ['an expiresOn that is no date', entry({ expiresOn: '30.11.2026' })],
    ['an impossible date', entry({ expiresOn: '2026-02-31' })],
    ['a Resource compensation took back', entry({ register: 'compensated' })],
    ['no Resource registered', entry({ register: 'none' })],
  ])('flags nothing for %s', (_, e) => {
    expect(databaseExpiries([e], '2026-12-24T00:00:00.000Z')).toEqual([]);
  });
});
