import fc from 'fast-check';
import { connectionBudget } from './connectionBudget';
import {
  displays,
  expectErrors,
  expectOk,
  output,
  vectorContext,
} from '../testing/vectorContext';

const run = (input: object) => connectionBudget.compute(input, vectorContext());
const T40 = {
  maxConnections: 500,
  headroomPercent: 20,
  superuserReserved: 3,
  operationalReserve: 10,
  clients: [
    { name: 'web', maxInstances: 50, poolSize: 5 },
    { name: 'worker', maxInstances: 10, poolSize: 5 },
  ],
};

describe('C10 connection-budget vectors (§4)', () => {
  it('T40 fits with 87 spare', () => {
    const r = expectOk(run(T40));
    expect(
      displays(r, [
        'usable',
        'demand',
        'spare',
        'utilisationPercent',
        'clients[0].maxSafeInstances',
        'clients[1].maxSafeInstances',
        'clients[0].maxSafePool',
        'clients[1].maxSafePool',
      ]),
    ).toEqual({
      usable: '387',
      demand: '300',
      spare: '87',
      utilisationPercent: '60.0',
      'clients[0].maxSafeInstances': '67',
      'clients[1].maxSafeInstances': '27',
      'clients[0].maxSafePool': '6',
      'clients[1].maxSafePool': '13',
    });
    expect(r.recommendation).toMatchObject({
      code: 'R-CONN-FITS',
      severity: 'do',
      sentence: 'Fits: 300 of 387 usable connections, 87 spare.',
    });
  });

  it('T41 a 100 % rollout surge exhausts connections', () => {
    const r = expectOk(
      run({
        ...T40,
        clients: [
          { ...T40.clients[0], rolloutSurgePercent: 100 },
          T40.clients[1],
        ],
      }),
    );
    expect(
      displays(r, [
        'clients[0].peak',
        'demand',
        'spare',
        'utilisationPercent',
        'clients[0].maxSafeInstances',
        'clients[1].maxSafeInstances',
        'clients[0].maxSafePool',
      ]),
    ).toEqual({
      'clients[0].peak': '100',
      demand: '550',
      spare: '-163',
      utilisationPercent: '110.0',
      'clients[0].maxSafeInstances': '33',
      'clients[1].maxSafeInstances': '0',
      'clients[0].maxSafePool': '3',
    });
    expect(r.recommendation).toMatchObject({
      code: 'R-CONN-EXHAUSTION',
      severity: 'blocked',
      sentence:
        'Connection exhaustion: at full scale clients can open 550 connections against a limit of 500.',
    });
    expect(r.warnings).toContainEqual({
      kind: 'rule',
      subject: 'R-CONN-OVER-BUDGET',
      message: 'Over budget by 163: cap web at 33 instances or pool 3.',
    });
  });

  it('T42 headroom above 90 %', () => {
    expect(expectErrors(run({ ...T40, headroomPercent: 95 }))).toEqual([
      {
        input: 'headroomPercent',
        code: 'out_of_range',
        message: 'headroomPercent must be between 0 and 90 % (got 95).',
      },
    ]);
  });

  it('names nested client fields in errors', () => {
    expect(
      expectErrors(
        run({
          ...T40,
          clients: [{ name: 'web', maxInstances: 5, poolSize: 0 }],
        }),
      ),
    ).toEqual([
      {
        input: 'clients[0].poolSize',
        code: 'out_of_range',
        message: 'clients[0].poolSize must be between 1 and 1000 (got 0).',
      },
    ]);
  });

  it.each([
    ['missing', {}, 'required', 'clients[0].name is required.'],
    ['empty', { name: '' }, 'required', 'clients[0].name is required.'],
    ['blank', { name: '  ' }, 'required', 'clients[0].name is required.'],
    [
      'not text',
      { name: 7 },
      'out_of_range',
      'clients[0].name must be text (got 7).',
    ],
  ])('a client name that is %s is a §0 error', (_case, name, code, message) => {
    expect(
      expectErrors(
        run({
          ...T40,
          clients: [{ ...name, maxInstances: 5, poolSize: 1 }],
        }),
      ),
    ).toEqual([{ input: 'clients[0].name', code, message }]);
  });

  it.each([
    // [rows, errors]: §2 C10 allows 0–50 client rows; the error reads like every other range error.
    [50, []],
    [
      51,
      [
        {
          input: 'clients',
          code: 'out_of_range',
          message: 'clients must be between 0 and 50 rows (got 51).',
        },
      ],
    ],
  ])('%s client rows → %j', (rows, errors) => {
    const outcome = run({
      maxConnections: 100_000,
      clients: Array.from({ length: rows }, (_, i) => ({
        name: `c${i}`,
        maxInstances: 1,
        poolSize: 1,
      })),
    });
    expect(outcome.ok ? [] : outcome.errors).toEqual(errors);
  });

  it.each([[{}], [{ clients: [] }]])(
    'without a client nothing is called fitting (%j)',
    extra => {
      const r = expectOk(
        run({ maxConnections: 500, headroomPercent: 20, ...extra }),
      );
      expect(r.recommendation.severity).toBe('info');
      expect(r.recommendation.sentence).toBe(
        "No clients counted: 387 usable connections, none budgeted yet. List each client's pool and instances (on the database's page its dependent Components are added).",
      );
      expect(r.recommendation.sentence).not.toContain('Fits');
    },
  );

  it('reserves above the limit are inconsistent', () => {
    expect(
      expectErrors(run({ maxConnections: 10, operationalReserve: 20 }))[0],
    ).toEqual({
      input: 'maxConnections',
      code: 'inconsistent',
      message: 'reserves and headroom exceed maxConnections.',
    });
  });
});

