import {
  buildShareLink,
  decodeShareQuery,
  encodeShareQuery,
  priceBookMismatchNotice,
} from './shareQuery';
import { connectionBudget } from '../calculators/connectionBudget';
import { rightsizeP95 } from '../calculators/rightsizeP95';
import { expectOk, output, vectorContext } from '../testing/vectorContext';

describe('share links', () => {
  const state = {
    calculatorId: 'connection-budget' as const,
    inputs: {
      maxConnections: 500,
      headroomPercent: 20,
      clients: [
        { name: 'web', maxInstances: 50, poolSize: 5, rolloutSurgePercent: 0 },
        { name: 'worker', maxInstances: 10, poolSize: 5 },
      ],
    },
    priceBookVersion: '2026.11.0+acme-ea',
    asOf: '2026-11-23',
    entityRef: 'resource:default/orders-db',
  };

  it('encodes inputs compactly and round-trips them through the calculator', () => {
    const query = encodeShareQuery(state);
    expect(query).toBe(
      'v=1&pb=2026.11.0%2Bacme-ea&asOf=2026-11-23&entity=resource%3Adefault%2Forders-db&maxConnections=500&headroomPercent=20&clients=web%3A50%3A5%3A0%2Cworker%3A10%3A5%3A0',
    );
    const decoded = decodeShareQuery('connection-budget', `?${query}&bogus=1`);
    expect(decoded).toMatchObject({
      priceBookVersion: '2026.11.0+acme-ea',
      asOf: '2026-11-23',
      entityRef: 'resource:default/orders-db',
      unknownParams: ['bogus'],
    });
    const r = expectOk(
      connectionBudget.compute(decoded.inputs, vectorContext()),
    );
    expect(output(r, 'demand').display).toBe('300');
  });

  it.each([
    // [query, inputs used, conflicting parameters, asOf used]
    [
      'asOf=2026-11-23&currentMonthly=100&currentMonthly=10000&p95CpuPercent=10',
      { p95CpuPercent: '10' },
      ['currentMonthly'],
      '2026-11-23',
    ],
    [
      'asOf=2026-11-23&currentMonthly=100&currentMonthly=100&p95CpuPercent=10',
      { currentMonthly: '100', p95CpuPercent: '10' },
      [],
      '2026-11-23',
    ],
    [
      'asOf=2026-11-23&asOf=2025-01-01&p95CpuPercent=10&p95CpuPercent=90&p95CpuPercent=10',
      {},
      ['asOf', 'p95CpuPercent'],
      undefined,
    ],
  ])(
    'a link repeating a parameter with different values uses neither and names it (%s)',
    (query, inputs, conflicting, asOf) => {
      const decoded = decodeShareQuery('rightsize-p95', query);
      expect(decoded.inputs).toEqual(inputs);
      expect(decoded.conflictingParams).toEqual(conflicting);
      expect(decoded.asOf).toBe(asOf);
      expect(decoded.unknownParams).toEqual([]);
    },
  );

  it.each([
    // [calculator, query, inputs used]
    [
      'rightsize-p95',
      'currentMonthly=&p95CpuPercent=10',
      { p95CpuPercent: '10' },
    ],
    [
      'rightsize-p95',
      'currentMonthly=%20%20&p95CpuPercent=10',
      { p95CpuPercent: '10' },
    ],
    ['failover-rto', 'service=&sameIpFailover=yes', { sameIpFailover: 'yes' }],
    ['provisioning-estimate', 'ha=', {}],
    [
      'connection-budget',
      'clients=&maxConnections=500',
      { maxConnections: '500' },
    ],
  ] as const)(
    'takes a blank value as no value, whatever the input (%s: %s)',
    (calculatorId, query, inputs) => {
      const decoded = decodeShareQuery(calculatorId, query);
      expect(decoded.inputs).toEqual(inputs);
      expect(decoded.unknownParams).toEqual([]);
      expect(decoded.conflictingParams).toEqual([]);
    },
  );

  it('carries the inputs the author emptied, and only inputs of the calculator that are empty', () => {
    const query = encodeShareQuery({
      ...state,
      inputs: { ...state.inputs, headroomPercent: undefined },
      cleared: ['headroomPercent', 'maxConnections', 'bogus'],
    });
    // maxConnections has a value: not cleared; bogus is no input of this calculator
    expect(new URLSearchParams(query).get('cleared')).toBe('headroomPercent');
    expect(decodeShareQuery('connection-budget', query).cleared).toEqual([
      'headroomPercent',
    ]);
    expect(
      decodeShareQuery('connection-budget', 'cleared=headroomPercent,nope')
        .cleared,
    ).toEqual(['headroomPercent']);
    expect(decodeShareQuery('connection-budget', '').cleared).toEqual([]);
  });

  it('takes blank link parameters besides the inputs as not given', () => {
    const decoded = decodeShareQuery(
      'rightsize-p95',
      'v=1&pb=&asOf=%20&entity=&p95CpuPercent=10',
    );
    expect(decoded).toEqual({
      inputs: { p95CpuPercent: '10' },
      cleared: [],
      unknownParams: [],
      conflictingParams: [],
    });
  });

  it('uses the one value of a parameter also given blank', () => {
    const decoded = decodeShareQuery(
      'rightsize-p95',
      'currentMonthly=&currentMonthly=100&currentMonthly=',
    );
    expect(decoded.inputs).toEqual({ currentMonthly: '100' });
    expect(decoded.conflictingParams).toEqual([]);
  });

  it('invalid link values surface as field errors', () => {
    const decoded = decodeShareQuery(
      'connection-budget',
      'maxConnections=lots',
    );
    const outcome = connectionBudget.compute(decoded.inputs, vectorContext());
    expect(outcome.ok).toBe(false);
  });

  it.each([
    ['constructor'],
    ['__proto__'],
    ['toString'],
    ['hasOwnProperty'],
    ['valueOf'],
  ])('keeps %s as the text typed (no inherited Object property)', name => {
    const decoded = decodeShareQuery(
      'rightsize-p95',
      `currentMonthly=${name}&p95CpuPercent=10`,
    );
    expect(decoded.inputs).toEqual({
      currentMonthly: name,
      p95CpuPercent: '10',
    });
  });

  it('a link value named like an Object property is a field error naming it', () => {
    const decoded = decodeShareQuery(
      'rightsize-p95',
      'currentMonthly=constructor&p95CpuPercent=10&p95MemoryPercent=10',
    );
    const outcome = rightsizeP95.compute(decoded.inputs, vectorContext());
    expect(outcome.ok ? [] : outcome.errors).toEqual([
      {
        input: 'currentMonthly',
        code: 'out_of_range',
        message:
          'currentMonthly must be a plain number such as 1000 or 0.5, without thousands separators or units (got constructor).',
      },
    ]);
  });

  it.each([
    ['true', true],
    ['false', false],
    ['TRUE', 'TRUE'],
  ])('decodes %s as %j', (raw, expected) => {
    expect(
      decodeShareQuery('provisioning-estimate', `ha=${raw}`).inputs.ha,
    ).toBe(expected);
  });

  it('builds the URL and checks the 2,000-character limit', () => {
    const { url, tooLong } = buildShareLink(
      'https://portal.example.com/',
      state,
    );
    expect(
      url.startsWith(
        'https://portal.example.com/cost-calculators/connection-budget?v=1&pb=',
      ),
    ).toBe(true);
    expect(tooLong).toBe(false);
    const many = {
      ...state,
      inputs: {
        ...state.inputs,
        clients: Array.from({ length: 50 }, (_, i) => ({
          name: `client-with-a-long-name-${i}`,
          maxInstances: 1000,
          poolSize: 100,
        })),
      },
    };
    expect(buildShareLink('https://portal.example.com', many).tooLong).toBe(
      true,
    );
  });

  it('notices a different price book', () => {
    expect(priceBookMismatchNotice('2026.11.0', '2026.11.0+acme-ea')).toBe(
      'Link computed with 2026.11.0; recomputed with 2026.11.0+acme-ea.',
    );
    expect(priceBookMismatchNotice('2026.11.0', '2026.11.0')).toBeNull();
  });

  it('keeps client names with commas, colons and percent signs through a round trip', () => {
    const clients = [
      {
        name: 'web, eu',
        maxInstances: 50,
        poolSize: 5,
        rolloutSurgePercent: 0,
      },
      {
        name: 'pgbouncer:orders',
        maxInstances: 10,
        poolSize: 5,
        rolloutSurgePercent: 25,
      },
      {
        name: '100% batch',
        maxInstances: 1,
        poolSize: 2,
        rolloutSurgePercent: 0,
      },
    ];
    const query = encodeShareQuery({
      calculatorId: 'connection-budget',
      inputs: { maxConnections: 500, clients },
      priceBookVersion: '2026.11.0',
      asOf: '2026-11-23',
    });
    const decoded = decodeShareQuery('connection-budget', query).inputs
      .clients as Record<string, unknown>[];
    expect(decoded.map(c => c.name)).toEqual([
      'web, eu',
      'pgbouncer:orders',
      '100% batch',
    ]);
    expect(decoded.map(c => c.rolloutSurgePercent)).toEqual(['0', '25', '0']);
  });

  it('reads a hand-written client name that is not percent-encoding as typed', () => {
    const decoded = decodeShareQuery(
      'connection-budget',
      'clients=50%25off:1:2:0',
    ).inputs.clients as Record<string, unknown>[];
    expect(decoded[0].name).toBe('50%off');
  });
});
