import {
  noBurnRules,
  prometheusDown,
  scenario,
  waiverW1,
} from '../__fixtures__/scenarios';
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
    const aged = snapshot(
      scenario(w => {
        const f = w.facts.find(x => x.kind === 'alerts.rules')!;
        f.observedAt = f.collectedAt = '2026-03-13T01:00:00Z';
      }),
    );
    const fresh = snapshot(
      scenario(w => {
        const f = w.facts.find(x => x.kind === 'alerts.rules')!;
        f.observedAt = f.collectedAt = '2026-03-13T01:00:00Z';
      }),
    );
    fresh.results = fresh.results.map(r =>
      r.checkId === 'alerts-defined'
        ? { ...r, state: 'pass', reason: 'PASS', unknownCause: null }
        : r,
    );
    fresh.level = 'L3';
    const rows = computeTransitions(fresh, aged, T);
    expect(rows.find(r => r.checkId === 'alerts-defined')).toMatchObject({
      cause: 'evidence-aged',
      regression: false,
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
