import { Entity } from '@backstage/catalog-model';
import {
  EvidenceFact,
  LedgerRecord,
  ObservedEdge,
  SourceHealth,
} from '../evidence/evidenceTypes';
import { Waiver } from '../waivers/waiverTypes';
import { ciSummary, deploy, edge, fact, healthySources } from './baselineWorld';
import { after, before, DAY, digest } from './time';

/**
 * The demo catalog of incident-brief §7 (34 entities) with the data scorecards §6.3 adds,
 * and the evidence the demo seeder gives it (baseline profile per Component, with deltas).
 */

const ns = 'default';
const g = (name: string) => `group:${ns}/${name}`;
const c = (name: string) => `component:${ns}/${name}`;
const r = (name: string) => `resource:${ns}/${name}`;
const a = (name: string) => `api:${ns}/${name}`;
const s = (name: string) => `system:${ns}/${name}`;

function group(
  name: string,
  opts: {
    parent?: string;
    members?: string[];
    annotations?: Record<string, string>;
  },
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: ns, annotations: opts.annotations ?? {} },
    spec: {
      type: 'team',
      children: [],
      ...(opts.parent ? { parent: g(opts.parent) } : {}),
      members: (opts.members ?? []).map(m => `user:${ns}/${m}`),
    },
  };
}

interface ComponentRow {
  name: string;
  type: 'service' | 'website';
  owner: string;
  system: string;
  tier: string;
  cf: string;
  data?: string;
  alias?: string;
  providesApis?: string[];
  consumesApis?: string[];
  dependsOn?: string[];
  extra?: Record<string, string>;
}

const COMPONENTS: ComponentRow[] = [
  {
    name: 'web-storefront',
    type: 'website',
    owner: g('storefront-team'),
    system: 'storefront',
    tier: '1',
    cf: 'true',
    data: 'catalog,session',
    dependsOn: [c('api-gateway'), c('pricing-service')],
  },
  {
    name: 'api-gateway',
    type: 'service',
    owner: g('platform-team'),
    system: 'storefront',
    tier: '1',
    cf: 'true',
    alias: 'gateway',
    consumesApis: [a('checkout-api')],
  },
  {
    name: 'checkout-service',
    type: 'service',
    owner: g('checkout-team'),
    system: 'checkout',
    tier: '1',
    cf: 'true',
    data: 'orders,payments',
    alias: 'checkout',
    providesApis: [a('checkout-api')],
    consumesApis: [a('payment-api'), a('inventory-api'), a('order-api')],
    dependsOn: [r('checkout-db')],
    extra: { 'argocd/app-name': 'checkout-prod' },
  },
  {
    name: 'payment-service',
    type: 'service',
    owner: g('payments-team'),
    system: 'payments',
    tier: '1',
    cf: 'false',
    data: 'payments,pii',
    alias: 'payments',
    providesApis: [a('payment-api')],
    dependsOn: [r('payments-db'), r('payment-provider')],
    extra: { 'pagerduty.com/service-id': 'PPAY001' },
  },
  {
    name: 'inventory-service',
    type: 'service',
    owner: g('fulfillment-team'),
    system: 'fulfillment',
    tier: '1',
    cf: 'false',
    data: 'inventory',
    alias: 'inventory',
    providesApis: [a('inventory-api')],
    dependsOn: [r('inventory-db')],
  },
  {
    name: 'order-service',
    type: 'service',
    owner: g('fulfillment-team'),
    system: 'fulfillment',
    tier: '1',
    cf: 'false',
    data: 'orders,pii',
    alias: 'orders',
    providesApis: [a('order-api')],
    consumesApis: [a('inventory-api')],
    dependsOn: [r('orders-db'), r('order-events')],
  },
  {
    name: 'pricing-service',
    type: 'service',
    owner: g('storefront-team'),
    system: 'storefront',
    tier: '2',
    cf: 'false',
    data: 'catalog',
    alias: 'pricing',
  },
  {
    name: 'notification-worker',
    type: 'service',
    owner: `user:${ns}/dara.singh`,
    system: 'fulfillment',
    tier: '3',
    cf: 'false',
    data: 'pii',
    alias: 'notifier',
    dependsOn: [r('order-events')],
  },
];

