import {
  baselineWorld,
  ciSummary,
  edge,
  takeEntity,
  World,
} from '../__fixtures__/baselineWorld';
import { evaluateWorld } from '../__fixtures__/evaluateWorld';
import { compileWith } from '../__fixtures__/standards';
import { before, DAY, shiftDays, T } from '../__fixtures__/time';
import { indexCatalog } from '../catalog/catalogIndex';
import { CheckDefinitionInput } from '../standard/standardSchema';
import { EvidenceFact } from '../evidence/evidenceTypes';

/** Worked examples of scorecards §6.2, each checked on all 45 results. */

const REF_API = 'component:default/ref-api';
const BASELINE_NOT_APPLICABLE = [
  'backup-restore-tested',
  'archived-no-activity',
  'deprecation-plan',
  'retirement-on-track',
];

type Expected = [
  state: string,
  reason?: string,
  attribution?: 'service' | 'platform' | null,
];

interface Vector {
  id: string;
  change?: (w: World) => void;
  standard?: Record<string, Partial<CheckDefinitionInput>>;
  config?: Parameters<typeof compileWith>[1];
  level: string;
  expectedLevel?: string | null;
  results: Record<string, Expected>;
  /** Blockers of the next level, in order. */
  next?: string[];
  nextLevel?: string | null;
  score: [number, number];
  waived?: number;
  /** Results that are not-applicable unless listed; defaults to the baseline's four. */
  notApplicable?: string[];
}

function factOf(w: World, kind: string, entityRef = REF_API): EvidenceFact {
  const f = w.facts.find(x => x.kind === kind && x.entityRef === entityRef);
  if (!f) throw new Error(`no ${kind} fact`);
  return f;
}

function setValue(w: World, kind: string, value: unknown, entityRef = REF_API) {
  factOf(w, kind, entityRef).value = value;
}

function annotations(w: World) {
  return w.entity.metadata.annotations!;
}

function labels(w: World) {
  return w.entity.metadata.labels!;
}

const W1 = {
  id: 'W1',
  entityRef: REF_API,
  checkId: 'slo-burn-alert',
  kind: 'exception' as const,
  reason: 'Burn-rate rules are being migrated to the new alerting stack.',
  owner: 'group:default/ref-team',
  requestedBy: 'user:default/ref-a',
  approvedBy: 'user:default/plat-lead',
  createdAt: before({ d: 10 }),
  approvedAt: before({ d: 10 }),
  expiresAt: '2026-04-01T00:00:00Z',
  status: 'active' as const,
};

function noBurnRules(w: World) {
  setValue(w, 'slo.alerts', {
    'ref-api-availability': { burnRateRules: 0, names: [] },
  });
}

function prometheusDown(w: World) {
  const at = before({ h: 30 });
  w.sourceHealth = w.sourceHealth.map(h =>
    h.source === 'prometheus'
      ? { ...h, status: 'unavailable', since: at, lastSuccessAt: at }
      : h,
  );
  for (const f of w.facts)
    if (f.source === 'prometheus') f.observedAt = f.collectedAt = at;
  for (const e of w.edges) e.lastSeen = at;
}

function sc11(w: World) {
  labels(w)['ops.example.com/customer-facing'] = 'false';
  annotations(w)['ops.example.com/data-domains'] = 'internal-metrics';
  for (const r of w.ledger) {
    if (['D1', 'D2', 'D3'].includes(r.id))
      r.attributes!.exposure = {
        from: 0,
        to: 100,
        strategy: 'rolling',
        analysis: false,
      };
  }
  setValue(w, 'vulns.summary', {
    openCritical: [
      { id: 'CVE-1', firstSeenAt: before({ d: 30 }) },
      { id: 'CVE-2', firstSeenAt: before({ d: 30 }) },
    ],
  });
}

function deprecate(w: World, retireBy: string) {
  (w.entity.spec as Record<string, unknown>).lifecycle = 'deprecated';
  annotations(w)['ops.example.com/replaced-by'] =
    'component:default/ref-api-v2';
  annotations(w)['ops.example.com/retire-by'] = retireBy;
  w.others.push({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'ref-consumer', namespace: 'default' },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/ref-team',
      dependsOn: ['component:default/ref-api'],
    },
  });
}

const slo = { platformCapability: 'slo-tooling' };
const sloTooling = {
  platformCapabilities: [
    {
      id: 'slo-tooling',
      owner: 'group:default/platform-team',
      availableFor: { runtimes: ['kubernetes'] },
      issue: 'https://tracker.example.com/PLAT-123',
    },
  ],
};

