import type { ObservedEdge } from '@internal/plugin-evidence-common';
import { unmappedNames } from './unmappedNames';

const edge = (
  client: string,
  clientRef: string | null,
  server: string,
  serverRef: string | null,
  lastSeen = '2026-03-14T01:00:00.000Z',
  source = 'mesh',
): ObservedEdge =>
  ({ client, clientRef, server, serverRef, lastSeen, source } as ObservedEdge);

const CHECKOUT = 'component:default/checkout-service';
const GATEWAY = 'component:default/api-gateway';

describe('unmappedNames (§5.1, R16)', () => {
  it('lists each unmapped name once with its sides, counts, newest sighting and counterparts', () => {
    const edges = [
      edge('checkout', CHECKOUT, 'tax-svc', null),
      edge(
        'gateway',
        GATEWAY,
        'tax-svc',
        null,
        '2026-03-14T02:00:00.000Z',
        'prometheus',
      ),
      edge('checkout', CHECKOUT, 'tax-svc', null),
      // both sides unknown: each is listed, with the other as a counterpart without ref
      edge('batch-job', null, 'tax-svc', null),
      // mapped on both sides: not listed
      edge('gateway', GATEWAY, 'checkout', CHECKOUT),
    ];
    const names = unmappedNames(edges);
    expect(names).toEqual([
      {
        name: 'tax-svc',
        seenAs: ['server'],
        edges: 4,
        lastSeen: '2026-03-14T02:00:00.000Z',
        sources: ['mesh', 'prometheus'],
        counterparts: [
          { name: 'checkout', ref: CHECKOUT, edges: 2 },
          { name: 'batch-job', ref: null, edges: 1 },
          { name: 'gateway', ref: GATEWAY, edges: 1 },
        ],
      },
      {
        name: 'batch-job',
        seenAs: ['client'],
        edges: 1,
        lastSeen: '2026-03-14T01:00:00.000Z',
        sources: ['mesh'],
        counterparts: [{ name: 'tax-svc', ref: null, edges: 1 }],
      },
    ]);
    // the input order changes nothing
    expect(unmappedNames([...edges].reverse())).toEqual(names);
  });

  it('is empty when every name maps', () => {
    expect(
      unmappedNames([edge('gateway', GATEWAY, 'checkout', CHECKOUT)]),
    ).toEqual([]);
  });
});