const RESOURCES = [
  {
    name: 'checkout-db',
    type: 'database',
    owner: 'checkout-team',
    system: 'checkout',
    data: 'orders',
    alias: 'checkout_pg',
  },
  {
    name: 'payments-db',
    type: 'database',
    owner: 'payments-team',
    system: 'payments',
    data: 'payments,pii',
    alias: 'payments_pg',
  },
  {
    name: 'inventory-db',
    type: 'database',
    owner: 'fulfillment-team',
    system: 'fulfillment',
    data: 'inventory',
    alias: 'inventory-spanner',
  },
  {
    name: 'orders-db',
    type: 'database',
    owner: 'fulfillment-team',
    system: 'fulfillment',
    data: 'orders,pii',
    alias: 'orders_sql',
  },
  {
    name: 'order-events',
    type: 'topic',
    owner: 'platform-team',
    system: 'fulfillment',
    data: 'orders',
  },
  {
    name: 'payment-provider',
    type: 'external-service',
    owner: 'payments-team',
    system: 'payments',
    data: 'payments',
    alias: 'api.stripe.com',
  },
];

const APIS = [
  { name: 'checkout-api', provider: 'checkout-service' },
  { name: 'payment-api', provider: 'payment-service' },
  { name: 'inventory-api', provider: 'inventory-service' },
  { name: 'order-api', provider: 'order-service' },
];

function component(row: ComponentRow): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: row.name,
      namespace: ns,
      labels: {
        'ops.example.com/tier': row.tier,
        'ops.example.com/customer-facing': row.cf,
      },
      annotations: {
        'backstage.io/source-location': `url:https://github.com/shop-example/${row.name}/`,
        'backstage.io/techdocs-ref': 'dir:.',
        'ops.example.com/slo-ids': `${row.name}-availability`,
        'ops.example.com/monthly-budget-usd': '5000',
        ...(row.alias ? { 'ops.example.com/aliases': row.alias } : {}),
        ...(row.data ? { 'ops.example.com/data-domains': row.data } : {}),
        ...row.extra,
      },
      links: [
        { url: `https://runbooks.shop.example/${row.name}`, type: 'runbook' },
        {
          url: `https://grafana.shop.example/d/${row.name}`,
          type: 'dashboard',
        },
      ],
    },
    spec: {
      type: row.type,
      lifecycle: 'production',
      owner: row.owner,
      system: s(row.system),
      ...(row.providesApis ? { providesApis: row.providesApis } : {}),
      ...(row.consumesApis ? { consumesApis: row.consumesApis } : {}),
      ...(row.dependsOn ? { dependsOn: row.dependsOn } : {}),
    },
  };
}

