import { baselineWorld, edge, World } from '../__fixtures__/baselineWorld';
import { evaluateWorld } from '../__fixtures__/evaluateWorld';
import { compileWith } from '../__fixtures__/standards';
import { before, DAY, T } from '../__fixtures__/time';
import { indexCatalog } from '../catalog/catalogIndex';
import { createDefaultCheckTypeRegistry } from '../checks/defaultRegistry';
import { defineCheckType } from '../checks/checkType';
import { unknownFromReads } from '../evidence/outcomes';
import { loadStandard } from '../standard/parseStandard';
import { defaultStandardFile } from '../standard/defaultStandard';
import { CheckDefinitionInput } from '../standard/standardSchema';
import { z } from 'zod';
import { evaluateEntity } from './evaluateEntity';

/** Numbered rules of scorecards §5 that the engine decides (the others sit beside their modules). */

const REF_API = 'component:default/ref-api';
const standard = compileWith();

function evaluate(
  change?: (w: World) => void,
  overrides?: Record<string, Partial<CheckDefinitionInput>>,
) {
  const w = baselineWorld();
  change?.(w);
  return evaluateWorld(w, overrides ? compileWith(overrides) : standard);
}
const result = (e: ReturnType<typeof evaluate>, id: string) =>
  e.results.find(r => r.checkId === id)!;
const spec = (w: World) => w.entity.spec as Record<string, unknown>;
const setFactAge = (w: World, kind: string, observedAt: string) => {
  const f = w.facts.find(x => x.kind === kind && x.entityRef === REF_API)!;
  f.observedAt = f.collectedAt = observedAt;
};

