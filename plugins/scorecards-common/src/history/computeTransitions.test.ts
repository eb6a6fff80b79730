import {
  noBurnRules,
  prometheusDown,
  scenario,
  unprotect,
  waiverW1,
} from '../__fixtures__/scenarios';
import type { World } from '../__fixtures__/baselineWorld';
import { T } from '../__fixtures__/time';
import {
  computeTransitions,
  toHistorySnapshot,
  Transition,
} from './computeTransitions';
import { computeTrend } from './computeTrend';
import { hashEntity } from './hashEntity';

function snapshot(s: ReturnType<typeof scenario>) {
  return toHistorySnapshot(s.evaluation, hashEntity(s.world.entity));
}

describe('transitions (§2.10)', () => {
  it('SR22 identical evaluations write nothing', () => {
    expect(
      computeTransitions(snapshot(scenario()), snapshot(scenario()), T),
    ).toEqual([]);
  });

  it('SR22 one changed result writes one row, plus one level row when the level changes', () => {
    const before = snapshot(scenario());
    const rows = computeTransitions(
      before,
      snapshot(
        scenario(
          w =>
            (w.entity.metadata.links = w.entity.metadata.links!.filter(
              l => l.type !== 'dashboard',
            )),
        ),
      ),
      T,
    );
    expect(rows.map(r => [r.checkId, r.from, r.to, r.cause])).toEqual([
      ['dashboard-linked', 'pass', 'fail', 'entity-changed'],
      [null, 'L3', 'L0', 'entity-changed'],
    ]);
    expect(rows.every(r => r.regression)).toBe(true);
    const recommended = computeTransitions(
      before,
      snapshot(
        scenario(
          w =>
            (w.entity.metadata.annotations![
              'ops.example.com/monthly-budget-usd'
            ] = '1'),
        ),
      ),
      T,
    );
    expect(recommended.map(r => r.checkId)).toEqual(['budget-signal']);
  });

  it('SR20 / SC4 an outage drop is cause source-outage and not a regression', () => {
    const rows = computeTransitions(
      snapshot(scenario()),
      snapshot(scenario(prometheusDown)),
      T,
    );
    const level = rows.find(r => r.checkId === null)!;
    expect(level).toMatchObject({
      from: 'L3',
      to: 'L0',
      cause: 'source-outage',
      regression: false,
    });
    expect(
      rows
        .filter(r => r.checkId)
        .every(r => r.cause === 'source-outage' && !r.regression),
    ).toBe(true);
    expect(rows.filter(r => r.checkId)).toHaveLength(7);
  });

  it('SC7 a waiver expiring is cause waiver-changed and a regression', () => {
    const waived = snapshot(
      scenario(w => {
        noBurnRules(w);
        w.waivers.push(waiverW1('2026-04-01T00:00:00Z'));
      }),
    );
    const expired = snapshot(
      scenario(w => {
        noBurnRules(w);
        w.waivers.push(waiverW1('2026-03-13T02:05:00Z'));
      }),
    );
    const rows = computeTransitions(waived, expired, T);
    expect(
      rows.map(r => [r.checkId, r.from, r.to, r.cause, r.regression]),
    ).toEqual([
      ['slo-burn-alert', 'waived', 'fail', 'waiver-changed', true],
      [null, 'L3', 'L2', 'waiver-changed', true],
    ]);
  });

  it('SR21 a check version bump marks transitions standard-changed, not a regression', () => {
    const before = snapshot(scenario());
    const after = snapshot(
      scenario(
        w =>
          (w.entity.metadata.links = w.entity.metadata.links!.filter(
            l => l.type !== 'dashboard',
          )),
        { 'dashboard-linked': { version: 2 } },
      ),
    );
    const rows = computeTransitions(before, after, T);
    expect(rows.map(r => [r.checkId, r.cause, r.regression])).toEqual([
      ['dashboard-linked', 'standard-changed', false],
      [null, 'standard-changed', false],
    ]);
  });

  it('evidence ageing past its window is evidence-aged (platform when the collector is healthy, so no regression)', () => {
    // alerts.rules observed 23 h 59 min before T: fresh at T, stale two minutes after, with
    // nothing else changed and the collector healthy. Two real evaluations: the stale read's
    // record is the one the fresh result used.
    const observed = (w: World) => {
      const f = w.facts.find(x => x.kind === 'alerts.rules')!;
      f.observedAt = f.collectedAt = '2026-03-13T02:06:00Z';
    };
    const fresh = snapshot(scenario(observed));
    const aged = snapshot(
      scenario(w => {
        observed(w);
        w.now = '2026-03-14T02:07:00Z';
      }),
    );
    const result = (s: typeof fresh) =>
      s.results.find(r => r.checkId === 'alerts-defined')!;
    expect([result(fresh).state, result(aged).state]).toEqual([
      'pass',
      'unknown',
    ]);
    expect(result(aged).evidenceObservedAt).toBe(
      result(fresh).evidenceObservedAt,
    );
    const rows = computeTransitions(fresh, aged, '2026-03-14T02:07:00Z');
    expect(rows.find(r => r.checkId === 'alerts-defined')).toMatchObject({
      cause: 'evidence-aged',
      regression: false,
    });
    expect(rows.find(r => r.checkId === null)).toMatchObject({
      from: 'L3',
      to: 'L0',
      regression: false,
    });
  });

  it('the level row takes its cause from a check that can explain the move, not from one that only changed phase', () => {
    // budget-signal (recommended, passing) moves from observe to remediate between the two
    // evaluations, while the team removes the dashboard link (an L3 check).
    const overrides = {
      'budget-signal': {
        rollout: [
          { phase: 'observe', from: '2026-01-01' },
          { phase: 'remediate', from: '2026-03-14T02:04:30Z' },
        ],
      },
    } as Parameters<typeof scenario>[1];
    const before = snapshot(
      scenario(w => {
        w.now = '2026-03-14T02:04:00Z';
      }, overrides),
    );
    const after = snapshot(
      scenario(
        w =>
          (w.entity.metadata.links = w.entity.metadata.links!.filter(
            l => l.type !== 'dashboard',
          )),
        overrides,
      ),
    );
    const rows = computeTransitions(before, after, T);
    expect(rows.map(r => [r.checkId, r.cause, r.regression])).toEqual([
      ['dashboard-linked', 'entity-changed', true],
      [null, 'entity-changed', true],
    ]);
  });

  it('an outage drop is no regression because a check above both levels regressed meanwhile', () => {
    // At L1 (branch protection, an L2 check, fails). Prometheus goes down (L1 checks unknown:
    // L0) while the team unprotects production deploys (L3: cannot explain L1 → L0).
    const before = snapshot(scenario(w => unprotect(w, 'branch')));
    const after = snapshot(
      scenario(w => {
        unprotect(w, 'branch');
        prometheusDown(w);
        unprotect(w, 'production');
      }),
    );
    const rows = computeTransitions(before, after, T);
    expect(rows.find(r => r.checkId === 'prod-deploy-protected')).toMatchObject(
      { regression: true },
    );
    expect(rows.find(r => r.checkId === null)).toMatchObject({
      from: 'L1',
      to: 'L0',
      cause: 'source-outage',
      regression: false,
    });
  });

  it('evidence replaced by a record that is already stale is evidence-changed', () => {
    const at = (observedAt: string) =>
      snapshot(
        scenario(w => {
          const f = w.facts.find(x => x.kind === 'alerts.rules')!;
          f.observedAt = f.collectedAt = observedAt;
        }),
      );
    const rows = computeTransitions(
      at('2026-03-13T02:06:00Z'),
      at('2026-03-12T02:06:00Z'),
      T,
    );
    expect(rows.find(r => r.checkId === 'alerts-defined')).toMatchObject({
      from: 'pass',
      to: 'unknown',
      cause: 'evidence-changed',
    });
  });
});

