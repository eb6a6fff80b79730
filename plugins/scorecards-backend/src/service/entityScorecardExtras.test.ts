import {
  Campaign,
  CampaignEntity,
  EntityEvaluation,
} from '@internal/plugin-scorecards-common';
import { campaignsOf, evidenceHealthOf } from './entityScorecardExtras';

const T = '2026-03-14T02:05:00.000Z';

function evaluation(level: EntityEvaluation['level']): EntityEvaluation {
  return {
    entityRef: 'component:default/svc',
    scored: true,
    evaluatedAt: T,
    standard: { id: 'default', version: 7 },
    lifecycle: 'production',
    rated: true,
    tier: 2,
    level,
    ceiling: null,
    expectedLevel: 'L2',
    belowExpected: level !== 'L2',
    nextLevel: null,
    blockers: [],
    score: { passed: 1, counted: 2, waived: 0, unknown: 1, failed: 0 },
    results: [
      {
        checkId: 'branch-protection',
        evidence: [{ source: 'repo-host', kind: 'repo.settings' }],
        missing: [],
      },
      {
        checkId: 'slo-defined',
        evidence: [],
        missing: [{ source: 'prometheus', kind: 'slo.definitions' }],
      },
      {
        checkId: 'ci-present',
        evidence: [{ source: 'repo-host', kind: 'repo.files' }],
        missing: [],
      },
    ] as unknown as EntityEvaluation['results'],
  };
}

describe('evidenceHealthOf', () => {
  it('lists each source a result used or missed, with its health and the checks relying on it', () => {
    expect(
      evidenceHealthOf(evaluation('L1'), [
        {
          source: 'prometheus',
          status: 'unavailable',
          since: T,
          lastSuccessAt: '2026-03-13T00:00:00Z',
        },
        {
          source: 'unused',
          status: 'unavailable',
          since: T,
          lastSuccessAt: null,
        },
      ]),
    ).toEqual([
      {
        source: 'prometheus',
        status: 'unavailable',
        lastSuccessAt: '2026-03-13T00:00:00Z',
        usedBy: ['slo-defined'],
      },
      // No published health: healthy, as in the engine.
      {
        source: 'repo-host',
        status: 'ok',
        lastSuccessAt: null,
        usedBy: ['branch-protection', 'ci-present'],
      },
    ]);
  });
});

describe('campaignsOf', () => {
  const campaign = (over: Partial<Campaign>): Campaign => ({
    id: 'c1',
    title: 'L2 everywhere',
    owner: 'group:default/platform-team',
    brief: '',
    selector: { kinds: ['Component'] },
    goal: { level: 'L2' },
    startsAt: '2026-01-01T00:00:00Z',
    dueAt: '2026-06-30T00:00:00Z',
    state: 'active',
    ...over,
  });
  const entity = (level: EntityEvaluation['level']): CampaignEntity => ({
    evaluation: evaluation(level),
    kind: 'Component',
    type: 'service',
    owner: 'group:default/team',
    system: null,
    domain: null,
  });

  it('names the active campaigns that select the entity, with its status, soonest due first', () => {
    const campaigns = [
      campaign({ id: 'late', dueAt: '2026-09-30T00:00:00Z' }),
      campaign({ id: 'draft', state: 'draft' }),
      campaign({ id: 'apis', selector: { kinds: ['API'] } }),
      campaign({ id: 'soon', dueAt: '2026-04-30T00:00:00Z' }),
    ];
    expect(campaignsOf(entity('L1'), campaigns, T)).toEqual([
      {
        id: 'soon',
        title: 'L2 everywhere',
        dueAt: '2026-04-30T00:00:00Z',
        status: 'remaining',
      },
      {
        id: 'late',
        title: 'L2 everywhere',
        dueAt: '2026-09-30T00:00:00Z',
        status: 'remaining',
      },
    ]);
    expect(campaignsOf(entity('L2'), campaigns, T)[0].status).toBe('done');
  });
});
