import { Entity } from '@backstage/catalog-model';
import { ObservedEdgeRecord } from '../graph/types';
import { ChangeRecord } from '../changes/types';
import { emitRelations } from './emitRelations';

/** Vector clock of incident-brief §7: T = 2026-03-14T02:05Z. */
export const T = '2026-03-14T02:05:00.000Z';
const tMs = Date.parse(T);
/** T shifted by minutes. */
export const at = (minutes: number) =>
  new Date(tMs + minutes * 60_000).toISOString();
const H = 60;
const D = 24 * H;

const P = 'ops.example.com/';

function software(
  kind: 'Component' | 'Resource' | 'API',
  name: string,
  opts: {
    type: string;
    owner: string;
    system: string;
    tier?: string;
    cf?: string;
    regions?: string;
    data?: string;
    aliases?: string;
    entry?: string;
    dependsOn?: string[];
    consumesApis?: string[];
    providesApis?: string[];
    annotations?: Record<string, string>;
    links?: { url: string; type: string; title?: string }[];
    lifecycle?: string;
  },
): Entity {
  const labels: Record<string, string> = {};
  if (opts.tier) labels[`${P}tier`] = opts.tier;
  if (opts.cf) labels[`${P}customer-facing`] = opts.cf;
  const annotations: Record<string, string> = { ...(opts.annotations ?? {}) };
  if (opts.regions) annotations[`${P}regions`] = opts.regions;
  if (opts.data) annotations[`${P}data-domains`] = opts.data;
  if (opts.aliases) annotations[`${P}aliases`] = opts.aliases;
  if (opts.entry) annotations[`${P}entry-points`] = opts.entry;
  if (kind === 'Resource')
    annotations[`${P}lifecycle`] = opts.lifecycle ?? 'production';
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: {
      name,
      namespace: 'default',
      labels,
      annotations,
      ...(opts.links ? { links: opts.links } : {}),
    },
    spec: {
      type: opts.type,
      owner: opts.owner,
      system: opts.system,
      ...(kind !== 'Resource'
        ? { lifecycle: opts.lifecycle ?? 'production' }
        : {}),
      ...(opts.dependsOn ? { dependsOn: opts.dependsOn } : {}),
      ...(opts.consumesApis ? { consumesApis: opts.consumesApis } : {}),
      ...(opts.providesApis ? { providesApis: opts.providesApis } : {}),
      ...(kind === 'API' ? { definition: 'openapi: 3.0.0' } : {}),
    },
  };
}

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
    metadata: {
      name,
      namespace: 'default',
      annotations: opts.annotations ?? {},
    },
    spec: {
      type: 'team',
      children: [],
      members: opts.members ?? [],
      ...(opts.parent ? { parent: opts.parent } : {}),
    },
  };
}

const user = (name: string, displayName: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { profile: { displayName }, memberOf: [] },
});

const systemEntity = (name: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: {
    name,
    namespace: 'default',
    labels: { [`${P}tier`]: '1' },
    annotations: { [`${P}lifecycle`]: 'production' },
  },
  spec: { owner, domain: 'commerce' },
});

const both = 'eu-west-1, us-east-1';