/** The 34 demo entities with the scorecards additions (escalation on three teams, CC-1000 on commerce-eng). */
export function demoEntities(): Entity[] {
  const esc = (team: string) => ({
    'ops.example.com/escalation': `static:${team}-primary, group:default/commerce-eng`,
  });
  const groups = [
    group('commerce-eng', {
      annotations: {
        'ops.example.com/oncall': 'static:commerce-escalation',
        'ops.example.com/chat-channel': 'slack:#commerce-incidents',
        'ops.example.com/cost-center': 'CC-1000',
      },
    }),
    group('checkout-team', {
      parent: 'commerce-eng',
      members: ['ana.ruiz', 'ben.okafor'],
      annotations: {
        'ops.example.com/oncall': 'static:checkout-primary',
        'ops.example.com/escalation':
          'static:checkout-primary, user:default/ana.ruiz, group:default/commerce-eng',
        'ops.example.com/chat-channel': 'slack:#checkout-oncall',
      },
    }),
    group('payments-team', {
      parent: 'commerce-eng',
      members: ['chen.wei'],
      annotations: {
        'ops.example.com/oncall': 'static:payments-primary',
        'ops.example.com/chat-channel': 'slack:#payments-oncall',
        ...esc('payments'),
      },
    }),
    group('fulfillment-team', {
      parent: 'commerce-eng',
      members: ['dara.singh'],
      annotations: {
        'ops.example.com/oncall': 'static:fulfillment-primary',
        'ops.example.com/chat-channel': 'slack:#fulfillment',
        ...esc('fulfillment'),
      },
    }),
    group('platform-team', {
      parent: 'commerce-eng',
      members: ['fatima.haddad'],
      annotations: {
        'ops.example.com/oncall': 'static:platform-primary',
        'ops.example.com/chat-channel': 'slack:#platform-oncall',
        ...esc('platform'),
      },
    }),
    group('storefront-team', { parent: 'commerce-eng' }),
  ];
  const users: Entity[] = [
    'ana.ruiz',
    'ben.okafor',
    'chen.wei',
    'dara.singh',
    'fatima.haddad',
  ].map(name => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: ns },
    spec: { memberOf: [] },
  }));
  const systems: Entity[] = [
    ['storefront', 'storefront-team'],
    ['checkout', 'checkout-team'],
    ['payments', 'payments-team'],
    ['fulfillment', 'fulfillment-team'],
  ].map(([name, owner]) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name, namespace: ns, labels: { 'ops.example.com/tier': '1' } },
    spec: { owner: g(owner), domain: `domain:${ns}/commerce` },
  }));
  const domain: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Domain',
    metadata: { name: 'commerce', namespace: ns },
    spec: { owner: g('commerce-eng') },
  };
  const components = COMPONENTS.map(component);
  const apis: Entity[] = APIS.map(api => {
    const provider = COMPONENTS.find(x => x.name === api.provider)!;
    return {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'API',
      metadata: { name: api.name, namespace: ns },
      spec: {
        type: 'openapi',
        lifecycle: 'production',
        owner: provider.owner,
        system: s(provider.system),
        definition: `openapi: 3.0.0\ninfo: { title: ${api.name}, version: 1.0.0 }\npaths: {}\n`,
      },
    };
  });
  const resources: Entity[] = RESOURCES.map(res => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: res.name,
      namespace: ns,
      labels: {
        'ops.example.com/tier': '1',
        'ops.example.com/customer-facing': 'false',
      },
      annotations: {
        'ops.example.com/data-domains': res.data,
        ...(res.alias ? { 'ops.example.com/aliases': res.alias } : {}),
      },
    },
    spec: { type: res.type, owner: g(res.owner), system: s(res.system) },
  }));
  return [
    domain,
    ...systems,
    ...groups,
    ...users,
    ...components,
    ...apis,
    ...resources,
  ];
}

