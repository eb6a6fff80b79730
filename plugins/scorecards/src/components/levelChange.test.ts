import type { Transition } from '@internal/plugin-scorecards-common';
import { describeLevelChange, lastLevelChange } from './levelChange';

function row(over: Partial<Transition>): Transition {
  return {
    entityRef: 'component:default/checkout-service',
    checkId: null,
    from: 'L2',
    to: 'L1',
    at: '2026-12-01T09:00:00.000Z',
    cause: 'evidence-changed',
    checkVersion: null,
    regression: true,
    ...over,
  };
}

const check = (checkId: string, from: string | null, to: string, at: string) =>
  row({ checkId, from, to, at, checkVersion: 1, regression: false });

describe('lastLevelChange', () => {
  it('takes the newest level change whichever way it went', () => {
    const drop = row({});
    const rise = row({
      from: 'L1',
      to: 'L3',
      at: '2026-12-08T10:30:00.000Z',
      cause: 'entity-changed',
      regression: false,
    });
    expect(lastLevelChange([rise, drop])?.level).toBe(rise);
    expect(lastLevelChange([drop, rise])?.level).toBe(rise);
  });

  it('names the checks that moved the way the level did, each once', () => {
    const at = '2026-12-08T10:30:00.000Z';
    const rise = row({ from: 'L1', to: 'L3', at, regression: false });
    const fixed = check('rollback-exercised', 'fail', 'pass', at);
    const change = lastLevelChange([
      rise,
      fixed,
      fixed,
      check('slo-defined', 'unknown', 'waived', at),
      check('runbook-linked', 'pass', 'fail', at),
      // another evaluation
      check('alerts-routed', 'fail', 'pass', '2026-12-08T10:31:00.000Z'),
    ]);
    expect(change?.checks).toEqual(['rollback-exercised', 'slo-defined']);

    const drop = row({ at });
    expect(
      lastLevelChange([
        drop,
        check('runbook-linked', 'pass', 'fail', at),
        check('slo-defined', 'not-applicable', 'unknown', at),
        check('rollback-exercised', 'fail', 'pass', at),
      ])?.checks,
    ).toEqual(['runbook-linked', 'slo-defined']);
  });

  it('names every changed check when none moved the way the level did', () => {
    const at = '2026-12-08T10:30:00.000Z';
    expect(
      lastLevelChange([
        row({ at, cause: 'phase-changed', regression: false }),
        check('prod-deploy-protected', 'fail', 'fail', at),
      ])?.checks,
    ).toEqual(['prod-deploy-protected']);
  });

  it('is no change without a level before it, nor without a level row', () => {
    expect(lastLevelChange([row({ from: null })])).toBeUndefined();
    expect(
      lastLevelChange([check('rollback-exercised', 'fail', 'pass', 'x')]),
    ).toBeUndefined();
    expect(lastLevelChange([])).toBeUndefined();
  });
});

describe('describeLevelChange', () => {
  it('says the move, when, the cause and at most three checks', () => {
    const when = (iso: string) => `<${iso}>`;
    expect(
      describeLevelChange(
        { level: row({}), checks: ['a', 'b', 'c', 'd', 'e'] },
        when,
      ),
    ).toBe(
      'L2 → L1 on <2026-12-01T09:00:00.000Z> (evidence-changed: a, b, c + 2 more)',
    );
    expect(describeLevelChange({ level: row({}), checks: [] }, when)).toBe(
      'L2 → L1 on <2026-12-01T09:00:00.000Z> (evidence-changed)',
    );
  });
});