const vectors: Vector[] = [
  {
    id: 'SC1',
    level: 'L3',
    expectedLevel: 'L3',
    nextLevel: null,
    results: {},
    next: [],
    score: [41, 41],
  },
  {
    id: 'SC2',
    change: w => {
      (w.entity.spec as Record<string, unknown>).owner =
        'group:default/ghost-team';
    },
    level: 'none',
    results: {
      'owner-resolves': ['fail', 'OWNER_NOT_FOUND', 'service'],
      'owner-group-active': ['fail', 'OWNER_NOT_FOUND', 'service'],
      'oncall-routed': ['fail', 'NO_ROUTE', 'service'],
      'escalation-path': ['fail', 'NO_ESCALATION', 'service'],
      'alerts-route-to-owner': ['fail', 'ALERT_TEAM_MISMATCH', 'service'],
      'chat-channel': ['fail', undefined, 'service'],
    },
    next: ['owner-resolves'],
    score: [35, 41],
  },
  {
    id: 'SC3',
    change: w => {
      (w.entity.spec as Record<string, unknown>).owner = 'user:default/ref-a';
    },
    level: 'none',
    results: {
      'owner-resolves': ['fail', 'OWNER_IS_USER', 'service'],
      'owner-group-active': ['fail', 'OWNER_IS_USER', 'service'],
      'oncall-routed': ['fail', 'NO_ROUTE', 'service'],
      'escalation-path': ['fail', 'NO_ESCALATION', 'service'],
      'alerts-route-to-owner': ['fail', 'ALERT_TEAM_MISMATCH', 'service'],
      'chat-channel': ['fail', undefined, 'service'],
    },
    next: ['owner-resolves'],
    score: [35, 41],
  },
  {
    id: 'SC4',
    change: prometheusDown,
    level: 'L0',
    results: Object.fromEntries(
      [
        'telemetry-present',
        'alerts-defined',
        'alerts-route-to-owner',
        'slo-has-traffic',
        'slo-burn-alert',
        'dependencies-match-observed',
        'no-deprecated-dependencies',
      ].map(id => [
        id,
        ['unknown', 'SOURCE_UNAVAILABLE', 'platform'] as Expected,
      ]),
    ),
    next: ['alerts-defined', 'telemetry-present'],
    score: [34, 41],
  },
  {
    id: 'SC5',
    change: w => {
      delete annotations(w)['backstage.io/source-location'];
      w.facts = w.facts.filter(f => !f.kind.startsWith('repo.'));
    },
    level: 'L0',
    results: {
      'source-location-set': ['fail', 'FIELD_MISSING', 'service'],
      'codeowners-present': ['unknown', 'JOIN_KEY_MISSING', 'service'],
      'branch-protection': ['unknown', 'JOIN_KEY_MISSING', 'service'],
      'dependency-update-policy': ['unknown', 'JOIN_KEY_MISSING', 'service'],
      'techdocs-present': ['unknown', 'JOIN_KEY_MISSING', 'service'],
    },
    next: ['source-location-set'],
    score: [36, 41],
  },
  {
    id: 'SC6',
    change: w => {
      noBurnRules(w);
      w.waivers.push({ ...W1 });
    },
    level: 'L3',
    results: { 'slo-burn-alert': ['waived', 'SLO_NO_BURN_ALERT', 'service'] },
    next: [],
    score: [40, 41],
    waived: 1,
  },
  {
    id: 'SC7',
    change: w => {
      noBurnRules(w);
      w.waivers.push({ ...W1, expiresAt: '2026-03-13T02:05:00Z' });
    },
    level: 'L2',
    results: { 'slo-burn-alert': ['fail', 'SLO_NO_BURN_ALERT', 'service'] },
    next: ['slo-burn-alert'],
    score: [40, 41],
  },
  {
    id: 'SC8',
    change: w => {
      (
        factOf(w, 'ci.security').value as {
          productionEnvironment: { protected: boolean };
        }
      ).productionEnvironment.protected = false;
    },
    standard: {
      'prod-deploy-protected': {
        rollout: [
          { phase: 'observe', from: '2026-03-01' },
          { phase: 'remediate', from: '2026-04-01' },
        ],
      },
    },
    level: 'L3',
    results: { 'prod-deploy-protected': ['fail', undefined, 'service'] },
    next: [],
    score: [40, 40],
  },
  {
    id: 'SC8b',
    change: w => {
      (
        factOf(w, 'ci.security').value as {
          productionEnvironment: { protected: boolean };
        }
      ).productionEnvironment.protected = false;
    },
    standard: {
      'prod-deploy-protected': {
        rollout: [
          { phase: 'observe', from: '2026-02-01' },
          { phase: 'remediate', from: '2026-03-14T02:05:00Z' },
        ],
      },
    },
    level: 'L2',
    results: { 'prod-deploy-protected': ['fail', undefined, 'service'] },
    next: ['prod-deploy-protected'],
    score: [40, 41],
  },
  {
    id: 'SC9',
    change: w => deprecate(w, '2026-06-30'),
    level: 'not-rated',
    expectedLevel: null,
    nextLevel: null,
    results: {
      'lifecycle-valid': ['pass'],
      'deprecation-plan': ['pass'],
      'retirement-on-track': ['pass'],
    },
    notApplicable: [],
    next: [],
    score: [3, 3],
  },
  {
    id: 'SC9b',
    change: w => {
      deprecate(w, '2026-03-01');
      w.edges.push(
        edge('component:default/ref-consumer', REF_API, {
          fromName: 'ref-consumer',
          toName: 'ref',
        }),
      );
    },
    level: 'not-rated',
    results: {
      'lifecycle-valid': ['pass'],
      'deprecation-plan': ['pass'],
      'retirement-on-track': ['fail', 'RETIREMENT_OVERDUE', 'service'],
    },
    notApplicable: [],
    next: [],
    score: [2, 3],
  },
  {
    id: 'SC10',
    change: w => {
      annotations(w)['ops.example.com/runtime'] = 'lambda';
      delete annotations(w)['ops.example.com/slo-ids'];
      const files = factOf(w, 'repo.files').value as {
        paths: string[];
        openSlo: unknown[];
      };
      files.paths = files.paths.filter(p => !p.startsWith('slo/'));
      files.openSlo = [];
      setValue(w, 'slo.definitions', { ids: {} });
    },
    standard: {
      'slo-defined': slo,
      'slo-has-traffic': slo,
      'slo-burn-alert': slo,
    },
    config: sloTooling,
    level: 'L1',
    results: {
      'slo-defined': ['fail', 'SLO_MISSING', 'platform'],
      'slo-has-traffic': ['fail', 'SLO_MISSING', 'platform'],
      'slo-burn-alert': ['fail', 'SLO_MISSING', 'platform'],
    },
    next: ['slo-defined', 'slo-has-traffic'],
    score: [38, 41],
  },
  {
    id: 'SC11',
    change: sc11,
    level: 'L3',
    results: {
      'progressive-delivery': ['not-applicable', 'CONTEXT_NOT_MATCHED', null],
      'critical-vulns-triaged': ['not-applicable', 'CONTEXT_NOT_MATCHED', null],
    },
    next: [],
    score: [39, 39],
  },
  {
    id: 'SC11b',
    change: w => {
      sc11(w);
      delete labels(w)['ops.example.com/customer-facing'];
    },
    level: 'L0',
    results: {
      'customer-facing-declared': ['fail', 'FIELD_MISSING', 'service'],
      'progressive-delivery': ['fail', 'EXPOSURE_NOT_PROGRESSIVE', 'service'],
      'critical-vulns-triaged': ['fail', 'THRESHOLD_NOT_MET', 'service'],
    },
    next: ['customer-facing-declared'],
    score: [38, 41],
  },
  {
    id: 'SC12',
    change: w => {
      labels(w)['ops.example.com/tier'] = '3';
      labels(w)['ops.example.com/customer-facing'] = 'false';
      annotations(w)['ops.example.com/data-domains'] = 'none';
      delete annotations(w)['ops.example.com/slo-ids'];
      delete annotations(w)['backstage.io/techdocs-ref'];
      const files = factOf(w, 'repo.files').value as {
        paths: string[];
        openSlo: unknown[];
      };
      files.paths = files.paths.filter(
        p => !p.startsWith('slo/') && !p.endsWith('CODEOWNERS'),
      );
      files.openSlo = [];
      setValue(w, 'slo.definitions', { ids: {} });
      (factOf(w, 'repo.settings').value as { protected: boolean }).protected =
        false;
      w.ledger = w.ledger.filter(r => r.id === 'D1');
    },
    level: 'L1',
    expectedLevel: 'L1',
    results: Object.fromEntries([
      ...[
        'codeowners-present',
        'slo-defined',
        'slo-has-traffic',
        'slo-burn-alert',
        'techdocs-present',
        'branch-protection',
        'rollback-ready',
        'rollback-exercised',
      ].map(id => [id, ['fail', undefined, 'service'] as Expected]),
      [
        'progressive-delivery',
        ['not-applicable', 'CONTEXT_NOT_MATCHED', null] as Expected,
      ],
      [
        'critical-vulns-triaged',
        ['not-applicable', 'CONTEXT_NOT_MATCHED', null] as Expected,
      ],
    ]),
    next: [
      'branch-protection',
      'codeowners-present',
      'rollback-ready',
      'slo-defined',
      'slo-has-traffic',
      'techdocs-present',
    ],
    score: [31, 39],
  },
  {
    id: 'SC13',
    change: w => {
      w.ledger = [];
    },
    level: 'L1',
    results: Object.fromEntries(
      [
        'deploy-recent',
        'deploy-immutable-artifact',
        'rollback-ready',
        'rollback-exercised',
        'progressive-delivery',
      ].map(id => [
        id,
        ['unknown', 'LEDGER_NO_COVERAGE', 'service'] as Expected,
      ]),
    ),
    next: ['deploy-immutable-artifact', 'deploy-recent', 'rollback-ready'],
    score: [36, 41],
  },
  {
    id: 'SC14',
    change: w => {
      for (const r of w.ledger) {
        r.startedAt = shiftDays(r.startedAt, -118);
        r.finishedAt = shiftDays(r.finishedAt!, -118);
      }
    },
    level: 'L1',
    results: { 'deploy-recent': ['fail', 'DEPLOY_TOO_OLD', 'service'] },
    next: ['deploy-recent'],
    score: [40, 41],
  },
  {
    id: 'SC15',
    change: w => {
      w.edges.push(
        edge(REF_API, 'component:default/ref-pricing', {
          fromName: 'ref',
          toName: 'pricing',
        }),
      );
    },
    level: 'L1',
    results: {
      'dependencies-match-observed': ['fail', 'EDGE_UNDECLARED', 'service'],
    },
    next: ['dependencies-match-observed'],
    score: [40, 41],
  },
  {
    id: 'SC15b',
    change: w => {
      w.edges.push(edge(REF_API, null, { fromName: 'ref', toName: 'tax-svc' }));
    },
    level: 'L3',
    results: {},
    next: [],
    score: [41, 41],
  },
  {
    id: 'SC16',
    change: w => setValue(w, 'ci.summary', ciSummary(60, 42, 6)),
    level: 'L3',
    results: {
      'ci-pass-rate': ['fail', 'THRESHOLD_NOT_MET', 'service'],
      'ci-flake-rate': ['fail', 'THRESHOLD_NOT_MET', 'service'],
    },
    next: [],
    score: [39, 41],
  },
  {
    id: 'SC17',
    change: w => {
      delete annotations(w)['backstage.io/techdocs-ref'];
      const repo = factOf(w, 'repo.files');
      repo.observedAt = repo.collectedAt = before({ d: 9 });
      w.collection.push({
        entityRef: REF_API,
        source: 'repo',
        lastAttemptAt: before({ h: 1 }),
        lastSuccessAt: before({ d: 9 }),
        error: 'not-found',
      });
    },
    level: 'L1',
    results: {
      'techdocs-present': ['fail', 'FIELD_MISSING', 'service'],
      'codeowners-present': ['unknown', 'EVIDENCE_STALE', 'service'],
      'dependency-update-policy': ['unknown', 'EVIDENCE_STALE', 'service'],
    },
    next: [
      'techdocs-present',
      'codeowners-present',
      'dependency-update-policy',
    ],
    score: [38, 41],
  },
  {
    id: 'SC18',
    change: w => takeEntity(w, 'Resource', 'ref-db'),
    level: 'L2',
    expectedLevel: 'L2',
    nextLevel: null,
    results: Object.fromEntries(
      [
        'owner-resolves',
        'system-assigned',
        'owner-group-active',
        'tier-declared',
        'oncall-routed',
        'data-classification-declared',
        'cost-center-set',
        'backup-restore-tested',
        'cloud-resources-tagged',
      ].map(id => [id, ['pass'] as Expected]),
    ),
    notApplicable: 'ALL_OTHERS' as unknown as string[],
    next: [],
    score: [9, 9],
  },
  {
    id: 'SC18b',
    change: w => {
      takeEntity(w, 'Resource', 'ref-db');
      (
        factOf(w, 'backup.status', 'resource:default/ref-db').value as {
          lastRestoreTestAt: string;
        }
      ).lastRestoreTestAt = before({ d: 120 });
    },
    level: 'L1',
    results: Object.fromEntries(
      [
        'owner-resolves',
        'system-assigned',
        'owner-group-active',
        'tier-declared',
        'oncall-routed',
        'data-classification-declared',
        'cost-center-set',
        'cloud-resources-tagged',
      ]
        .map(id => [id, ['pass'] as Expected])
        .concat([
          ['backup-restore-tested', ['fail', 'THRESHOLD_NOT_MET', 'service']],
        ]),
    ),
    notApplicable: 'ALL_OTHERS' as unknown as string[],
    next: ['backup-restore-tested'],
    score: [8, 9],
  },
  {
    id: 'SC19',
    change: w => {
      w.waivers.push({ ...W1, id: 'W2', checkId: 'runbook-link-valid' });
    },
    level: 'L3',
    results: {},
    next: [],
    score: [41, 41],
  },
  {
    id: 'SC20a',
    change: w => {
      (factOf(w, 'repo.settings').value as { protected: boolean }).protected =
        false;
      w.firstSeenAt = '2026-03-05T00:00:00Z';
    },
    standard: {
      'branch-protection': {
        rollout: [
          { phase: 'observe', from: '2026-01-01' },
          { phase: 'enforce-new', from: '2026-03-01' },
        ],
      },
    },
    level: 'L1',
    results: { 'branch-protection': ['fail', 'THRESHOLD_NOT_MET', 'service'] },
    next: ['branch-protection'],
    score: [40, 41],
  },
  {
    id: 'SC20b',
    change: w => {
      (factOf(w, 'repo.settings').value as { protected: boolean }).protected =
        false;
    },
    standard: {
      'branch-protection': {
        rollout: [
          { phase: 'observe', from: '2026-01-01' },
          { phase: 'enforce-new', from: '2026-03-01' },
        ],
      },
    },
    level: 'L1',
    results: { 'branch-protection': ['fail', 'THRESHOLD_NOT_MET', 'service'] },
    next: ['branch-protection'],
    score: [40, 41],
  },
  {
    id: 'SC21',
    change: w => {
      (
        factOf(w, 'ci.security').value as {
          productionEnvironment: { protected: boolean };
        }
      ).productionEnvironment.protected = false;
    },
    standard: {
      'prod-deploy-protected': {
        rollout: [
          { phase: 'observe', from: '2026-01-01' },
          { phase: 'gate', from: '2026-03-10' },
        ],
      },
    },
    level: 'L2',
    results: {
      'prod-deploy-protected': ['fail', 'THRESHOLD_NOT_MET', 'service'],
    },
    next: ['prod-deploy-protected'],
    score: [40, 41],
  },
  {
    id: 'SC22',
    change: w => {
      (w.entity.spec as Record<string, unknown>).lifecycle = 'beta';
    },
    level: 'none',
    results: { 'lifecycle-valid': ['fail', 'FIELD_INVALID', 'service'] },
    next: ['lifecycle-valid'],
    score: [40, 41],
  },
  {
    id: 'SC23',
    change: w => takeEntity(w, 'API', 'ref-http'),
    level: 'L0',
    expectedLevel: 'L0',
    nextLevel: null,
    results: {
      'owner-resolves': ['pass'],
      'system-assigned': ['pass'],
      'lifecycle-valid': ['pass'],
    },
    notApplicable: 'ALL_OTHERS' as unknown as string[],
    next: [],
    score: [3, 3],
  },
];