/** The 34 entities of the demo catalog (§7), with relations as the catalog emits them. */
export function demoEntities(): Entity[] {
  return emitRelations([
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Domain',
      metadata: { name: 'commerce', namespace: 'default' },
      spec: { owner: 'group:commerce-eng' },
    },
    systemEntity('storefront', 'storefront-team'),
    systemEntity('checkout', 'checkout-team'),
    systemEntity('payments', 'payments-team'),
    systemEntity('fulfillment', 'fulfillment-team'),
    group('commerce-eng', {
      annotations: {
        [`${P}oncall`]: 'static:commerce-escalation',
        [`${P}chat-channel`]: 'slack:#commerce-incidents',
      },
    }),
    group('checkout-team', {
      parent: 'commerce-eng',
      members: ['ana.ruiz', 'ben.okafor'],
      annotations: {
        [`${P}oncall`]: 'static:checkout-primary',
        [`${P}escalation`]:
          'static:checkout-primary, user:default/ana.ruiz, group:default/commerce-eng',
        [`${P}chat-channel`]: 'slack:#checkout-oncall',
      },
    }),
    group('payments-team', {
      parent: 'commerce-eng',
      members: ['chen.wei'],
      annotations: {
        [`${P}oncall`]: 'static:payments-primary',
        [`${P}chat-channel`]: 'slack:#payments-oncall',
      },
    }),
    group('fulfillment-team', {
      parent: 'commerce-eng',
      members: ['dara.singh'],
      annotations: {
        [`${P}oncall`]: 'static:fulfillment-primary',
        [`${P}chat-channel`]: 'slack:#fulfillment',
      },
    }),
    group('platform-team', {
      parent: 'commerce-eng',
      members: ['fatima.haddad'],
      annotations: {
        [`${P}oncall`]: 'static:platform-primary',
        [`${P}chat-channel`]: 'slack:#platform-oncall',
      },
    }),
    group('storefront-team', { parent: 'commerce-eng' }),
    user('ana.ruiz', 'Ana Ruiz'),
    user('ben.okafor', 'Ben Okafor'),
    user('chen.wei', 'Chen Wei'),
    user('dara.singh', 'Dara Singh'),
    user('fatima.haddad', 'Fatima Haddad'),
    software('Component', 'web-storefront', {
      type: 'website',
      owner: 'storefront-team',
      system: 'storefront',
      tier: '1',
      cf: 'true',
      regions: both,
      data: 'catalog, session',
      entry: 'web:/cart, web:/checkout',
      dependsOn: ['component:api-gateway', 'component:pricing-service'],
    }),
    software('Component', 'api-gateway', {
      type: 'service',
      owner: 'platform-team',
      system: 'storefront',
      tier: '1',
      cf: 'true',
      regions: both,
      aliases: 'gateway',
      entry: 'api:https://api.shop.example/v1',
      consumesApis: ['checkout-api'],
    }),
    software('Component', 'checkout-service', {
      type: 'service',
      owner: 'checkout-team',
      system: 'checkout',
      tier: '1',
      cf: 'true',
      regions: both,
      data: 'orders, payments',
      aliases: 'checkout',
      entry: 'api:POST /v1/checkout',
      providesApis: ['checkout-api'],
      consumesApis: ['payment-api', 'inventory-api', 'order-api'],
      dependsOn: ['resource:checkout-db'],
      annotations: { 'argocd/app-name': 'checkout-prod' },
      links: [
        {
          url: 'https://runbooks.shop.example/checkout',
          type: 'runbook',
          title: 'Runbook',
        },
        {
          url: 'https://grafana.shop.example/d/checkout-attempts',
          type: 'triage',
          title: 'Checkout attempts',
        },
      ],
    }),
    software('Component', 'payment-service', {
      type: 'service',
      owner: 'payments-team',
      system: 'payments',
      tier: '1',
      cf: 'false',
      regions: both,
      data: 'payments, pii',
      aliases: 'payments',
      providesApis: ['payment-api'],
      dependsOn: ['resource:payments-db', 'resource:payment-provider'],
      annotations: { 'pagerduty.com/service-id': 'PPAY001' },
    }),
    software('Component', 'inventory-service', {
      type: 'service',
      owner: 'fulfillment-team',
      system: 'fulfillment',
      tier: '1',
      cf: 'false',
      regions: 'us-east-1',
      data: 'inventory',
      aliases: 'inventory',
      providesApis: ['inventory-api'],
      dependsOn: ['resource:inventory-db'],
    }),
    software('Component', 'order-service', {
      type: 'service',
      owner: 'fulfillment-team',
      system: 'fulfillment',
      tier: '1',
      cf: 'false',
      regions: both,
      data: 'orders, pii',
      aliases: 'orders',
      providesApis: ['order-api'],
      consumesApis: ['inventory-api'],
      dependsOn: ['resource:orders-db', 'resource:order-events'],
    }),
    software('Component', 'pricing-service', {
      type: 'service',
      owner: 'storefront-team',
      system: 'storefront',
      tier: '2',
      cf: 'false',
      regions: 'us-east-1',
      data: 'catalog',
      aliases: 'pricing',
    }),
    software('Component', 'notification-worker', {
      type: 'service',
      owner: 'user:default/dara.singh',
      system: 'fulfillment',
      tier: '3',
      cf: 'false',
      regions: 'eu-west-1',
      data: 'pii',
      aliases: 'notifier',
      dependsOn: ['resource:order-events'],
    }),
    ...(
      [
        ['checkout-api', 'checkout-team', 'checkout'],
        ['payment-api', 'payments-team', 'payments'],
        ['inventory-api', 'fulfillment-team', 'fulfillment'],
        ['order-api', 'fulfillment-team', 'fulfillment'],
      ] as const
    ).map(([name, owner, sys]) =>
      software('API', name, { type: 'openapi', owner, system: sys }),
    ),
    software('Resource', 'checkout-db', {
      type: 'database',
      owner: 'checkout-team',
      system: 'checkout',
      tier: '1',
      cf: 'false',
      regions: both,
      data: 'orders',
      aliases: 'checkout_pg',
    }),
    software('Resource', 'payments-db', {
      type: 'database',
      owner: 'payments-team',
      system: 'payments',
      tier: '1',
      cf: 'false',
      regions: both,
      data: 'payments, pii',
      aliases: 'payments_pg',
    }),
    software('Resource', 'inventory-db', {
      type: 'database',
      owner: 'fulfillment-team',
      system: 'fulfillment',
      tier: '1',
      cf: 'false',
      regions: 'us-east-1',
      data: 'inventory',
      aliases: 'inventory-spanner',
    }),
    software('Resource', 'orders-db', {
      type: 'database',
      owner: 'fulfillment-team',
      system: 'fulfillment',
      tier: '1',
      cf: 'false',
      regions: both,
      data: 'orders, pii',
      aliases: 'orders_sql',
    }),
    software('Resource', 'order-events', {
      type: 'topic',
      owner: 'platform-team',
      system: 'fulfillment',
      tier: '1',
      cf: 'false',
      regions: both,
      data: 'orders',
    }),
    software('Resource', 'payment-provider', {
      type: 'external-service',
      owner: 'payments-team',
      system: 'payments',
      tier: '1',
      cf: 'false',
      data: 'payments',
      aliases: 'api.stripe.com',
    }),
  ]);
}