describe('C10 exact arithmetic (§0: no floats)', () => {
  const noReserves = { superuserReserved: 0, operationalReserve: 0 };
  const surging = {
    maxConnections: 100_000,
    headroomPercent: 0,
    ...noReserves,
    clients: [
      {
        name: 'web',
        maxInstances: 500,
        poolSize: 1,
        rolloutSurgePercent: '32.2',
      },
    ],
  };
  // Each case is one where float arithmetic lands a hair beside the integer and floor/ceil jump.
  it.each([
    // floor(500 × 64.6 / 100) = 323; floats give 322.99999999999994 → 322
    [
      'headroom 35.4 % of 500',
      { maxConnections: 500, headroomPercent: '35.4', ...noReserves },
      'usable',
      '323',
    ],
    // 500 + ceil(500 × 32.2 / 100) = 500 + 161; floats give 161.00000000000003 → 162
    ['surge 32.2 % of 500 instances', surging, 'clients[0].peak', '661'],
    ['surge 32.2 % of 500 instances', surging, 'demand', '661'],
  ])('%s → %s %s', (_label, input, outputId, expected) => {
    expect(output(expectOk(run(input)), outputId).exact).toBe(expected);
  });

  it('the largest safe instance count uses the exact surge too', () => {
    // n = 500 peaks at exactly 661, so a budget of 661 admits 500 instances.
    const r = expectOk(
      run({
        maxConnections: 661,
        headroomPercent: 0,
        ...noReserves,
        clients: [
          {
            name: 'web',
            maxInstances: 1,
            poolSize: 1,
            rolloutSurgePercent: '32.2',
          },
        ],
      }),
    );
    expect(output(r, 'clients[0].maxSafeInstances').exact).toBe('500');
  });
});

describe('C10 properties', () => {
  const client = fc.record({
    name: fc.constantFrom('a', 'b', 'c'),
    maxInstances: fc.integer({ min: 0, max: 200 }),
    poolSize: fc.integer({ min: 1, max: 50 }),
    rolloutSurgePercent: fc.integer({ min: 0, max: 100 }),
  });
  it('demand non-decreasing in instances, pool and surge; maxSafe non-increasing in others’ demand and headroom', () => {
    fc.assert(
      fc.property(
        fc.array(client, { minLength: 2, maxLength: 4 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 45 }),
        fc.integer({ min: 0, max: 45 }),
        (clients, bump, h1, h2) => {
          const base = {
            maxConnections: 100_000,
            headroomPercent: 20,
            clients,
          };
          const demand = (cs: typeof clients) =>
            Number(
              output(expectOk(run({ ...base, clients: cs })), 'demand').exact,
            );
          const bumped = (
            key: 'maxInstances' | 'poolSize' | 'rolloutSurgePercent',
            cap: number,
          ) =>
            clients.map((c, i) =>
              i === 0 ? { ...c, [key]: Math.min(cap, c[key] + bump) } : c,
            );
          const d0 = demand(clients);
          expect(demand(bumped('maxInstances', 10_000))).toBeGreaterThanOrEqual(
            d0,
          );
          expect(demand(bumped('poolSize', 1000))).toBeGreaterThanOrEqual(d0);
          expect(
            demand(bumped('rolloutSurgePercent', 100)),
          ).toBeGreaterThanOrEqual(d0);
          const safe0 = (cs: typeof clients, headroom = 20) =>
            Number(
              output(
                expectOk(
                  run({ ...base, headroomPercent: headroom, clients: cs }),
                ),
                'clients[0].maxSafeInstances',
              ).exact,
            );
          const othersBumped = clients.map((c, i) =>
            i === 1
              ? { ...c, maxInstances: Math.min(10_000, c.maxInstances + bump) }
              : c,
          );
          expect(safe0(othersBumped)).toBeLessThanOrEqual(safe0(clients));
          expect(safe0(clients, Math.max(h1, h2))).toBeLessThanOrEqual(
            safe0(clients, Math.min(h1, h2)),
          );
        },
      ),
      { numRuns: 80 },
    );
  });
});

describe('C10 output labels say what each per-client figure counts', () => {
  it('max safe instances is before the rollout surge, not comparable with the peak', () => {
    // order-service on orders-db: 8 instances + 25 % surge = 10 at peak; at most 9 of the setting fit.
    const r = expectOk(
      run({
        maxConnections: 400,
        clients: [
          {
            name: 'order-service',
            maxInstances: 8,
            poolSize: 25,
            rolloutSurgePercent: 25,
          },
        ],
      }),
    );
    expect(
      r.outputs
        .filter(o => o.id.startsWith('clients[0]'))
        .map(o => [o.label, o.display]),
    ).toEqual([
      [
        'order-service: peak instances during a rollout (max instances + surge)',
        '10',
      ],
      ['order-service: connections', '250'],
      ['order-service: max safe instances (before rollout surge)', '9'],
      ['order-service: max safe pool (at peak instances)', '30'],
    ]);
  });

  it("says the superuser reserve's default is PostgreSQL's", () => {
    expect(expectOk(run(T40)).caveats).toContain(
      "The superuser reserve defaults to PostgreSQL's superuser_reserved_connections (postgres.superuser-reserved); for another engine enter its own reserve.",
    );
  });
});
