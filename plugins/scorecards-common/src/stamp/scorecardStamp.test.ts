import { scenario } from '../__fixtures__/scenarios';
import { LEVEL_IDS } from '../model/levels';
import {
  fillSharedTransitions,
  shareHiddenClass,
} from '../__testUtils__/hiddenClasses';
import { scorecardStamp, stampOf } from './scorecardStamp';

describe('scorecardStamp (§7.5)', () => {
  it('stamps the level label and the score and standard annotations, with no timestamps (SR24)', () => {
    const stamp = scorecardStamp(
      scenario(
        w =>
          (w.entity.metadata.annotations![
            'ops.example.com/monthly-budget-usd'
          ] = '1'),
      ).evaluation,
    );
    expect(stamp).toEqual({
      labels: { 'ops.example.com/maturity-level': 'L3' },
      annotations: {
        'ops.example.com/scorecard-score': '40/41',
        'ops.example.com/scorecard-standard': 'default@7',
      },
    });
    expect(JSON.stringify(stamp)).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });

  it.each([
    ['a rated entity', () => scenario().evaluation],
    [
      'a not-rated entity',
      () =>
        scenario(
          w =>
            ((w.entity.spec as Record<string, unknown>).lifecycle =
              'deprecated'),
        ).evaluation,
    ],
    [
      'an entity at none',
      () =>
        scenario(
          w =>
            ((w.entity.spec as Record<string, unknown>).owner =
              'group:default/ghost'),
        ).evaluation,
    ],
  ])(
    'SR35 label values are exactly L0–L3, none or not-rated: %s',
    (_label, evaluation) => {
      const value = scorecardStamp(evaluation())!.labels[
        'ops.example.com/maturity-level'
      ];
      expect([...LEVEL_IDS, 'none', 'not-rated']).toContain(value);
    },
  );

  it('SR34 unscored kinds get no stamp', () => {
    expect(
      scorecardStamp({ entityRef: 'group:default/x', scored: false }),
    ).toBeNull();
  });

  it('gives every stamp the same hidden classes (constructors), however full the shared transition tables are', () => {
    // Reachable until the end of the test: the tables stay full while it runs.
    const filled = fillSharedTransitions();
    const a = scorecardStamp(scenario().evaluation)!;
    const b = scorecardStamp(
      scenario(
        w =>
          ((w.entity.spec as Record<string, unknown>).lifecycle = 'deprecated'),
      ).evaluation,
    )!;
    // A guard of the constructors, not a reproduction: the test transform compiles computed-key
    // literals into helper calls, under which the old literals shared classes too. Optimized
    // code builds objects on another path than the interpreter: compared after it.
    const evaluation = scenario().evaluation;
    let last = a;
    for (let i = 0; i < 20000; i++) last = scorecardStamp(evaluation)!;
    expect(shareHiddenClass(a.labels, last.labels)).toBe(true);
    expect(shareHiddenClass(a.annotations, last.annotations)).toBe(true);
    expect(shareHiddenClass(a.labels, b.labels)).toBe(true);
    expect(shareHiddenClass(a.annotations, b.annotations)).toBe(true);
    expect(shareHiddenClass(a, b)).toBe(true);
    const c = stampOf('L3', '40/41', 'default@7');
    expect(shareHiddenClass(a.labels, c.labels)).toBe(true);
    expect(JSON.parse(JSON.stringify(c))).toEqual({
      labels: { 'ops.example.com/maturity-level': 'L3' },
      annotations: {
        'ops.example.com/scorecard-score': '40/41',
        'ops.example.com/scorecard-standard': 'default@7',
      },
    });
    filled.length = 0;
  });
});
