import { Entity } from '@backstage/catalog-model';
import {
  EntityCollectionStatus,
  EvidenceFact,
  LedgerRecord,
  ObservedEdge,
  SourceHealth,
} from '../evidence/evidenceTypes';
import { Waiver } from '../waivers/waiverTypes';
import { before, DAY, digest, T } from './time';

/** All inputs of one evaluation in mutable form, so a vector can apply its change. */
export interface World {
  now: string;
  entity: Entity;
  /** Every other entity of the catalog snapshot (the evaluated entity is added at evaluation). */
  others: Entity[];
  refreshedAt: string;
  facts: EvidenceFact[];
  ledger: LedgerRecord[];
  edges: ObservedEdge[];
  sourceHealth: SourceHealth[];
  collection: EntityCollectionStatus[];
  waivers: Waiver[];
  firstSeenAt: string;
}

const REF_API = 'component:default/ref-api';
const REF_DB = 'resource:default/ref-db';

export const ALL_SOURCES = [
  'repo',
  'repo-host',
  'ci',
  'ci-security',
  'oncall',
  'static',
  'prometheus',
  'linkcheck',
  'scanner',
  'backup',
  'drill',
  'cost',
  'ledger',
];

/** A fact observed (and collected) at `observedAt`. */
export function fact(
  entityRef: string | null,
  source: string,
  kind: string,
  observedAt: string,
  freshForSeconds: number,
  value: unknown,
  key?: string,
): EvidenceFact {
  return {
    entityRef,
    source,
    kind,
    observedAt,
    collectedAt: observedAt,
    freshForSeconds,
    value,
    ...(key ? { key } : {}),
  };
}

/** The `ci.summary` value for run, passed and flaky counts. */
export function ciSummary(runs: number, passed: number, flaky: number) {
  return {
    windowDays: 30,
    runs,
    passed,
    failed: runs - passed,
    flaky,
    passRate: passed / runs,
    flakeRate: flaky / runs,
  };
}

/** A production deploy record. */
export function deploy(
  id: string,
  entityRef: string,
  version: string,
  startedAt: string,
  n: number,
  extra: Partial<LedgerRecord> & {
    strategy?: 'canary' | 'rolling';
    analysis?: boolean;
  } = {},
): LedgerRecord {
  const {
    strategy = 'canary',
    analysis = strategy === 'canary',
    ...rest
  } = extra;
  return {
    id,
    entityRef,
    kind: 'deploy',
    environment: 'production',
    status: 'succeeded',
    version,
    startedAt,
    finishedAt: new Date(Date.parse(startedAt) + 15 * 60000).toISOString(),
    attributes: {
      artifactDigest: digest(n),
      exposure: { from: 0, to: 100, strategy, analysis },
    },
    ...rest,
  };
}

function group(
  name: string,
  spec: Record<string, unknown>,
  annotations: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'team', children: [], ...spec },
  };
}

function user(name: string, memberOf: string[]): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: { memberOf },
  };
}

/** ref-api and the catalog around it (scorecards §6.1). */
function refApi(): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'ref-api',
      namespace: 'default',
      description: 'Reference service for scorecard vectors.',
      labels: {
        'ops.example.com/tier': '1',
        'ops.example.com/customer-facing': 'true',
      },
      annotations: {
        'backstage.io/source-location':
          'url:https://github.com/example/ref-api/',
        'backstage.io/techdocs-ref': 'dir:.',
        'ops.example.com/aliases': 'ref',
        'ops.example.com/data-domains': 'orders',
        'ops.example.com/slo-ids': 'ref-api-availability',
        'ops.example.com/runtime': 'kubernetes',
        'ops.example.com/cost-center': 'CC-1042',
        'ops.example.com/monthly-budget-usd': '5000',
      },
      links: [
        { url: 'https://runbooks.example.com/ref-api', type: 'runbook' },
        { url: 'https://grafana.example.com/d/ref-api', type: 'dashboard' },
      ],
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/ref-team',
      system: 'system:default/ref-system',
      providesApis: ['api:default/ref-http'],
      dependsOn: ['resource:default/ref-db'],
    },
  };
}

