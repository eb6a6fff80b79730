import { AliasResolution, normalizeEdge } from './normalizeEdge';
import { edgeObservation } from './edgeObservation';
import { mergeEdgeObservation } from './mergeEdgeObservation';

// Demo alias map (incident-brief §7): telemetry name → entity ref; `contested` is void.
const aliases: Record<string, AliasResolution> = {
  orders: { ref: 'component:default/order-service' },
  notifier: { ref: 'component:default/notification-worker' },
  checkout: { ref: 'component:default/checkout-service' },
  checkout_pg: { ref: 'resource:default/checkout-db' },
  'checkout-2': { ref: 'component:default/checkout-service' },
  contested: { ref: null, conflict: true },
};
const resolve = (name: string): AliasResolution =>
  aliases[name] ?? { ref: null };

describe('normalizeEdge (§2.4, EV20, IB R15, R16)', () => {
  it.each<
    [
      string,
      {
        client: string;
        server: string;
        connectionType: '' | 'messaging_system' | 'database' | 'virtual_node';
      },
      object,
    ]
  >([
    [
      'messaging runs consumer → producer, async',
      {
        client: 'orders',
        server: 'notifier',
        connectionType: 'messaging_system',
      },
      {
        dependentRef: 'component:default/notification-worker',
        dependencyRef: 'component:default/order-service',
        interaction: 'async',
        unmapped: [],
        aliasConflict: false,
        selfLoop: false,
      },
    ],
    [
      'database is a sync client → server edge',
      { client: 'checkout', server: 'checkout_pg', connectionType: 'database' },
      {
        dependentRef: 'component:default/checkout-service',
        dependencyRef: 'resource:default/checkout-db',
        interaction: 'sync',
      },
    ],
    [
      'an unmapped server stays on the mapped side',
      { client: 'checkout', server: 'tax-svc', connectionType: '' },
      {
        clientRef: 'component:default/checkout-service',
        serverRef: null,
        dependentRef: 'component:default/checkout-service',
        dependencyRef: null,
        unmapped: ['server'],
        aliasConflict: false,
      },
    ],
    [
      'a void alias is unmapped and flagged',
      { client: 'contested', server: 'checkout', connectionType: '' },
      {
        clientRef: null,
        unmapped: ['client'],
        aliasConflict: true,
      },
    ],
    [
      'two names of one entity are a mapped self-loop',
      {
        client: 'checkout',
        server: 'checkout-2',
        connectionType: 'virtual_node',
      },
      {
        selfLoop: true,
        interaction: 'sync',
      },
    ],
  ])('%s', (_name, record, expected) => {
    const result = normalizeEdge(record, resolve);
    expect(result).toMatchObject(expected);
  });

  it.each([
    ['raw client = server is never stored', 'checkout', 'checkout'],
    [
      'raw names differing only in case are a self-loop',
      'Checkout',
      'checkout',
    ],
  ])('%s', (_name, client, server) => {
    expect(
      normalizeEdge({ client, server, connectionType: '' }, resolve),
    ).toBeUndefined();
  });
});

describe('edgeObservation (§5.3)', () => {
  const asOf = '2026-03-14T02:05:00.000Z';
  it.each([
    ['2026-03-14T02:04:00.000Z', 'fresh'],
    ['2026-03-13T02:05:00.000Z', 'fresh'],
    ['2026-03-13T02:04:59.999Z', 'stale'],
    ['2026-02-12T02:05:00.000Z', 'stale'],
    ['2026-02-12T02:04:59.999Z', 'expired'],
  ])('lastSeen %s is %s', (lastSeen, expected) => {
    expect(edgeObservation(lastSeen, asOf)).toBe(expected);
  });

  it('honours a shorter consumer window', () => {
    expect(
      edgeObservation('2026-03-14T01:00:00.000Z', asOf, {
        freshForSeconds: 600,
      }),
    ).toBe('stale');
  });
});

describe('mergeEdgeObservation (§2.4 upsert)', () => {
  const stored = {
    client: 'a',
    server: 'b',
    connectionType: '' as const,
    source: 'mesh',
    firstSeen: '2026-03-01T00:00:00.000Z',
    lastSeen: '2026-03-10T00:00:00.000Z',
    requestsPerMinute: 10,
    errorRatio: 0.1,
  };
  it.each<[string, object, object]>([
    [
      'a newer observation advances lastSeen and replaces rates',
      {
        ...stored,
        firstSeen: '2026-03-05T00:00:00.000Z',
        lastSeen: '2026-03-12T00:00:00.000Z',
        requestsPerMinute: 60,
        errorRatio: undefined,
      },
      {
        firstSeen: '2026-03-01T00:00:00.000Z',
        lastSeen: '2026-03-12T00:00:00.000Z',
        requestsPerMinute: 60,
      },
    ],
    [
      'an older observation only widens firstSeen',
      {
        ...stored,
        firstSeen: '2026-02-01T00:00:00.000Z',
        lastSeen: '2026-03-02T00:00:00.000Z',
        requestsPerMinute: 1,
        errorRatio: 0.9,
      },
      {
        firstSeen: '2026-02-01T00:00:00.000Z',
        lastSeen: '2026-03-10T00:00:00.000Z',
        requestsPerMinute: 10,
        errorRatio: 0.1,
      },
    ],
  ])('%s', (_name, incoming, expected) => {
    const merged = mergeEdgeObservation(stored, incoming as typeof stored);
    expect(merged).toMatchObject(expected);
  });

  it('drops a rate the newer observation does not carry', () => {
    const merged = mergeEdgeObservation(stored, {
      ...stored,
      lastSeen: '2026-03-12T00:00:00.000Z',
      errorRatio: undefined,
    });
    expect(merged).not.toHaveProperty('errorRatio');
  });
});
