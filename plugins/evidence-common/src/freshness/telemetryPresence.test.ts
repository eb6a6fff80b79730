import { telemetryPresence } from './telemetryPresence';
import { makeFact } from './testFacts';

const ref = 'component:default/web-storefront';
const now = '2026-03-14T02:05:00.000Z';
const presence = (series: unknown[], observedAt = '2026-03-14T02:01:00.000Z') =>
  makeFact({
    entityRef: ref,
    kind: 'telemetry.presence',
    source: 'prometheus',
    freshForSeconds: 86400,
    observedAt,
    value: { aliases: ['storefront'], series: series as never },
  });
const edge = (
  lastSeen: string,
  clientRef: string | null = ref,
  serverRef: string | null = 'component:default/api-gateway',
) => ({
  clientRef,
  serverRef,
  lastSeen,
});

describe('telemetryPresence (§5.2, R-5, EV22)', () => {
  it.each<
    [string, ReturnType<typeof makeFact>[], ReturnType<typeof edge>[], object]
  >([
    [
      'a fresh series and no edge → present (series)',
      [presence([{ alias: 'storefront', lastSampleAt: now }])],
      [],
      { state: 'present', basis: 'series' },
    ],
    [
      'a fresh edge and no series → present (edge)',
      [],
      [edge('2026-03-14T02:01:00.000Z')],
      { state: 'present', basis: 'edge' },
    ],
    [
      'being the server of a fresh edge counts',
      [],
      [edge('2026-03-14T02:01:00.000Z', 'component:default/x', ref)],
      { state: 'present', basis: 'edge' },
    ],
    [
      'a fresh empty presence fact and no fresh edge → absent',
      [presence([])],
      [],
      { state: 'absent' },
    ],
    [
      'a fresh empty presence fact and a fresh edge → present (edge)',
      [presence([])],
      [edge('2026-03-14T02:01:00.000Z')],
      { state: 'present', basis: 'edge' },
    ],
    ['nothing → unknown', [], [], { state: 'unknown' }],
    [
      'a stale empty presence fact → unknown',
      [presence([], '2026-03-13T02:04:59.000Z')],
      [],
      { state: 'unknown' },
    ],
    [
      'a stale series → unknown',
      [
        presence(
          [{ alias: 'storefront', lastSampleAt: now }],
          '2026-03-12T00:00:00.000Z',
        ),
      ],
      [],
      { state: 'unknown' },
    ],
    [
      'an edge seen exactly 24 h ago is fresh',
      [],
      [edge('2026-03-13T02:05:00.000Z')],
      { state: 'present', basis: 'edge' },
    ],
    [
      'an edge seen 24 h + 1 s ago is stale → unknown',
      [],
      [edge('2026-03-13T02:04:59.000Z')],
      { state: 'unknown' },
    ],
    [
      'a mapped self-loop does not count',
      [presence([])],
      [edge('2026-03-14T02:01:00.000Z', ref, ref)],
      { state: 'absent' },
    ],
    [
      'other entities’ facts are ignored',
      [
        {
          ...presence([{ alias: 'x', lastSampleAt: now }]),
          entityRef: 'component:default/x',
        },
      ],
      [],
      { state: 'unknown' },
    ],
  ])('%s', (_name, facts, edges, expected) => {
    expect(telemetryPresence(ref, facts, edges, now)).toEqual(expected);
  });
});