function run(v: Vector) {
  const world = baselineWorld();
  v.change?.(world);
  const standard = compileWith(v.standard, v.config);
  return evaluateWorld(world, standard);
}

describe('scorecards §6.2 vectors', () => {
  it.each(vectors.map(v => [v.id, v] as const))('%s', (_id, v) => {
    const result = run(v);
    const allOthers = (v.notApplicable as unknown) === 'ALL_OTHERS';
    const notApplicable = v.notApplicable ?? BASELINE_NOT_APPLICABLE;
    // What every one of the 45 results must be: the row's listed results, else the baseline's.
    const expectedFor = (checkId: string): Expected => {
      if (v.results[checkId]) return v.results[checkId];
      if (v.level === 'not-rated') {
        // SR13: a deprecated entity sees only its lifecycle checks.
        return [
          'not-applicable',
          checkId === 'backup-restore-tested'
            ? 'NOT_IN_SCOPE'
            : 'LIFECYCLE_SCOPE',
          null,
        ];
      }
      if (allOthers || notApplicable.includes(checkId))
        return ['not-applicable', undefined, null];
      return ['pass', 'PASS', null];
    };
    const actual = result.results.map(r => {
      const [, reason, attribution] = expectedFor(r.checkId);
      return [
        r.checkId,
        r.state,
        reason === undefined ? '*' : r.reason,
        attribution === undefined ? '*' : r.attribution,
      ];
    });
    const expected = result.results.map(r => {
      const [state, reason, attribution] = expectedFor(r.checkId);
      return [
        r.checkId,
        state,
        reason ?? '*',
        attribution === undefined ? '*' : attribution,
      ];
    });
    expect(result.results).toHaveLength(45);
    expect(actual).toEqual(expected);
    expect(result.level).toBe(v.level);
    expect(result.expectedLevel).toBe(
      v.expectedLevel === undefined ? result.expectedLevel : v.expectedLevel,
    );
    expect(result.nextLevel).toBe(
      v.nextLevel === undefined ? result.nextLevel : v.nextLevel,
    );
    expect(
      result.blockers
        .filter(b => b.level === result.nextLevel)
        .map(b => b.checkId),
    ).toEqual(v.next ?? []);
    expect([result.score.passed, result.score.counted]).toEqual(v.score);
    expect(result.score.waived).toBe(v.waived ?? 0);
  });

  it('SC1 applies 41 checks and every contextual check holds', () => {
    const result = run(vectors[0]);
    expect(
      result.results.filter(r => r.state !== 'not-applicable'),
    ).toHaveLength(41);
    expect(result.belowExpected).toBe(false);
    expect(result.ceiling).toBe('L3');
  });

  it('SC4 blockers name the missing evidence, its age, window and cause', () => {
    const result = run(vectors.find(v => v.id === 'SC4')!);
    const alerts = result.blockers.find(b => b.checkId === 'alerts-defined')!;
    expect(alerts.state).toBe('unknown');
    expect(alerts.attribution).toBe('platform');
    expect(alerts.missing[0]).toMatchObject({
      source: 'prometheus',
      kind: 'alerts.rules',
      cause: 'source-unavailable',
      ageSeconds: 30 * 3600,
      freshForSeconds: DAY,
    });
    expect(alerts.missing[0].hint).toContain('30 h ago; window 24 h');
    const telemetry = result.blockers.find(
      b => b.checkId === 'telemetry-present',
    )!;
    expect(telemetry.missing.map(m => m.kind)).toEqual([
      'telemetry.presence',
      'observed.edges',
    ]);
    expect(result.results.find(r => r.checkId === 'slo-defined')!.state).toBe(
      'pass',
    );
  });

  it('SC6 marks the waiver on the result and keeps the raw failure', () => {
    const result = run(vectors.find(v => v.id === 'SC6')!);
    const r = result.results.find(x => x.checkId === 'slo-burn-alert')!;
    expect(r.rawState).toBe('fail');
    expect(r.waiver).toEqual({
      id: 'W1',
      kind: 'exception',
      expiresAt: '2026-04-01T00:00:00Z',
      unused: false,
    });
  });

  it('SC7 shows the raw fail with the note WAIVER_EXPIRED', () => {
    const result = run(vectors.find(v => v.id === 'SC7')!);
    const r = result.results.find(x => x.checkId === 'slo-burn-alert')!;
    expect(r.notes).toContain('WAIVER_EXPIRED');
    expect(r.waiver).toBeUndefined();
  });

  it('notes WAIVER_EXPIRED for 30 days after the expiry, and no longer after', () => {
    const expiredAt = (expiresAt: string) =>
      run({
        ...vectors.find(v => v.id === 'SC7')!,
        change: w => {
          noBurnRules(w);
          w.waivers.push({ ...W1, expiresAt });
        },
      }).results.find(x => x.checkId === 'slo-burn-alert')!;
    // T = 2026-03-14T02:05Z
    expect(expiredAt('2026-02-12T02:05:00Z').notes).toContain('WAIVER_EXPIRED');
    const older = expiredAt('2026-02-12T02:04:59Z');
    expect(older.notes ?? []).not.toContain('WAIVER_EXPIRED');
    expect(older).toMatchObject({ state: 'fail', reason: 'SLO_NO_BURN_ALERT' });
    // an expiry that does not parse still notes it (fail closed, counted as just expired)
    expect(expiredAt('not a date').notes).toContain('WAIVER_EXPIRED');
  });

  it('SC8 shows an observe-phase failure as a non-gating preview with its next phase', () => {
    const result = run(vectors.find(v => v.id === 'SC8')!);
    const r = result.results.find(x => x.checkId === 'prod-deploy-protected')!;
    expect(r).toMatchObject({
      gating: false,
      phase: 'observe',
      nextPhase: { phase: 'remediate', from: '2026-04-01' },
    });
  });

  it('SC8b gates from the instant remediate starts', () => {
    const result = run(vectors.find(v => v.id === 'SC8b')!);
    expect(
      result.results.find(x => x.checkId === 'prod-deploy-protected'),
    ).toMatchObject({ gating: true, phase: 'remediate' });
  });

  it('SC9 counts the remaining consumer; SC9b names dependents and callers', () => {
    const ok = run(vectors.find(v => v.id === 'SC9')!).results.find(
      r => r.checkId === 'retirement-on-track',
    )!;
    expect(ok.message).toContain('1 consumer remains: ref-consumer');
    const overdue = run(vectors.find(v => v.id === 'SC9b')!).results.find(
      r => r.checkId === 'retirement-on-track',
    )!;
    expect(overdue.message).toContain(
      '1 declared dependent (ref-consumer) and 1 observed caller (ref-consumer)',
    );
  });

  it('SC10 names the capability owner and issue on platform results', () => {
    const result = run(vectors.find(v => v.id === 'SC10')!);
    const r = result.results.find(x => x.checkId === 'slo-defined')!;
    expect(r.platformCapability).toEqual({
      id: 'slo-tooling',
      owner: 'group:default/platform-team',
      issue: 'https://tracker.example.com/PLAT-123',
    });
    expect(
      result.blockers
        .filter(b => b.level === 'L2')
        .every(b => b.attribution === 'platform'),
    ).toBe(true);
  });

  it('reads the runtime annotation trimmed and in any case: a Kubernetes service owns its SLO failures', () => {
    const sc10 = vectors.find(v => v.id === 'SC10')!;
    const attributions = (runtime: string) =>
      run({
        ...sc10,
        change: w => {
          sc10.change!(w);
          annotations(w)['ops.example.com/runtime'] = runtime;
        },
      })
        .results.filter(r => r.checkId.startsWith('slo-'))
        .map(r => r.attribution);
    expect(attributions('kubernetes')).toEqual([
      'service',
      'service',
      'service',
    ]);
    expect(attributions(' Kubernetes ')).toEqual(attributions('kubernetes'));
    expect(attributions('LAMBDA')).toEqual([
      'platform',
      'platform',
      'platform',
    ]);
  });

  it('SC12 meets its expected level L1', () => {
    const result = run(vectors.find(v => v.id === 'SC12')!);
    expect(result.belowExpected).toBe(false);
  });

  it('SC13 unknown deploy blockers tell how to report deploys', () => {
    const result = run(vectors.find(v => v.id === 'SC13')!);
    const b = result.blockers.find(x => x.checkId === 'deploy-recent')!;
    expect(b.missing[0].hint).toContain('POST /api/evidence/changes');
  });

  it('SC14 explains the deploy age and limit', () => {
    const result = run(vectors.find(v => v.id === 'SC14')!);
    expect(
      result.results.find(r => r.checkId === 'deploy-recent')!.message,
    ).toContain('last production deploy 1.9.0 finished 120 d ago; limit 90 d');
  });

  it('SC15 names the undeclared callee; SC15b keeps the unmapped callee as a note', () => {
    const failed = run(vectors.find(v => v.id === 'SC15')!).results.find(
      r => r.checkId === 'dependencies-match-observed',
    )!;
    expect(failed.message).toContain(
      'ref-api calls ref-pricing, seen 4 min ago; not in spec.dependsOn or consumesApis',
    );
    const noted = run(vectors.find(v => v.id === 'SC15b')!).results.find(
      r => r.checkId === 'dependencies-match-observed',
    )!;
    expect(noted.notes).toContain('unmapped callee tax-svc');
  });

  it('SC19 shows a waiver on a passing result as unused', () => {
    const r = run(vectors.find(v => v.id === 'SC19')!).results.find(
      x => x.checkId === 'runbook-link-valid',
    )!;
    expect(r.state).toBe('pass');
    expect(r.waiver?.unused).toBe(true);
  });

  it('runbook-link-valid reads the allowed hosts as the link checker does: `*.suffix` wildcards too', () => {
    const linkResult = (allowedHosts: string[]) =>
      evaluateWorld(
        baselineWorld(),
        compileWith(undefined, { linkCheckAllowedHosts: allowedHosts }),
      ).results.find(r => r.checkId === 'runbook-link-valid')!;
    // the baseline runbook is https://runbooks.example.com/ref-api, answered 200 3 h ago
    expect(linkResult(['*.example.com']).state).toBe('pass');
    expect(linkResult(['runbooks.example.com']).state).toBe('pass');
    const outside = linkResult(['*.example.net']);
    expect(outside.state).toBe('unknown');
    expect(outside.missing[0]?.hint).toContain(
      'host runbooks.example.com is outside scorecards.linkCheck.allowedHosts',
    );
  });

  it('runbook-link-valid is unknown and the platform’s when the link check could not tell', () => {
    // the baseline runbook's link.status fact, answered as the checker records each case
    const linkResult = (value: Record<string, unknown>) => {
      const w = baselineWorld();
      const fact = w.facts.find(
        f =>
          f.kind === 'link.status' &&
          f.key === 'https://runbooks.example.com/ref-api',
      )!;
      fact.value = value;
      return evaluateWorld(w, compileWith()).results.find(
        r => r.checkId === 'runbook-link-valid',
      )!;
    };
    for (const value of [
      { status: 302, redirects: 0, error: 'redirect-not-allowed' },
      { status: 0, redirects: 0, error: 'timeout' },
      { status: 0, redirects: 0, error: 'network' },
    ]) {
      expect(linkResult(value)).toMatchObject({
        state: 'unknown',
        attribution: 'platform',
        missing: [expect.objectContaining({ cause: 'not-collected' })],
      });
    }
    // an answer about the link itself is the service's
    for (const value of [
      { status: 404, redirects: 0 },
      { status: 301, redirects: 5, error: 'too-many-redirects' },
    ]) {
      expect(linkResult(value)).toMatchObject({
        state: 'fail',
        reason: 'LINK_BROKEN',
        attribution: 'service',
      });
    }
  });

  it('SC22 names the invalid lifecycle and still scopes like production', () => {
    const result = run(vectors.find(v => v.id === 'SC22')!);
    expect(
      result.results.find(r => r.checkId === 'lifecycle-valid')!.message,
    ).toContain('"beta"');
    expect(result.rated).toBe(true);
  });

  it('SC23 an API tops out at L0 with expected min(L1, L0)', () => {
    const result = run(vectors.find(v => v.id === 'SC23')!);
    expect(result.ceiling).toBe('L0');
  });

  it('uses the §6 clock', () => {
    expect(baselineWorld().now).toBe(T);
  });
});

