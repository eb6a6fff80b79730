import { Entity } from '@backstage/catalog-model';
import {
  baselineWorld,
  edge,
  takeEntity,
  World,
} from '../../__fixtures__/baselineWorld';
import { evaluateWorld } from '../../__fixtures__/evaluateWorld';
import { compileWith } from '../../__fixtures__/standards';
import { before } from '../../__fixtures__/time';

/** `retirement-on-track` (scorecards §4, SR32): who still uses a deprecated entity. */

const standard = compileWith();
const REF_API = 'component:default/ref-api';
const REF_HTTP = 'api:default/ref-http';

function deprecate(w: World, retireBy: string) {
  (w.entity.spec as Record<string, unknown>).lifecycle = 'deprecated';
  w.entity.metadata.annotations = {
    ...w.entity.metadata.annotations,
    'ops.example.com/retire-by': retireBy,
    'ops.example.com/replaced-by': 'none',
  };
}

function component(name: string, spec: Record<string, unknown>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/ref-team',
      ...spec,
    },
  };
}

function prometheus(w: World, status: 'ok' | 'unavailable' | 'disabled') {
  w.sourceHealth = w.sourceHealth.map(h =>
    h.source === 'prometheus' ? { ...h, status, since: before({ h: 30 }) } : h,
  );
}

function retirement(change: (w: World) => void) {
  const w = baselineWorld();
  change(w);
  return evaluateWorld(w, standard).results.find(
    r => r.checkId === 'retirement-on-track',
  )!;
}

describe('retirement-on-track', () => {
  it.each<[string, (w: World) => void, string, string, string]>([
    [
      'a deprecated API past retire-by with a declared consumer',
      w => {
        takeEntity(w, 'API', 'ref-http');
        deprecate(w, '2026-03-01');
        w.others.push(component('ref-consumer', { consumesApis: [REF_HTTP] }));
      },
      'fail',
      'RETIREMENT_OVERDUE',
      'ref-consumer',
    ],
    [
      'a deprecated API before retire-by with a declared consumer',
      w => {
        takeEntity(w, 'API', 'ref-http');
        deprecate(w, '2026-06-30');
        w.others.push(
          component('ref-consumer', { consumesApis: ['ref-http'] }),
        );
      },
      'pass',
      'PASS',
      '1 consumer remains: ref-consumer',
    ],
    [
      'a deprecated API past retire-by that nobody consumes',
      w => {
        takeEntity(w, 'API', 'ref-http');
        deprecate(w, '2026-03-01');
      },
      'pass',
      'PASS',
      'no consumer left',
    ],
  ])('%s', (_label, change, state, reason, text) => {
    const r = retirement(change);
    expect(r).toMatchObject({ state, reason });
    expect(r.message).toContain(text);
  });

  it.each<
    [string, (w: World) => void, string, string, 'service' | 'platform' | null]
  >([
    [
      'only stale edges and the edge source unavailable',
      w => {
        w.edges = w.edges.map(e => ({ ...e, lastSeen: before({ h: 30 }) }));
        prometheus(w, 'unavailable');
      },
      'unknown',
      'SOURCE_UNAVAILABLE',
      'platform',
    ],
    [
      'no edges and the edge source disabled',
      w => {
        w.edges = [];
        prometheus(w, 'disabled');
      },
      'unknown',
      'SOURCE_UNAVAILABLE',
      'platform',
    ],
    [
      'no edges and a healthy edge source (nothing calls it)',
      w => (w.edges = []),
      'pass',
      'PASS',
      null,
    ],
    [
      'a fresh edge seen before the outage (fresh evidence stays fresh)',
      w => prometheus(w, 'unavailable'),
      'pass',
      'PASS',
      null,
    ],
    [
      'a declared dependent while the edge source is unavailable (a fresh fail first)',
      w => {
        w.edges = [];
        prometheus(w, 'unavailable');
        w.others.push(component('late-caller', { dependsOn: [REF_API] }));
      },
      'fail',
      'RETIREMENT_OVERDUE',
      'service',
    ],
  ])('past retire-by with %s', (_label, change, state, reason, attribution) => {
    const r = retirement(w => {
      deprecate(w, '2026-03-01');
      change(w);
    });
    expect(r).toMatchObject({ state, reason, attribution });
    expect(r.missing.map(m => [m.source, m.kind, m.cause])).toEqual(
      state === 'unknown'
        ? [['prometheus', 'observed.edges', 'source-unavailable']]
        : [],
    );
  });

  it('before retire-by it passes during an edge outage, saying callers are not known', () => {
    const r = retirement(w => {
      deprecate(w, '2026-06-30');
      w.edges = [];
      prometheus(w, 'unavailable');
    });
    expect(r.state).toBe('pass');
    expect(r.message).toContain('observed callers unknown');
  });

  it('SC9b still names the caller observed through a fresh edge', () => {
    const r = retirement(w => {
      deprecate(w, '2026-03-01');
      w.edges.push(
        edge('component:default/ref-consumer', REF_API, {
          fromName: 'ref-consumer',
          toName: 'ref',
        }),
      );
    });
    expect(r).toMatchObject({ state: 'fail', reason: 'RETIREMENT_OVERDUE' });
    expect(r.message).toContain('1 observed caller (ref-consumer)');
  });

  describe('with a stale catalog snapshot (SR23)', () => {
    const staleSnapshot = (w: World) => (w.refreshedAt = before({ m: 11 }));
    const caller = (w: World) =>
      w.edges.push(
        edge('component:default/ref-consumer', REF_API, {
          fromName: 'ref-consumer',
          toName: 'ref',
        }),
      );

    it('past retire-by, a caller seen through a fresh edge still fails it (a fresh fail first)', () => {
      const r = retirement(w => {
        deprecate(w, '2026-03-01');
        caller(w);
        staleSnapshot(w);
      });
      expect(r).toMatchObject({ state: 'fail', reason: 'RETIREMENT_OVERDUE' });
      expect(r.message).toContain(
        '1 observed caller (ref-consumer) remain (declared dependents unknown: the catalog snapshot is stale)',
      );
    });

    it('past retire-by without a fresh caller, or before it, the answer is unknown', () => {
      for (const retireBy of ['2026-03-01', '2026-06-30']) {
        const r = retirement(w => {
          deprecate(w, retireBy);
          w.edges = [];
          staleSnapshot(w);
        });
        expect(r.state).toBe('unknown');
      }
      // before retire-by even a fresh caller decides nothing: the check passes by date, which
      // the stale snapshot does not let it say with its count
      expect(
        retirement(w => {
          deprecate(w, '2026-06-30');
          caller(w);
          staleSnapshot(w);
        }).state,
      ).toBe('unknown');
    });
  });
});