function componentFacts(row: ComponentRow): EvidenceFact[] {
  const ref = c(row.name);
  const alias = row.alias ?? row.name;
  const team = row.owner.startsWith('group:')
    ? row.owner.slice(row.owner.indexOf('/') + 1)
    : 'fulfillment-team';
  const slo = `${row.name}-availability`;
  return [
    fact(ref, 'repo', 'repo.files', before({ h: 2 }), 7 * DAY, {
      repository: `github.com/shop-example/${row.name}`,
      paths: [
        '.github/CODEOWNERS',
        'README.md',
        'mkdocs.yml',
        '.github/workflows/ci.yml',
        '.github/dependabot.yml',
        `slo/${row.name}.yaml`,
      ],
      openSlo: [{ path: `slo/${row.name}.yaml`, id: slo }],
    }),
    fact(ref, 'repo-host', 'repo.settings', before({ h: 6 }), 7 * DAY, {
      protected: true,
      requiredReviews: 1,
      requiredStatusChecks: true,
    }),
    fact(
      ref,
      'ci',
      'ci.summary',
      before({ h: 1 }),
      30 * DAY,
      ciSummary(60, 57, 1),
    ),
    fact(ref, 'ci-security', 'ci.security', before({ h: 1 }), 7 * DAY, {
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
    fact(ref, 'prometheus', 'telemetry.presence', before({ m: 4 }), DAY, {
      aliases: [alias],
      // Delta: web-storefront has no server-side telemetry (fresh collection, nothing seen).
      series:
        row.name === 'web-storefront'
          ? []
          : [{ alias, lastSampleAt: before({ m: 4 }) }],
    }),
    fact(ref, 'prometheus', 'alerts.rules', before({ m: 4 }), DAY, {
      rules: [1, 2, 3].map(i => ({
        name: `${alias}-alert-${i}`,
        labels: { service: alias, team },
        receivers: [`${team}-pager`],
        defaultReceiver: false,
      })),
    }),
    fact(ref, 'prometheus', 'slo.definitions', before({ m: 4 }), DAY, {
      ids: { [slo]: { objective: 0.999 } },
    }),
    fact(ref, 'prometheus', 'slo.status', before({ m: 4 }), DAY, {
      [slo]: {
        lastSampleAt: before({ m: 1 }),
        burnRate1h: 0.4,
        budgetRemaining: 0.8,
      },
    }),
    // Delta: payment-service has no burn-rate rules (covered by its waiver).
    fact(ref, 'prometheus', 'slo.alerts', before({ m: 4 }), DAY, {
      [slo]: { burnRateRules: row.name === 'payment-service' ? 0 : 2 },
    }),
    fact(
      ref,
      'linkcheck',
      'link.status',
      before({ h: 3 }),
      7 * DAY,
      { status: 200 },
      `https://runbooks.shop.example/${row.name}`,
    ),
    fact(
      ref,
      'linkcheck',
      'link.status',
      before({ h: 3 }),
      7 * DAY,
      { status: 200 },
      `https://grafana.shop.example/d/${row.name}`,
    ),
    fact(ref, 'scanner', 'vulns.summary', before({ d: 1 }), 7 * DAY, {
      openCritical: [],
    }),
    fact(ref, 'cost', 'cost.tagging', before({ d: 1 }), 7 * DAY, {
      tagged: 5,
      total: 5,
      untagged: [],
    }),
    fact(ref, 'cost', 'cost.monthly', '2026-03-02T00:00:00Z', 35 * DAY, {
      month: '2026-02',
      amountUsd: '3100',
    }),
  ];
}

/** Demo evidence: per-Component profile, Resource backups and tagging, on-call schedules, drills. */
export function demoFacts(): EvidenceFact[] {
  const schedule = (route: string, owner: string, user: string) =>
    fact(
      g(owner),
      'oncall',
      'oncall.schedule',
      before({ m: 10 }),
      DAY,
      {
        provider: 'static',
        exists: true,
        onCallNow: [{ userRef: `user:${ns}/${user}`, level: 1 }],
      },
      route,
    );
  const backup = (name: string, restoreDaysAgo: number) =>
    fact(r(name), 'backup', 'backup.status', before({ d: 1 }), 7 * DAY, {
      enabled: true,
      lastRestoreTestAt: before({ d: restoreDaysAgo }),
      lastRestoreTestOutcome: 'succeeded',
    });
  return [
    ...COMPONENTS.flatMap(componentFacts),
    ...RESOURCES.map(res =>
      fact(r(res.name), 'cost', 'cost.tagging', before({ d: 1 }), 7 * DAY, {
        tagged: 2,
        total: 2,
        untagged: [],
      }),
    ),
    backup('checkout-db', 30),
    backup('orders-db', 30),
    backup('payments-db', 120),
    schedule('static:checkout-primary', 'checkout-team', 'ben.okafor'),
    schedule('static:payments-primary', 'payments-team', 'chen.wei'),
    schedule('static:fulfillment-primary', 'fulfillment-team', 'dara.singh'),
    schedule('static:platform-primary', 'platform-team', 'fatima.haddad'),
    schedule('static:commerce-escalation', 'commerce-eng', 'fatima.haddad'),
    fact(
      c('payment-service'),
      'drill',
      'rollback.drill',
      before({ d: 60 }),
      400 * DAY,
      { at: before({ d: 60 }), outcome: 'succeeded' },
    ),
    fact(
      c('api-gateway'),
      'drill',
      'rollback.drill',
      before({ d: 30 }),
      400 * DAY,
      { at: before({ d: 30 }), outcome: 'succeeded' },
    ),
  ];
}

function change(
  id: string,
  entityRef: string,
  kind: LedgerRecord['kind'],
  startedAt: string,
): LedgerRecord {
  return {
    id,
    entityRef,
    kind,
    environment: 'production',
    status: 'succeeded',
    startedAt,
    finishedAt: startedAt,
  };
}

/** Incident-brief §7 ledger L1–L11 plus scorecards LS1–LS5. */
export function demoLedger(): LedgerRecord[] {
  return [
    deploy('L1', c('payment-service'), '2.14.0', before({ d: 3 }), 11),
    deploy('L2', c('checkout-service'), '5.8.2', before({ m: 95 }), 12),
    change('L3', c('checkout-service'), 'feature-flag', before({ m: 25 })),
    change('L4', c('inventory-service'), 'config', before({ m: 50 })),
    change('L5', r('payments-db'), 'schema-migration', before({ d: 2 })),
    change('L6', r('order-events'), 'infra', before({ h: 6 })),
    deploy('L7', c('checkout-service'), '5.8.1', before({ d: 2 }), 17),
    deploy('L8', c('pricing-service'), '1.4.0', before({ h: 10 }), 18, {
      strategy: 'rolling',
      status: 'rolled-back',
    }),
    deploy('L9', c('pricing-service'), '1.3.2', before({ h: 9, m: 40 }), 19, {
      strategy: 'rolling',
      rollbackOf: 'L8',
    }),
    deploy('L10', c('promo-engine'), '0.3.0', before({ h: 4 }), 20),
    deploy('L11', c('pricing-service'), '1.3.2', before({ d: 12 }), 19, {
      strategy: 'rolling',
    }),
    deploy('LS1', c('payment-service'), '2.13.4', before({ d: 25 }), 21),
    deploy('LS2', c('api-gateway'), '3.4.1', before({ d: 5 }), 22),
    deploy('LS3', c('api-gateway'), '3.4.0', before({ d: 19 }), 23),
    deploy('LS4', c('order-service'), '3.2.0', before({ d: 45 }), 24, {
      strategy: 'rolling',
    }),
    deploy('LS5', c('order-service'), '3.1.4', before({ d: 100 }), 25, {
      strategy: 'rolling',
    }),
  ];
}

/** Incident-brief §7 observed series E3–E11, E15, E16 and the unmapped tax-svc callee, mapped to refs. */
export function demoEdges(): ObservedEdge[] {
  const e = (
    from: string,
    to: string,
    fromName: string,
    toName: string,
    lastSeenMin: number,
    interaction: 'sync' | 'async' = 'sync',
  ) => ({
    ...edge(c(from), to, { fromName, toName }, before({ m: lastSeenMin })),
    interaction,
  });
  return [
    e('api-gateway', c('checkout-service'), 'gateway', 'checkout', 1),
    e('checkout-service', c('payment-service'), 'checkout', 'payments', 1),
    e('checkout-service', c('inventory-service'), 'checkout', 'inventory', 2),
    e('checkout-service', c('order-service'), 'checkout', 'orders', 2),
    e('checkout-service', r('checkout-db'), 'checkout', 'checkout_pg', 1),
    e('payment-service', r('payments-db'), 'payments', 'payments_pg', 1),
    e(
      'payment-service',
      r('payment-provider'),
      'payments',
      'api.stripe.com',
      3,
    ),
    e(
      'inventory-service',
      r('inventory-db'),
      'inventory',
      'inventory-spanner',
      2,
    ),
    e('order-service', r('orders-db'), 'orders', 'orders_sql', 2),
    e('checkout-service', c('pricing-service'), 'checkout', 'pricing', 2),
    // E16: orders→notifier messaging, normalized consumer → producer, explained by order-events.
    e(
      'notification-worker',
      c('order-service'),
      'notifier',
      'orders',
      3,
      'async',
    ),
    {
      ...edge(
        c('checkout-service'),
        null,
        { fromName: 'checkout', toName: 'tax-svc' },
        before({ m: 2 }),
      ),
    },
  ];
}

/** The demo waiver on payment-service's slo-burn-alert (§6.3). */
export function demoWaivers(): Waiver[] {
  return [
    {
      id: 'WD1',
      entityRef: c('payment-service'),
      checkId: 'slo-burn-alert',
      kind: 'exception',
      reason: 'Burn-rate alerting waits for the new SLO tooling rollout.',
      owner: g('payments-team'),
      requestedBy: `user:${ns}/chen.wei`,
      approvedBy: `user:${ns}/fatima.haddad`,
      createdAt: before({ d: 10 }),
      approvedAt: before({ d: 10 }),
      expiresAt: after({ d: 20 }),
      status: 'active',
    },
  ];
}

/** Demo source health: every source healthy, PagerDuty not configured. */
export function demoSourceHealth(): SourceHealth[] {
  return [
    ...healthySources(),
    {
      source: 'pagerduty',
      status: 'disabled',
      since: '2026-01-01T00:00:00Z',
      lastSuccessAt: null,
    },
  ];
}

/** The demo standard's phase changes (§6.3). */
export const DEMO_STANDARD_OVERRIDES = {
  'owner-resolves': {
    rollout: [{ phase: 'gate' as const, from: '2026-01-01' }],
  },
  'critical-vulns-triaged': {
    rollout: [
      { phase: 'observe' as const, from: '2026-01-01' },
      { phase: 'enforce-new' as const, from: '2026-02-01' },
    ],
  },
  'cloud-resources-tagged': {
    rollout: [{ phase: 'observe' as const, from: '2026-01-01' }],
  },
};

export { digest };