describe('odd entity metadata is evaluated, never thrown on (SR33)', () => {
  const ALIASES_NOTE =
    'annotation ops.example.com/aliases is not a string; ignored';
  const DOMAINS_NOTE =
    'annotation ops.example.com/data-domains is not a string; ignored';

  it('ignores non-string aliases and data domains and notes them on every result that ran', () => {
    const w = baselineWorld();
    const odd = annotations(w) as Record<string, unknown>;
    odd['ops.example.com/aliases'] = ['ref'];
    odd['ops.example.com/data-domains'] = 3;
    const result = evaluateWorld(w, compileWith());
    expect(result.results).toHaveLength(45);
    const ran = result.results.filter(r => r.state !== 'not-applicable');
    expect(ran.length).toBeGreaterThan(0);
    for (const r of ran) {
      expect(r.notes).toEqual(
        expect.arrayContaining([DOMAINS_NOTE, ALIASES_NOTE]),
      );
    }
    // a result that did not run used nothing, so it notes nothing
    for (const r of result.results.filter(x => x.state === 'not-applicable'))
      expect(r.notes).toEqual([]);
  });

  it('evaluates an entity without a name under a ref no entity can have', () => {
    const w = baselineWorld();
    delete (w.entity.metadata as Partial<typeof w.entity.metadata>).name;
    const result = evaluateWorld(
      w,
      compileWith(),
      indexCatalog({ entities: w.others, refreshedAt: w.refreshedAt }),
    );
    expect(result.entityRef).toBe('component:default/');
    expect(result.results).toHaveLength(45);
    expect(
      result.results.find(r => r.state !== 'not-applicable')!.notes,
    ).toContain(
      'metadata.name is missing or not a string; evaluated without a name',
    );
  });

  it('leaves the notes of well-formed metadata alone', () => {
    const result = evaluateWorld(baselineWorld(), compileWith());
    expect(result.results.every(r => r.notes.length === 0)).toBe(true);
  });
});

describe('SLO ids named like built-in object properties', () => {
  it.each(['constructor', 'toString', 'hasOwnProperty', '__proto__'])(
    'an SLO id "%s" defined nowhere fails slo-defined, as any other undefined id',
    id => {
      const w = baselineWorld();
      annotations(w)['ops.example.com/slo-ids'] = id;
      const files = factOf(w, 'repo.files').value as {
        paths: string[];
        openSlo: unknown[];
      };
      files.paths = files.paths.filter(p => !p.startsWith('slo/'));
      files.openSlo = [];
      // As the collector stores it: a JSON object without that id.
      setValue(w, 'slo.definitions', JSON.parse('{"ids":{}}'));
      const result = evaluateWorld(w, compileWith());
      expect(
        result.results.find(r => r.checkId === 'slo-defined'),
      ).toMatchObject({ state: 'fail', reason: 'SLO_MISSING' });
    },
  );
});