const series = (
  client: string,
  server: string,
  minutesAgo: number,
  connectionType: ObservedEdgeRecord['connectionType'] = '',
): ObservedEdgeRecord => ({
  client,
  server,
  connectionType,
  firstSeen: at(-20 * D),
  lastSeen: at(-minutesAgo),
  requestsPerMinute: 100,
  errorRatio: 0,
  source: 'prometheus:traces_service_graph_request_total',
});

/** The demo's recorded service-graph series (§7 edges E3–E11, E15, E16 and tax-svc). */
export function demoObservedEdges(): ObservedEdgeRecord[] {
  return [
    series('gateway', 'checkout', 1), // E3, seen 02:04Z
    series('checkout', 'payments', 1), // E4
    series('checkout', 'inventory', 1), // E5
    series('checkout', 'orders', 1), // E6
    series('checkout', 'checkout_pg', 1, 'database'), // E7
    series('payments', 'payments_pg', 2, 'database'), // E8
    series('payments', 'api.stripe.com', 2, 'virtual_node'), // E9
    series('inventory', 'inventory-spanner', 2, 'database'), // E10
    series('orders', 'orders_sql', 2, 'database'), // E11
    series('checkout', 'pricing', 2), // E15, seen 02:03Z
    series('orders', 'notifier', 3, 'messaging_system'), // E16
    series('checkout', 'tax-svc', 2), // unmapped callee
  ];
}

const received = (startedMin: number, finishedMin?: number) =>
  at((finishedMin ?? startedMin) + 1);

function change(
  id: string,
  entity: string | null,
  kind: ChangeRecord['kind'],
  summary: string,
  actor: [ChangeRecord['actor']['type'], string],
  system: string,
  startedMin: number,
  finishedMin: number | undefined,
  status: ChangeRecord['status'],
  attributes: ChangeRecord['attributes'],
  extra: Partial<ChangeRecord> = {},
): ChangeRecord {
  return {
    id,
    entityRef: entity,
    resolution:
      entity && !entity.includes('promo-engine') ? 'resolved' : 'unresolved',
    kind,
    environment: 'production',
    ref: extra.ref ?? summary,
    summary,
    actor: { type: actor[0], id: actor[1] },
    source: { system, externalId: `${system}-${id}` },
    startedAt: at(startedMin),
    ...(finishedMin !== undefined ? { finishedAt: at(finishedMin) } : {}),
    status,
    attributes,
    receivedAt: received(startedMin, finishedMin),
    effectiveAt: at(startedMin),
    flags: [],
    ...extra,
  };
}

const canary = {
  from: 0,
  to: 100,
  strategy: 'canary' as const,
  analysis: true,
};
const passed = { status: 'passed' as const };
const c = (name: string) => `component:default/${name}`;
const r = (name: string) => `resource:default/${name}`;

