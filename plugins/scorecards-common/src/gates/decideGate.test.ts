import { indexCatalog } from '../catalog/catalogIndex';
import { scenario, unprotect } from '../__fixtures__/scenarios';
import { decideGate } from './decideGate';

const enforceNew = {
  'branch-protection': {
    rollout: [
      { phase: 'observe' as const, from: '2026-01-01' },
      { phase: 'enforce-new' as const, from: '2026-03-01' },
    ],
  },
};
const gate = {
  'prod-deploy-protected': {
    rollout: [
      { phase: 'observe' as const, from: '2026-01-01' },
      { phase: 'gate' as const, from: '2026-03-10' },
    ],
  },
};

describe('gate decisions', () => {
  it.each([
    ['SC20a new entity, deploy', '2026-03-05T00:00:00Z', 'deploy', 'block'],
    ['SC20b old entity, deploy', '2025-06-01T00:00:00Z', 'deploy', 'allow'],
    [
      'SR28 first seen exactly at the phase date is new',
      '2026-03-01T00:00:00Z',
      'deploy',
      'block',
    ],
    [
      'SR29 stage create enforces enforce-new for everyone',
      '2025-06-01T00:00:00Z',
      'create',
      'block',
    ],
  ] as const)('%s → %s', (_label, firstSeenAt, stage, decision) => {
    const s = scenario(w => unprotect(w, 'branch'), enforceNew);
    expect(s.evaluation.level).toBe('L1'); // SR28: counts toward the level for all entities
    expect(
      decideGate({
        evaluation: s.evaluation,
        standard: s.standard,
        stage,
        firstSeenAt,
      }).decision.decision,
    ).toBe(decision);
  });

  it('SC21 a gate-phase failure blocks; break glass from an owner member allows with an audit event', () => {
    const s = scenario(w => unprotect(w, 'production'), gate);
    const base = {
      evaluation: s.evaluation,
      standard: s.standard,
      stage: 'deploy' as const,
      firstSeenAt: s.world.firstSeenAt,
    };
    const blocked = decideGate(base);
    expect(blocked.decision).toMatchObject({
      decision: 'block',
      reasons: [
        { checkId: 'prod-deploy-protected', phase: 'gate', state: 'fail' },
      ],
    });
    const catalog = indexCatalog({
      entities: [s.world.entity, ...s.world.others],
      refreshedAt: s.world.refreshedAt,
    });
    const breakGlass = {
      incident: 'INC-42',
      reason: 'hotfix for checkout outage',
      by: 'user:default/ref-a',
      auditId: 'audit-1',
    };
    const allowed = decideGate({
      ...base,
      breakGlass,
      catalog,
      ownerRef: 'group:default/ref-team',
    });
    expect(allowed.decision).toMatchObject({
      decision: 'allow',
      breakGlass: {
        incident: 'INC-42',
        by: 'user:default/ref-a',
        auditId: 'audit-1',
      },
    });
    expect(allowed.audit).toMatchObject({
      auditId: 'audit-1',
      incident: 'INC-42',
      overridden: ['prod-deploy-protected'],
    });
    const stranger = decideGate({
      ...base,
      breakGlass: { ...breakGlass, by: 'user:default/someone' },
      catalog,
      ownerRef: 'group:default/ref-team',
    });
    expect(stranger.decision.decision).toBe('block');
    expect(stranger.audit).toBeUndefined();
    // an owner that is a User has no members: the refusal says so instead of calling it a group
    const userOwned = decideGate({
      ...base,
      breakGlass,
      catalog,
      ownerRef: 'user:default/dara.singh',
    });
    expect(userOwned.decision.breakGlassRefused).toBe(
      'user:default/ref-a cannot break glass here: the owner user:default/dara.singh is not a group, so nobody is its member; set spec.owner to a group',
    );
    // Refs are case-insensitive: a sign-in resolver's `user:default/Ref-A` is the member
    // `ref-a` (the catalog index holds lower-cased refs); it was refused before.
    const mixedCase = decideGate({
      ...base,
      breakGlass: { ...breakGlass, by: 'user:default/Ref-A' },
      catalog,
      ownerRef: 'group:default/ref-team',
    });
    expect(mixedCase.decision).toMatchObject({
      decision: 'allow',
      breakGlass: { by: 'user:default/Ref-A' },
    });
  });

  it('SR29 an unknown gate-phase check warns, or blocks with gateOnUnknown: block; a waiver allows', () => {
    const stale = (
      w: Parameters<NonNullable<Parameters<typeof scenario>[0]>>[0],
    ) => {
      const f = w.facts.find(x => x.kind === 'ci.security')!;
      f.observedAt = f.collectedAt = '2026-03-01T00:00:00Z';
    };
    const warn = scenario(stale, gate);
    expect(
      decideGate({
        evaluation: warn.evaluation,
        standard: warn.standard,
        stage: 'deploy',
        firstSeenAt: '2025-06-01T00:00:00Z',
      }).decision.decision,
    ).toBe('warn');
    const strict = scenario(stale, {
      'prod-deploy-protected': {
        ...gate['prod-deploy-protected'],
        gateOnUnknown: 'block',
      },
    });
    expect(
      decideGate({
        evaluation: strict.evaluation,
        standard: strict.standard,
        stage: 'deploy',
        firstSeenAt: '2025-06-01T00:00:00Z',
      }).decision.decision,
    ).toBe('block');
    const waived = scenario(w => {
      unprotect(w, 'production');
      w.waivers.push({
        id: 'W',
        entityRef: 'component:default/ref-api',
        checkId: 'prod-deploy-protected',
        kind: 'exception',
        reason: 'Environment protection lands next sprint.',
        owner: 'group:default/ref-team',
        requestedBy: 'user:default/ref-a',
        createdAt: '2026-03-10T00:00:00Z',
        expiresAt: '2026-04-01T00:00:00Z',
        status: 'active',
      });
    }, gate);
    expect(
      decideGate({
        evaluation: waived.evaluation,
        standard: waived.standard,
        stage: 'deploy',
        firstSeenAt: '2025-06-01T00:00:00Z',
      }).decision.decision,
    ).toBe('allow');
  });
});