describe('scorecards §5 rules (engine)', () => {
  it('SR1 a missing Group owner fails owner-resolves and the level is none whatever else passes', () => {
    const e = evaluate(w => (spec(w).owner = 'group:default/ghost-team'));
    expect(result(e, 'owner-resolves')).toMatchObject({
      state: 'fail',
      reason: 'OWNER_NOT_FOUND',
    });
    expect(result(e, 'slo-burn-alert').state).toBe('pass');
    expect(e.level).toBe('none');
  });

  it('SR2 a User owner fails with OWNER_IS_USER and on-call never falls back to the user’s groups', () => {
    const e = evaluate(w => (spec(w).owner = 'user:default/ref-a'));
    expect(result(e, 'owner-resolves').reason).toBe('OWNER_IS_USER');
    // ref-a is a member of ref-team, whose on-call would route; it must not be consulted.
    expect(result(e, 'oncall-routed')).toMatchObject({
      state: 'fail',
      reason: 'NO_ROUTE',
    });
  });

  it.each([
    'owner-group-active',
    'oncall-routed',
    'escalation-path',
    'alerts-route-to-owner',
    'chat-channel',
  ])('SR3 %s fails (not unknown) when the owner does not resolve', id => {
    const e = evaluate(w => (spec(w).owner = 'group:default/ghost-team'));
    expect(result(e, id).state).toBe('fail');
  });

  it.each([
    ['alerts-defined', 'alerts.rules', DAY],
    ['codeowners-present', 'repo.files', 7 * DAY],
    ['branch-protection', 'repo.settings', 7 * DAY],
    ['slo-has-traffic', 'slo.status', DAY],
  ])(
    'SR4 %s: evidence one second past its window is unknown, never pass; at the window it is fresh',
    (id, kind, window) => {
      const stale = evaluate(w =>
        setFactAge(w, kind, before({ s: window + 1 })),
      );
      expect(result(stale, id)).toMatchObject({
        state: 'unknown',
        reason: 'EVIDENCE_STALE',
      });
      expect(result(stale, id).missing[0]).toMatchObject({
        kind,
        cause: 'stale',
        ageSeconds: window + 1,
        freshForSeconds: window,
      });
      const boundary = evaluate(w =>
        setFactAge(w, kind, before({ s: window })),
      );
      expect(result(boundary, id).state).toBe('pass');
    },
  );

  it('SR5 never-collected evidence is unknown EVIDENCE_MISSING; a fresh listing without the file fails FILE_MISSING', () => {
    const none = evaluate(
      w => (w.facts = w.facts.filter(f => f.kind !== 'repo.files')),
    );
    expect(result(none, 'codeowners-present')).toMatchObject({
      state: 'unknown',
      reason: 'EVIDENCE_MISSING',
    });
    const without = evaluate(w => {
      const f = w.facts.find(x => x.kind === 'repo.files')!;
      (f.value as { paths: string[] }).paths = ['README.md'];
    });
    expect(result(without, 'codeowners-present')).toMatchObject({
      state: 'fail',
      reason: 'FILE_MISSING',
    });
  });

  it('SR6 any-of: a fresh pass satisfies it even when another input is unknown (SC5 runbook-present)', () => {
    const e = evaluate(
      w => (w.facts = w.facts.filter(f => f.kind !== 'repo.files')),
    );
    expect(result(e, 'runbook-present').state).toBe('pass');
  });

  it('SR6 all-of: a fresh fail beats a stale input (SC17 techdocs-present)', () => {
    const e = evaluate(w => {
      delete w.entity.metadata.annotations!['backstage.io/techdocs-ref'];
      setFactAge(w, 'repo.files', before({ d: 9 }));
    });
    expect(result(e, 'techdocs-present')).toMatchObject({
      state: 'fail',
      reason: 'FIELD_MISSING',
    });
  });

  it('SR7 an unknown gating check blocks its level and the blocker lists the missing evidence', () => {
    const e = evaluate(w => setFactAge(w, 'alerts.rules', before({ h: 25 })));
    expect(e.level).toBe('L0');
    const blocker = e.blockers.find(b => b.checkId === 'alerts-defined')!;
    expect(blocker.state).toBe('unknown');
    expect(blocker.missing[0]).toMatchObject({
      source: 'prometheus',
      kind: 'alerts.rules',
      cause: 'stale',
    });
  });

  it('SR8 an observe check never lowers the level and is excluded from the score', () => {
    const observe = {
      rollout: [
        { phase: 'observe' as const, from: '2026-01-01' },
        { phase: 'remediate' as const, from: '2026-05-01' },
      ],
    };
    const e = evaluate(w => (w.ledger = []), {
      'deploy-recent': observe,
      'deploy-immutable-artifact': observe,
      'rollback-ready': observe,
      'rollback-exercised': observe,
      'progressive-delivery': observe,
    });
    expect(e.level).toBe('L3');
    expect(e.score.counted).toBe(36);
    expect(result(e, 'deploy-recent').nextPhase).toEqual({
      phase: 'remediate',
      from: '2026-05-01',
    });
  });

  it('SR9 a check whose first phase starts after now is inactive and absent', () => {
    const e = evaluate(undefined, {
      'budget-signal': {
        rollout: [{ phase: 'observe', from: '2026-03-14T02:05:01Z' }],
      },
    });
    expect(e.results.map(r => r.checkId)).not.toContain('budget-signal');
    const at = evaluate(undefined, {
      'budget-signal': { rollout: [{ phase: 'observe', from: T }] },
    });
    expect(at.results.map(r => r.checkId)).toContain('budget-signal');
  });

  it('SR10 a failing recommended check never changes the level', () => {
    const e = evaluate(
      w =>
        (w.entity.metadata.annotations!['ops.example.com/monthly-budget-usd'] =
          '100'),
    );
    expect(result(e, 'budget-signal').state).toBe('fail');
    expect(e.level).toBe('L3');
  });

  it('SR11 passes above never compensate a gap below', () => {
    const e = evaluate(
      w =>
        (w.entity.metadata.links = w.entity.metadata.links!.filter(
          l => l.type !== 'dashboard',
        )),
    );
    expect(result(e, 'dashboard-linked').state).toBe('fail');
    expect(
      e.results
        .filter(r => r.level === 'L2' || r.level === 'L3')
        .every(r => r.state === 'pass' || r.state === 'not-applicable'),
    ).toBe(true);
    expect(e.level).toBe('L0');
  });

  it('SR12 at the ceiling nextLevel is null (Resource at L2)', () => {
    const w = baselineWorld();
    const db = w.others.find(x => x.metadata.name === 'ref-db')!;
    const e = evaluateEntity({
      now: T,
      entity: db,
      catalog: indexCatalog({
        entities: [w.entity, ...w.others],
        refreshedAt: w.refreshedAt,
      }),
      standard,
      facts: w.facts,
      sourceHealth: w.sourceHealth,
    });
    expect(e).toMatchObject({ ceiling: 'L2', level: 'L2', nextLevel: null });
  });

  it.each(['deprecated', 'archived'])(
    'SR13 a %s entity is not-rated and sees only checks listing its lifecycle',
    lifecycle => {
      const e = evaluate(w => (spec(w).lifecycle = lifecycle));
      expect(e.level).toBe('not-rated');
      const applicable = e.results
        .filter(
          r => r.state !== 'not-applicable' || r.reason !== 'LIFECYCLE_SCOPE',
        )
        .map(r => r.checkId);
      const listing = defaultStandardFile.checks
        .filter(
          c =>
            // `*`: every configured lifecycle (lifecycle-valid).
            (c.appliesTo.lifecycles?.includes(lifecycle) ||
              c.appliesTo.lifecycles?.includes('*')) &&
            c.appliesTo.kinds.includes('Component'),
        )
        .map(c => c.id);
      expect(
        applicable.filter(id => id !== 'backup-restore-tested').sort(),
      ).toEqual(listing.sort());
    },
  );

  it.each([
    ['expired yesterday', '2026-03-13T02:05:00Z', 'fail'],
    ['expiring at this instant', T, 'fail'],
    ['expiring one second later', '2026-03-14T02:05:01Z', 'waived'],
  ])('SR14 a waiver %s → %s', (_label, expiresAt, state) => {
    const e = evaluate(w => {
      w.facts.find(f => f.kind === 'slo.alerts')!.value = {
        'ref-api-availability': { burnRateRules: 0 },
      };
      w.waivers.push({
        id: 'W',
        entityRef: REF_API,
        checkId: 'slo-burn-alert',
        kind: 'exception',
        reason: 'Migrating alerting stack this quarter.',
        owner: 'group:default/ref-team',
        requestedBy: 'user:default/ref-a',
        approvedBy: 'user:default/ref-b',
        createdAt: before({ d: 10 }),
        expiresAt,
        status: 'active',
      });
    });
    expect(result(e, 'slo-burn-alert').state).toBe(state);
    expect(result(e, 'slo-burn-alert').notes.includes('WAIVER_EXPIRED')).toBe(
      state === 'fail',
    );
  });

  it('SR15 a waiver applies only to its own (entity, check)', () => {
    const e = evaluate(w => {
      w.facts.find(f => f.kind === 'slo.alerts')!.value = {
        'ref-api-availability': { burnRateRules: 0 },
      };
      const base = {
        kind: 'exception' as const,
        reason: 'Migrating alerting stack this quarter.',
        owner: 'group:default/ref-team',
        requestedBy: 'user:default/ref-a',
        createdAt: before({ d: 1 }),
        expiresAt: '2026-04-01T00:00:00Z',
        status: 'active' as const,
      };
      w.waivers.push({
        ...base,
        id: 'other-check',
        entityRef: REF_API,
        checkId: 'slo-has-traffic',
      });
      w.waivers.push({
        ...base,
        id: 'other-entity',
        entityRef: 'component:default/ref-pricing',
        checkId: 'slo-burn-alert',
      });
    });
    expect(result(e, 'slo-burn-alert').state).toBe('fail');
    expect(result(e, 'slo-has-traffic')).toMatchObject({
      state: 'pass',
      waiver: { id: 'other-check', unused: true },
    });
  });

  it.each(['pending', 'rejected', 'revoked'] as const)(
    'SR17 a %s waiver never counts',
    status => {
      const e = evaluate(w => {
        w.facts.find(f => f.kind === 'slo.alerts')!.value = {
          'ref-api-availability': { burnRateRules: 0 },
        };
        w.waivers.push({
          id: 'W',
          entityRef: REF_API,
          checkId: 'slo-burn-alert',
          kind: 'exception',
          reason: 'Migrating alerting stack this quarter.',
          owner: 'group:default/ref-team',
          requestedBy: 'user:default/ref-a',
          createdAt: before({ d: 1 }),
          expiresAt: '2026-04-01T00:00:00Z',
          status,
          ...(status === 'revoked' ? { revokedAt: before({ h: 1 }) } : {}),
        });
      });
      expect(result(e, 'slo-burn-alert').state).toBe('fail');
    },
  );

  it('SR18 unknown context applies; known and false is CONTEXT_NOT_MATCHED', () => {
    const unknown = evaluate(
      w => delete w.entity.metadata.labels!['ops.example.com/customer-facing'],
    );
    expect(result(unknown, 'progressive-delivery').state).toBe('pass');
    const no = evaluate(
      w =>
        (w.entity.metadata.labels!['ops.example.com/customer-facing'] =
          'false'),
    );
    expect(result(no, 'progressive-delivery')).toMatchObject({
      state: 'not-applicable',
      reason: 'CONTEXT_NOT_MATCHED',
    });
    const noDomains = evaluate(w => {
      w.entity.metadata.labels!['ops.example.com/customer-facing'] = 'false';
      delete w.entity.metadata.annotations!['ops.example.com/data-domains'];
    });
    expect(result(noDomains, 'critical-vulns-triaged').state).toBe('pass');
  });

  it.each([
    [
      'join key missing → service',
      (w: World) =>
        w.collection.push({
          entityRef: REF_API,
          source: 'repo',
          lastAttemptAt: T,
          lastSuccessAt: null,
          error: 'join-key-missing',
        }),
      'service',
    ],
    [
      'access denied → platform',
      (w: World) =>
        w.collection.push({
          entityRef: REF_API,
          source: 'repo',
          lastAttemptAt: T,
          lastSuccessAt: null,
          error: 'access-denied',
        }),
      'platform',
    ],
    [
      'not found → service',
      (w: World) =>
        w.collection.push({
          entityRef: REF_API,
          source: 'repo',
          lastAttemptAt: T,
          lastSuccessAt: null,
          error: 'not-found',
        }),
      'service',
    ],
    [
      'stale with a healthy source and no error → platform',
      () => undefined,
      'platform',
    ],
    [
      'source unavailable → platform',
      (w: World) =>
        (w.sourceHealth = w.sourceHealth.map(h =>
          h.source === 'repo' ? { ...h, status: 'unavailable' as const } : h,
        )),
      'platform',
    ],
  ])(
    'SR19 attribution of stale repo evidence: %s',
    (_label, change, attribution) => {
      const e = evaluate(w => {
        setFactAge(w, 'repo.files', before({ d: 8 }));
        change(w);
      });
      expect(result(e, 'codeowners-present')).toMatchObject({
        state: 'unknown',
        attribution,
      });
    },
  );

  it('SR19 a waiver of kind platform-blocked attributes to the platform', () => {
    const e = evaluate(w => {
      w.facts.find(f => f.kind === 'slo.alerts')!.value = {
        'ref-api-availability': { burnRateRules: 0 },
      };
      w.waivers.push({
        id: 'W',
        entityRef: REF_API,
        checkId: 'slo-burn-alert',
        kind: 'platform-blocked',
        reason: 'Waiting for the burn-rate alert generator.',
        owner: 'group:default/ref-team',
        requestedBy: 'user:default/ref-a',
        createdAt: before({ d: 1 }),
        expiresAt: '2026-04-01T00:00:00Z',
        status: 'active',
      });
    });
    expect(result(e, 'slo-burn-alert')).toMatchObject({
      state: 'waived',
      attribution: 'platform',
    });
  });

  it('SR20 a source outage gives unknown, platform-attributed results without throwing', () => {
    const e = evaluate(w => {
      w.sourceHealth = w.sourceHealth.map(h =>
        h.source === 'prometheus'
          ? { ...h, status: 'unavailable' as const, since: before({ h: 30 }) }
          : h,
      );
      for (const f of w.facts)
        if (f.source === 'prometheus')
          f.observedAt = f.collectedAt = before({ h: 30 });
    });
    expect(result(e, 'alerts-defined')).toMatchObject({
      state: 'unknown',
      reason: 'SOURCE_UNAVAILABLE',
      attribution: 'platform',
    });
  });

  it('SR23 a stale catalog snapshot makes checks on other entities unknown; own fields still evaluate', () => {
    const e = evaluate(w => (w.refreshedAt = before({ m: 11 })));
    expect(result(e, 'owner-resolves')).toMatchObject({
      state: 'unknown',
      reason: 'SOURCE_UNAVAILABLE',
      attribution: 'platform',
    });
    expect(result(e, 'owner-group-active').state).toBe('unknown');
    expect(result(e, 'tier-declared').state).toBe('pass');
    expect(result(e, 'dashboard-linked').state).toBe('pass');
    const tenMinutes = evaluate(w => (w.refreshedAt = before({ m: 10 })));
    expect(result(tenMinutes, 'owner-resolves').state).toBe('pass');
  });

  it('SR24 the same input in any order gives identical results', () => {
    const a = baselineWorld();
    const b = baselineWorld();
    b.facts.reverse();
    b.ledger.reverse();
    b.others.reverse();
    b.edges.push(edge(REF_API, null, { toName: 'tax-svc' }));
    a.edges.unshift(edge(REF_API, null, { toName: 'tax-svc' }));
    expect(JSON.stringify(evaluateWorld(b, standard))).toBe(
      JSON.stringify(evaluateWorld(a, standard)),
    );
  });

  it('SR25 evidence observed more than 5 min after collection counts as observed at collection, noted SKEWED', () => {
    const e = evaluate(w => {
      const f = w.facts.find(x => x.kind === 'alerts.rules')!;
      f.collectedAt = before({ h: 25 });
      f.observedAt = T;
    });
    expect(result(e, 'alerts-defined')).toMatchObject({
      state: 'unknown',
      reason: 'EVIDENCE_STALE',
    });
    expect(result(e, 'alerts-defined').notes).toContain('SKEWED');
    const small = evaluate(w => {
      const f = w.facts.find(x => x.kind === 'alerts.rules')!;
      f.collectedAt = before({ m: 5 });
      f.observedAt = T;
    });
    expect(result(small, 'alerts-defined').notes).not.toContain('SKEWED');
  });

  it.each([
    'telemetry-present',
    'dependencies-match-observed',
    'no-deprecated-dependencies',
  ])(
    'SR25 %s, reading the shared telemetry presence, is noted SKEWED when its presence record was skewed',
    id => {
      const e = evaluate(w => {
        const f = w.facts.find(x => x.kind === 'telemetry.presence')!;
        f.collectedAt = before({ h: 1 });
        f.observedAt = T;
      });
      expect(result(e, id).state).toBe('pass');
      expect(result(e, id).notes).toContain('SKEWED');
    },
  );

  it('SR26 an unknown lifecycle fails lifecycle-valid and is scoped like production', () => {
    const e = evaluate(w => (spec(w).lifecycle = 'beta'));
    expect(result(e, 'lifecycle-valid')).toMatchObject({
      state: 'fail',
      reason: 'FIELD_INVALID',
    });
    expect(e.level).toBe('none');
    expect(result(e, 'deploy-recent').state).toBe('pass');
  });

  it.each<
    [string, string[], string[] | undefined, string, string, string, string]
  >([
    [
      'an added lifecycle',
      ['experimental', 'production', 'deprecated', 'archived', 'sunset'],
      undefined,
      'sunset',
      'PASS',
      'not-rated',
      'spec.lifecycle is "sunset" on',
    ],
    [
      'an added rated lifecycle',
      ['experimental', 'production', 'beta', 'deprecated', 'archived'],
      ['experimental', 'production', 'beta'],
      'beta',
      'PASS',
      'L3',
      'spec.lifecycle is "beta" on',
    ],
    [
      'a lifecycle the configuration leaves out',
      ['production', 'deprecated', 'archived'],
      undefined,
      'experimental',
      'FIELD_INVALID',
      'none',
      'one of production, deprecated, archived.',
    ],
    [
      'the default set',
      ['experimental', 'production', 'deprecated', 'archived'],
      undefined,
      'beta',
      'FIELD_INVALID',
      'none',
      'one of experimental, production, deprecated, archived.',
    ],
  ])(
    'SR26 lifecycle-valid reads scorecards.lifecycles: %s',
    (_label, lifecycles, ratedLifecycles, lifecycle, reason, level, text) => {
      const configured = compileWith(
        {},
        { lifecycles, ...(ratedLifecycles ? { ratedLifecycles } : {}) },
      );
      const w = baselineWorld();
      spec(w).lifecycle = lifecycle;
      const e = evaluateWorld(w, configured);
      const r = result(e, 'lifecycle-valid');
      expect(r).toMatchObject({
        state: reason === 'PASS' ? 'pass' : 'fail',
        reason,
      });
      expect(r.message).toContain(text);
      expect(e.level).toBe(level);
    },
  );

  it.each([
    ['1', 'production', 'L3'],
    ['2', 'production', 'L2'],
    ['3', 'production', 'L1'],
    [undefined, 'production', 'L1'],
    ['1', 'experimental', 'L1'],
  ])('SR27 tier %s, %s → expected %s', (tier, lifecycle, expected) => {
    const e = evaluate(w => {
      if (tier) w.entity.metadata.labels!['ops.example.com/tier'] = tier;
      else delete w.entity.metadata.labels!['ops.example.com/tier'];
      spec(w).lifecycle = lifecycle;
    });
    expect(e.expectedLevel).toBe(expected);
  });

  it('SR30 a retired check is not evaluated', () => {
    const e = evaluate(undefined, { 'chat-channel': { retiresAt: T } });
    expect(e.results.map(r => r.checkId)).not.toContain('chat-channel');
  });

  it('SR9/SR30 one compiled standard follows the clock: phases and retirement switch at their instants', () => {
    // The engine keeps the checks in force per standard between rollout/retirement instants;
    // evaluating the same standard at moving clocks (as the catalog processor does) must
    // switch exactly at each instant, in both directions.
    const moving = compileWith({
      'prod-deploy-protected': {
        rollout: [
          { phase: 'observe', from: '2026-03-01' },
          { phase: 'remediate', from: '2026-03-14T02:05:00Z' },
        ],
      },
      'chat-channel': { retiresAt: '2026-03-14T03:00:00Z' },
    });
    const at = (now: string) => {
      const w = baselineWorld();
      w.now = now;
      return evaluateWorld(w, moving);
    };
    const phase = (now: string) =>
      result(at(now), 'prod-deploy-protected')?.phase;
    const retired = (now: string) =>
      !at(now).results.some(r => r.checkId === 'chat-channel');
    for (const [now, expectedPhase, expectedRetired] of [
      ['2026-03-14T02:04:59Z', 'observe', false],
      ['2026-03-14T02:05:00Z', 'remediate', false],
      ['2026-03-14T02:04:59.999Z', 'observe', false],
      ['2026-03-14T02:59:59Z', 'remediate', false],
      ['2026-03-14T03:00:00Z', 'remediate', true],
      ['2026-03-14T02:30:00Z', 'remediate', false],
      ['2026-02-28T00:00:00Z', undefined, false],
      ['2026-03-14T03:00:01Z', 'remediate', true],
    ] as const) {
      expect([now, phase(now), retired(now)]).toEqual([
        now,
        expectedPhase,
        expectedRetired,
      ]);
    }
  });

  it('SR31 one fresh undeclared mapped edge fails; unmapped callees are notes only', () => {
    const e = evaluate(w =>
      w.edges.push(
        edge(REF_API, 'component:default/ref-pricing'),
        edge(REF_API, null, { toName: 'tax-svc' }),
      ),
    );
    expect(result(e, 'dependencies-match-observed')).toMatchObject({
      state: 'fail',
      reason: 'EDGE_UNDECLARED',
      notes: ['unmapped callee tax-svc'],
    });
    const stale = evaluate(w =>
      w.edges.push(
        edge(REF_API, 'component:default/ref-pricing', {}, before({ h: 25 })),
      ),
    );
    expect(result(stale, 'dependencies-match-observed').state).toBe('pass');
  });

  it('SR32 retirement overdue with a declared dependent fails RETIREMENT_OVERDUE naming it', () => {
    const e = evaluate(w => {
      spec(w).lifecycle = 'deprecated';
      w.entity.metadata.annotations!['ops.example.com/retire-by'] =
        '2026-03-01';
      w.entity.metadata.annotations!['ops.example.com/replaced-by'] = 'none';
      w.others.push({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'late-caller' },
        spec: {
          dependsOn: [REF_API],
          owner: 'ref-team',
          type: 'service',
          lifecycle: 'production',
        },
      });
    });
    expect(result(e, 'retirement-on-track')).toMatchObject({
      state: 'fail',
      reason: 'RETIREMENT_OVERDUE',
    });
    expect(result(e, 'retirement-on-track').message).toContain('late-caller');
  });

  it.each([
    ['2026-02-31', 'names a day that does not exist'],
    ['March 1, 2026', 'must be an ISO-8601 date or instant'],
    // read in the server's zone it would retire hours apart on two servers
    [
      '2026-03-20T00:00',
      'has no time zone; add Z or an offset such as +01:00, or give a date only',
    ],
  ])(
    'a retire-by of %s is no date: the plan is incomplete, not a retirement on another day',
    (retireBy, problem) => {
      const e = evaluate(w => {
        spec(w).lifecycle = 'deprecated';
        w.entity.metadata.annotations!['ops.example.com/retire-by'] = retireBy;
        w.entity.metadata.annotations!['ops.example.com/replaced-by'] = 'none';
      });
      expect(result(e, 'deprecation-plan')).toMatchObject({
        state: 'fail',
        reason: 'PLAN_INCOMPLETE',
      });
      expect(result(e, 'deprecation-plan').message).toContain(
        `ops.example.com/retire-by ${problem} (got "${retireBy}")`,
      );
      expect(result(e, 'retirement-on-track')).toMatchObject({
        state: 'fail',
        reason: 'PLAN_INCOMPLETE',
      });
    },
  );

  it('SR33 a throwing custom check type yields unknown for that check only', () => {
    const boom = defineCheckType({
      id: 'boom',
      description: 'throws',
      paramsSchema: z.object({}),
      needs: () => [],
      evaluate: () => {
        throw new Error('kaput');
      },
    });
    const registry = createDefaultCheckTypeRegistry([boom]);
    const file = {
      ...defaultStandardFile,
      checks: [
        ...defaultStandardFile.checks,
        {
          ...defaultStandardFile.checks.find(c => c.id === 'chat-channel')!,
          id: 'custom-boom',
          type: 'boom',
          params: {},
        },
      ],
    };
    const custom = loadStandard(file, { registry });
    const e = evaluateWorld(baselineWorld(), custom);
    expect(result(e, 'custom-boom')).toMatchObject({
      state: 'unknown',
      reason: 'CHECK_ERROR',
    });
    expect(result(e, 'chat-channel').state).toBe('pass');
  });

  it('SR20 an outage of the source a custom check type declares is the platform’s, not the team’s', () => {
    // The README's extension example: evidence of a kind no configuration names.
    const sbomPresent = defineCheckType({
      id: 'sbom-present',
      description: 'A fresh SBOM was ingested.',
      paramsSchema: z.strictObject({ format: z.enum(['spdx', 'cyclonedx']) }),
      needs: () => [{ source: 'sbom', kind: 'sbom.summary' }],
      evaluate(ctx) {
        const read = ctx.evidence('sbom.summary');
        return unknownFromReads([read], 'a fresh SBOM');
      },
    });
    const file = {
      ...defaultStandardFile,
      checks: [
        ...defaultStandardFile.checks,
        {
          ...defaultStandardFile.checks.find(c => c.id === 'chat-channel')!,
          id: 'sbom-present',
          type: 'sbom-present',
          params: { format: 'spdx' },
        },
      ],
    };
    const custom = loadStandard(file, {
      registry: createDefaultCheckTypeRegistry([sbomPresent]),
    });
    expect(custom.config.evidenceSources['sbom.summary']).toBe('sbom');
    const w = baselineWorld();
    const at = before({ h: 3 });
    w.sourceHealth = [
      ...w.sourceHealth,
      { source: 'sbom', status: 'unavailable', since: at, lastSuccessAt: at },
    ];
    expect(result(evaluateWorld(w, custom), 'sbom-present')).toMatchObject({
      state: 'unknown',
      reason: 'SOURCE_UNAVAILABLE',
      attribution: 'platform',
    });
  });

  it('SR34 kinds out of scope are not scored', () => {
    const w = baselineWorld();
    const group = w.others.find(x => x.kind === 'Group')!;
    expect(
      evaluateEntity({
        now: T,
        entity: group,
        catalog: indexCatalog({
          entities: w.others,
          refreshedAt: w.refreshedAt,
        }),
        standard,
      }),
    ).toEqual({ entityRef: 'group:default/ref-team', scored: false });
  });
});
