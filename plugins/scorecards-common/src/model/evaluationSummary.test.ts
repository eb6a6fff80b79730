import { campaignStatus, Campaign } from '../campaigns/campaignProgress';
import {
  noBurnRules,
  platformGap,
  prometheusDown,
  scenario,
  unprotect,
  waiverW1,
} from '../__fixtures__/scenarios';
import { T, after } from '../__fixtures__/time';
import { computeRollups, RollupEntry } from '../rollups/computeRollups';
import { EntityEvaluation } from './resultModel';
import { summarizeEvaluation } from './evaluationSummary';

/** Evaluations that between them hold every state, attribution and a platform blocker. */
function evaluations(): EntityEvaluation[] {
  const all = [
    scenario().evaluation,
    scenario(prometheusDown).evaluation,
    scenario(w => unprotect(w, 'branch')).evaluation,
    scenario(w => {
      noBurnRules(w);
      w.waivers.push(waiverW1(after({ d: 30 })));
    }).evaluation,
    scenario(
      w =>
        ((w.entity.spec as Record<string, unknown>).lifecycle = 'deprecated'),
    ).evaluation,
    platformGap().evaluation,
  ];
  return all.filter((e): e is EntityEvaluation => e.scored);
}

/** What the backend stores and reads back. */
const stored = (e: EntityEvaluation) =>
  JSON.parse(JSON.stringify(summarizeEvaluation(e)));

const entries = (list: RollupEntry['evaluation'][]): RollupEntry[] =>
  list.map((evaluation, i) => ({
    evaluation,
    owner: `group:default/team-${i % 2}`,
    system: 'system:default/ref-system',
    domain: null,
  }));

describe('summarizeEvaluation', () => {
  it('the fixtures cover every state, both attributions and a platform capability', () => {
    const results = evaluations().flatMap(e => e.results);
    expect(new Set(results.map(r => r.state))).toEqual(
      new Set(['pass', 'fail', 'unknown', 'waived', 'not-applicable']),
    );
    expect(new Set(results.map(r => r.attribution))).toEqual(
      new Set(['service', 'platform', null]),
    );
    expect(results.some(r => r.platformCapability)).toBe(true);
  });

  it.each(['owner', 'system', 'domain'] as const)(
    'rollups by %s are the same from stored summaries as from full evaluations',
    groupBy => {
      const full = evaluations();
      expect(
        computeRollups(entries(full.map(stored)), { groupBy, now: T }),
      ).toEqual(computeRollups(entries(full), { groupBy, now: T }));
    },
  );

  it('campaign status is the same from stored summaries, for level and check goals', () => {
    const base: Campaign = {
      id: 'c',
      title: 'c',
      owner: 'group:default/platform-team',
      brief: 'b',
      selector: {},
      goal: { level: 'L3' },
      startsAt: '2026-01-01T00:00:00Z',
      dueAt: '2026-12-31T00:00:00Z',
      state: 'active',
    };
    const goals: Campaign['goal'][] = [
      { level: 'L1' },
      { level: 'L2' },
      { level: 'L3' },
      { checks: ['slo-burn-alert', 'branch-protection'] },
    ];
    const statuses = new Set<string>();
    for (const goal of goals) {
      for (const e of evaluations()) {
        const c = { ...base, goal };
        const expected = campaignStatus(c, e, T);
        statuses.add(expected);
        expect(campaignStatus(c, stored(e), T)).toBe(expected);
      }
    }
    // The comparison means something only if the statuses differ.
    expect(statuses.size).toBeGreaterThan(1);
  });

  it('is a fraction of the full result set and shares nothing with it', () => {
    const e = scenario().evaluation as EntityEvaluation;
    const summary = summarizeEvaluation(e);
    expect(JSON.stringify(summary).length).toBeLessThan(
      JSON.stringify(e).length / 4,
    );
    expect(summary.results).not.toBe(e.results);
    expect(summary.results[0]).not.toBe(e.results[0]);
    expect(summary.results).toHaveLength(e.results.length);
  });
});