/** The entities around ref-api in the snapshot. */
export function refCatalog(): Entity[] {
  return [
    group(
      'ref-team',
      {
        parent: 'group:default/ref-parent',
        members: ['user:default/ref-a', 'user:default/ref-b'],
      },
      {
        'ops.example.com/oncall': 'static:ref-primary',
        'ops.example.com/escalation':
          'static:ref-primary, group:default/ref-parent',
        'ops.example.com/chat-channel': 'slack:#ref',
        'ops.example.com/cost-center': 'CC-1042',
      },
    ),
    group('ref-parent', {}),
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: { name: 'ref-system', namespace: 'default' },
      spec: {
        owner: 'group:default/ref-team',
        domain: 'domain:default/ref-domain',
      },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Domain',
      metadata: { name: 'ref-domain', namespace: 'default' },
      spec: { owner: 'group:default/ref-team' },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'API',
      metadata: { name: 'ref-http', namespace: 'default' },
      spec: {
        type: 'openapi',
        lifecycle: 'production',
        owner: 'group:default/ref-team',
        system: 'system:default/ref-system',
        definition:
          'openapi: 3.0.0\ninfo: { title: ref-http, version: 1.0.0 }\npaths: {}\n',
      },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: 'ref-db',
        namespace: 'default',
        labels: { 'ops.example.com/tier': '1' },
        annotations: {
          'ops.example.com/data-domains': 'orders',
          'ops.example.com/aliases': 'ref_pg',
        },
      },
      spec: {
        type: 'database',
        owner: 'group:default/ref-team',
        system: 'system:default/ref-system',
      },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'ref-api-v2', namespace: 'default' },
      spec: {
        type: 'service',
        lifecycle: 'experimental',
        owner: 'group:default/ref-team',
        system: 'system:default/ref-system',
      },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'ref-pricing',
        namespace: 'default',
        annotations: { 'ops.example.com/aliases': 'pricing' },
      },
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: 'group:default/ref-team',
        system: 'system:default/ref-system',
      },
    },
    user('ref-a', ['group:default/ref-team']),
    user('ref-b', ['group:default/ref-team']),
  ];
}

/** The evidence of §6.1 for ref-api and ref-db. */
export function refFacts(): EvidenceFact[] {
  const repo = 'github.com/example/ref-api';
  return [
    fact(REF_API, 'repo', 'repo.files', before({ h: 2 }), 7 * DAY, {
      repository: repo,
      ref: 'main',
      paths: [
        '.github/CODEOWNERS',
        'README.md',
        'mkdocs.yml',
        '.github/workflows/ci.yml',
        '.github/dependabot.yml',
        'slo/ref-api.yaml',
      ],
      openSlo: [{ path: 'slo/ref-api.yaml', id: 'ref-api-availability' }],
    }),
    fact(REF_API, 'repo-host', 'repo.settings', before({ h: 6 }), 7 * DAY, {
      defaultBranch: 'main',
      protected: true,
      requiredReviews: 1,
      requiredStatusChecks: true,
    }),
    fact(
      REF_API,
      'ci',
      'ci.summary',
      before({ h: 1 }),
      30 * DAY,
      ciSummary(60, 57, 1),
    ),
    fact(REF_API, 'ci-security', 'ci.security', before({ h: 1 }), 7 * DAY, {
      oidc: true,
      staticKeySecretNames: [],
      productionEnvironment: {
        exists: true,
        protected: true,
        requiredReviewers: 1,
      },
      deployWorkflow: {
        ref: 'example/platform-workflows/.github/workflows/deploy.yml@v3.2.0',
        pinned: true,
      },
    }),
    fact(
      'group:default/ref-team',
      'oncall',
      'oncall.schedule',
      before({ m: 10 }),
      DAY,
      {
        provider: 'static',
        exists: true,
        onCallNow: [{ userRef: 'user:default/ref-a', level: 1 }],
        escalationLevels: 1,
      },
      'static:ref-primary',
    ),
    fact(REF_API, 'prometheus', 'telemetry.presence', before({ m: 4 }), DAY, {
      aliases: ['ref-api', 'ref'],
      series: [{ alias: 'ref', lastSampleAt: before({ m: 4 }) }],
    }),
    fact(REF_API, 'prometheus', 'alerts.rules', before({ m: 4 }), DAY, {
      rules: ['RefHighErrorRate', 'RefHighLatency', 'RefDown'].map(name => ({
        name,
        group: 'ref',
        labels: { service: 'ref', team: 'ref-team', severity: 'page' },
        receivers: ['ref-team-pager'],
        defaultReceiver: false,
      })),
    }),
    fact(REF_API, 'prometheus', 'slo.definitions', before({ m: 4 }), DAY, {
      ids: { 'ref-api-availability': { objective: 0.999 } },
    }),
    fact(REF_API, 'prometheus', 'slo.status', before({ m: 4 }), DAY, {
      'ref-api-availability': {
        lastSampleAt: before({ m: 1 }),
        burnRate1h: 0.4,
        budgetRemaining: 0.8,
      },
    }),
    fact(REF_API, 'prometheus', 'slo.alerts', before({ m: 4 }), DAY, {
      'ref-api-availability': {
        burnRateRules: 2,
        names: ['RefBurnFast', 'RefBurnSlow'],
      },
    }),
    fact(
      REF_API,
      'linkcheck',
      'link.status',
      before({ h: 3 }),
      7 * DAY,
      { status: 200, redirects: 0 },
      'https://runbooks.example.com/ref-api',
    ),
    fact(
      REF_API,
      'linkcheck',
      'link.status',
      before({ h: 3 }),
      7 * DAY,
      { status: 200, redirects: 0 },
      'https://grafana.example.com/d/ref-api',
    ),
    fact(REF_API, 'scanner', 'vulns.summary', before({ d: 1 }), 7 * DAY, {
      openCritical: [],
    }),
    fact(REF_API, 'cost', 'cost.tagging', before({ d: 1 }), 7 * DAY, {
      tagged: 12,
      total: 12,
      untagged: [],
    }),
    fact(REF_API, 'cost', 'cost.monthly', '2026-03-02T00:00:00Z', 35 * DAY, {
      month: '2026-02',
      amountUsd: '4210',
    }),
    fact(REF_DB, 'cost', 'cost.tagging', before({ d: 1 }), 7 * DAY, {
      tagged: 3,
      total: 3,
      untagged: [],
    }),
    fact(REF_DB, 'backup', 'backup.status', before({ d: 1 }), 7 * DAY, {
      enabled: true,
      lastRestoreTestAt: before({ d: 30 }),
      lastRestoreTestOutcome: 'succeeded',
    }),
  ];
}