describe('trend', () => {
  it('gives the level at the end of each UTC day from level transitions', () => {
    const rows: Transition[] = [
      {
        entityRef: 'x',
        checkId: null,
        from: 'L2',
        to: 'L3',
        at: '2026-03-10T12:00:00Z',
        cause: 'evidence-changed',
        checkVersion: null,
        regression: false,
      },
      {
        entityRef: 'x',
        checkId: null,
        from: 'L3',
        to: 'L1',
        at: '2026-03-12T23:59:59Z',
        cause: 'entity-changed',
        checkVersion: null,
        regression: true,
      },
      {
        entityRef: 'x',
        checkId: 'c',
        from: 'pass',
        to: 'fail',
        at: '2026-03-12T23:59:59Z',
        cause: 'entity-changed',
        checkVersion: 1,
        regression: true,
      },
    ];
    expect(computeTrend(rows, 'L1', T, { days: 6 })).toEqual([
      { date: '2026-03-09', level: 'L2' },
      { date: '2026-03-10', level: 'L3' },
      { date: '2026-03-11', level: 'L3' },
      { date: '2026-03-12', level: 'L1' },
      { date: '2026-03-13', level: 'L1' },
      { date: '2026-03-14', level: 'L1' },
    ]);
    expect(computeTrend([], 'L2', T)).toHaveLength(90);
  });
});

describe('hashEntity', () => {
  it('ignores our own stamps but sees declared changes', () => {
    const a = scenario().world.entity;
    const stamped = {
      ...a,
      metadata: {
        ...a.metadata,
        labels: {
          ...a.metadata.labels,
          'ops.example.com/maturity-level': 'L3',
        },
      },
    };
    expect(hashEntity(stamped)).toBe(hashEntity(a));
    expect(
      hashEntity({ ...a, spec: { ...a.spec, owner: 'group:default/x' } }),
    ).not.toBe(hashEntity(a));
  });
});