/** Ledger entries L1–L11 (§7), times relative to T. */
export function demoLedger(): ChangeRecord[] {
  return [
    change(
      'L1',
      c('payment-service'),
      'deploy',
      '2.14.0 canary → 100 %',
      ['bot', 'deploy-bot'],
      'argocd',
      -3 * D,
      -3 * D + 20,
      'succeeded',
      { artifactDigest: 'sha256:l1', exposure: canary, verification: passed },
      { version: '2.14.0' },
    ),
    change(
      'L2',
      c('checkout-service'),
      'deploy',
      '5.8.2 canary → 100 %',
      ['user', 'ben.okafor'],
      'argocd',
      -95,
      -80,
      'succeeded',
      { artifactDigest: 'sha256:l2', exposure: canary, verification: passed },
      { version: '5.8.2' },
    ),
    change(
      'L3',
      c('checkout-service'),
      'feature-flag',
      'checkout.split-tender release 0 → 100 %',
      ['user', 'ana.ruiz'],
      'flag-service',
      -25,
      -25,
      'succeeded',
      {
        flagKey: 'checkout.split-tender',
        flagType: 'release',
        exposure: { from: 0, to: 100 },
      },
      { ref: 'checkout.split-tender@on' },
    ),
    change(
      'L4',
      c('inventory-service'),
      'config',
      'reservation.hold-ttl 15m → 5m, global',
      ['user', 'dara.singh'],
      'config-repo',
      -50,
      -49,
      'succeeded',
      { keys: ['reservation.hold-ttl'], scope: 'global' },
    ),
    change(
      'L5',
      r('payments-db'),
      'schema-migration',
      'V2026_03_12__drop_legacy_card_col, contract',
      ['bot', 'migrator'],
      'flyway',
      -2 * D,
      -2 * D + 4,
      'succeeded',
      {
        version: 'V2026_03_12__drop_legacy_card_col',
        phase: 'contract',
        reversible: false,
        destructive: true,
        verification: passed,
      },
    ),
    change(
      'L6',
      r('order-events'),
      'infra',
      'max delivery count 10 → 5',
      ['bot', 'platform-bot'],
      'terraform',
      -6 * H,
      -6 * H + 2,
      'succeeded',
      {
        workspace: 'order-events-prod',
        plan: { add: 0, change: 1, destroy: 0, replace: 0 },
        verification: passed,
      },
    ),
    change(
      'L7',
      c('checkout-service'),
      'deploy',
      '5.8.1 canary → 100 %',
      ['bot', 'deploy-bot'],
      'argocd',
      -2 * D,
      -2 * D + 15,
      'succeeded',
      { artifactDigest: 'sha256:l7', exposure: canary, verification: passed },
      { version: '5.8.1' },
    ),
    change(
      'L8',
      c('pricing-service'),
      'deploy',
      '1.4.0 rolling',
      ['bot', 'deploy-bot'],
      'github-actions',
      -10 * H,
      -9 * H - 50,
      'rolled-back',
      {
        artifactDigest: 'sha256:l8',
        exposure: { from: 0, to: 100, strategy: 'rolling', analysis: false },
        verification: passed,
      },
      { version: '1.4.0' },
    ),
    change(
      'L9',
      c('pricing-service'),
      'deploy',
      '1.3.2, rollback of 1.4.0',
      ['bot', 'deploy-bot'],
      'github-actions',
      -9 * H - 40,
      -9 * H - 35,
      'succeeded',
      {
        artifactDigest: 'sha256:l11',
        exposure: { from: 0, to: 100, strategy: 'rolling' },
        verification: passed,
      },
      { version: '1.3.2', rollbackOf: 'L8' },
    ),
    change(
      'L10',
      'component:default/promo-engine',
      'deploy',
      '0.3.0',
      ['bot', 'deploy-bot'],
      'github-actions',
      -4 * H,
      -4 * H + 5,
      'succeeded',
      { artifactDigest: 'sha256:l10' },
      { version: '0.3.0' },
    ),
    change(
      'L11',
      c('pricing-service'),
      'deploy',
      '1.3.2 rolling',
      ['bot', 'deploy-bot'],
      'github-actions',
      -12 * D,
      -12 * D + 6,
      'succeeded',
      {
        artifactDigest: 'sha256:l11',
        exposure: { from: 0, to: 100, strategy: 'rolling' },
        verification: passed,
      },
      { version: '1.3.2' },
    ),
  ];
}

/**
 * Static schedules of the demo (§7): weekly rotations handing off Monday 09:00Z; the epoch is
 * chosen so Ben Okafor is on call at T.
 */
export const demoSchedules: Record<string, string[]> = {
  'static:checkout-primary': [
    'user:default/ben.okafor',
    'user:default/ana.ruiz',
  ],
  'static:payments-primary': ['user:default/chen.wei'],
  'static:fulfillment-primary': ['user:default/dara.singh'],
  'static:platform-primary': ['user:default/fatima.haddad'],
  'static:commerce-escalation': [
    'user:default/fatima.haddad',
    'user:default/ana.ruiz',
  ],
};
/** Next Monday 09:00Z after T. */
export const demoHandoff = '2026-03-16T09:00:00.000Z';

/** Full refs for the short names the design note uses in its vectors. */
export const ref = (short: string): string => {
  const resources = [
    'checkout-db',
    'payments-db',
    'inventory-db',
    'orders-db',
    'order-events',
    'payment-provider',
  ];
  if (short.includes(':'))
    return short.includes('/') ? short : short.replace(':', ':default/');
  return resources.includes(short)
    ? `resource:default/${short}`
    : `component:default/${short}`;
};