/** The ledger of §6.1: D1–D3 canary with analysis, R1 rolling back D0. */
export function refLedger(): LedgerRecord[] {
  return [
    deploy('D1', REF_API, '1.9.0', before({ d: 2 }), 1),
    deploy('D2', REF_API, '1.8.2', before({ d: 9 }), 2),
    deploy('D3', REF_API, '1.8.1', before({ d: 30 }), 3),
    deploy('R1', REF_API, '1.7.9', before({ d: 40 }), 4, {
      rollbackOf: 'D0',
      strategy: 'rolling',
      analysis: false,
    }),
    deploy('D0', REF_API, '1.8.0', before({ d: 41 }), 5, {
      status: 'rolled-back',
    }),
  ];
}

/** A fresh observed edge (`lastSeen` 4 min before T by default). */
export function edge(
  from: string | null,
  to: string | null,
  names: { fromName?: string; toName?: string } = {},
  lastSeen = before({ m: 4 }),
): ObservedEdge {
  return {
    from,
    to,
    ...names,
    interaction: 'sync',
    lastSeen,
    source: 'prometheus',
  };
}

/** Healthy status for every source. */
export function healthySources(): SourceHealth[] {
  return ALL_SOURCES.map(source => ({
    source,
    status: 'ok' as const,
    since: '2026-01-01T00:00:00Z',
    lastSuccessAt: before({ m: 1 }),
  }));
}

/** The §6.1 baseline: ref-api passes everything that applies. A fresh copy on every call. */
export function baselineWorld(): World {
  return {
    now: T,
    entity: refApi(),
    others: refCatalog(),
    refreshedAt: before({ s: 30 }),
    facts: refFacts(),
    ledger: refLedger(),
    edges: [edge(REF_API, REF_DB, { fromName: 'ref', toName: 'ref_pg' })],
    sourceHealth: healthySources(),
    collection: [],
    waivers: [],
    firstSeenAt: '2025-06-01T00:00:00Z',
  };
}

/** Returns the entity of a world whose ref matches, for worlds evaluating a neighbour (SC18, SC23). */
export function takeEntity(world: World, kind: string, name: string): void {
  const index = world.others.findIndex(
    e => e.kind === kind && e.metadata.name === name,
  );
  const [target] = world.others.splice(index, 1);
  world.others.push(world.entity);
  world.entity = target;
}
