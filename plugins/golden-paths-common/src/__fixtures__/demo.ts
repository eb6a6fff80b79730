import type { Entity } from '@backstage/catalog-model';
import { DEFAULT_GOLDEN_PATHS_CONFIG, GoldenPathsConfig } from '../config';
import type { DatabasePriceFacts } from '../estimate/databaseEstimate';
import type { PolicyFacts, TemplateContext } from '../policy/facts';

// The §10 world: the demo catalog (catalog/demo/*.yaml, the entities the vectors touch, copied
// field for field), fixture F1, the §9 config and T.

/** Vector clock of golden-paths §10. */
export const T = '2026-11-23T10:00:00Z';
const P = 'ops.example.com/';

const group = (
  name: string,
  opts: {
    oncall?: string;
    parent?: string;
    children?: string[];
    members?: string[];
    costCenter?: string;
  },
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: {
    name,
    namespace: 'default',
    annotations: {
      ...(opts.oncall ? { [`${P}oncall`]: opts.oncall } : {}),
      ...(opts.costCenter ? { [`${P}cost-center`]: opts.costCenter } : {}),
    },
  },
  spec: {
    type: opts.parent ? 'team' : 'business-unit',
    ...(opts.parent ? { parent: opts.parent } : {}),
    children: opts.children ?? [],
    members: opts.members ?? [],
  },
});

const user = (name: string, memberOf: string[]): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { memberOf },
});

const system = (
  name: string,
  owner: string,
  lifecycle = 'production',
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: {
    name,
    namespace: 'default',
    labels: { [`${P}tier`]: '1' },
    annotations: { [`${P}lifecycle`]: lifecycle },
  },
  spec: { owner, domain: 'domain:default/commerce' },
});

/** A Component with the fields the rules read. */
export function component(
  name: string,
  opts: {
    owner: string;
    system: string;
    tier: string;
    lifecycle?: string;
    type?: string;
    dependsOn?: string[];
    annotations?: Record<string, string>;
    providesApis?: string[];
  },
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      labels: { [`${P}tier`]: opts.tier },
      annotations: opts.annotations ?? {},
    },
    spec: {
      type: opts.type ?? 'service',
      lifecycle: opts.lifecycle ?? 'production',
      owner: opts.owner,
      system: opts.system,
      ...(opts.dependsOn ? { dependsOn: opts.dependsOn } : {}),
      ...(opts.providesApis ? { providesApis: opts.providesApis } : {}),
    },
  };
}

/** Provenance annotations of an entity a golden path created (§2.1). */
export const createdByGoldenPath = (
  key: string,
  extra: Record<string, string> = {},
) => ({
  [`${P}template`]: 'template:default/service-node-http',
  [`${P}template-version`]: '1.0.0',
  [`${P}request-key`]: key,
  [`${P}created-at`]: '2026-06-01T10:00:00Z',
  ...extra,
});

/** org.yaml and systems.yaml of the demo, and the components the vectors name. */
export const demoCatalog: Entity[] = [
  group('commerce-eng', {
    oncall: 'static:commerce-escalation',
    costCenter: 'CC-1000',
    children: [
      'group:default/checkout-team',
      'group:default/payments-team',
      'group:default/fulfillment-team',
      'group:default/platform-team',
      'group:default/storefront-team',
    ],
  }),
  group('checkout-team', {
    oncall: 'static:checkout-primary',
    parent: 'group:default/commerce-eng',
    members: ['user:default/ana.ruiz', 'user:default/ben.okafor'],
  }),
  group('payments-team', {
    oncall: 'static:payments-primary',
    parent: 'group:default/commerce-eng',
    members: ['user:default/chen.wei'],
  }),
  group('fulfillment-team', {
    oncall: 'static:fulfillment-primary',
    parent: 'group:default/commerce-eng',
    members: ['user:default/dara.singh'],
  }),
  group('platform-team', {
    oncall: 'static:platform-primary',
    parent: 'group:default/commerce-eng',
    members: ['user:default/fatima.haddad'],
  }),
  group('storefront-team', { parent: 'group:default/commerce-eng' }),
  user('ana.ruiz', ['group:default/checkout-team']),
  user('ben.okafor', ['group:default/checkout-team']),
  user('chen.wei', ['group:default/payments-team']),
  user('dara.singh', ['group:default/fulfillment-team']),
  user('fatima.haddad', ['group:default/platform-team']),
  system('storefront', 'group:default/storefront-team'),
  system('checkout', 'group:default/checkout-team'),
  system('payments', 'group:default/payments-team'),
  system('fulfillment', 'group:default/fulfillment-team'),
  component('web-storefront', {
    owner: 'group:default/storefront-team',
    system: 'system:default/storefront',
    tier: '1',
    type: 'website',
    dependsOn: [
      'component:default/api-gateway',
      'component:default/pricing-service',
    ],
  }),
  component('checkout-service', {
    owner: 'group:default/checkout-team',
    system: 'system:default/checkout',
    tier: '1',
    annotations: { [`${P}regions`]: 'eu-west-1,us-east-1' },
  }),
  component('pricing-service', {
    owner: 'group:default/storefront-team',
    system: 'system:default/storefront',
    tier: '2',
    annotations: { [`${P}regions`]: 'us-east-1' },
  }),
];

/** `component:default/cart-api` as V1 leaves it (§2.1 example, local mode). */
export const cartApi: Entity = component('cart-api', {
  owner: 'group:default/checkout-team',
  system: 'system:default/checkout',
  tier: '2',
  lifecycle: 'experimental',
  providesApis: ['api:default/cart-api'],
  annotations: {
    [`${P}regions`]: 'eu-west-1',
    [`${P}data-classification`]: 'low',
    [`${P}slo-ids`]: 'cart-api-availability',
    [`${P}template`]: 'template:default/service-node-http',
    [`${P}template-version`]: '1.0.0',
    [`${P}request-key`]: 'service-node-http:cart-api',
    [`${P}created-at`]: T,
  },
});

/** Fixture F1 (§10): two archived tier-3 components created by golden paths. */
export const f1 = (couponReportArchivedOn = '2026-10-01'): Entity[] => [
  component('coupon-service', {
    owner: 'group:default/storefront-team',
    system: 'system:default/storefront',
    tier: '3',
    lifecycle: 'archived',
    annotations: createdByGoldenPath('service-node-http:coupon-service', {
      [`${P}archived-on`]: '2026-10-01',
    }),
  }),
  component('coupon-report', {
    owner: 'group:default/storefront-team',
    system: 'system:default/storefront',
    tier: '3',
    lifecycle: 'archived',
    dependsOn: ['component:coupon-service'],
    annotations: createdByGoldenPath('service-node-http:coupon-report', {
      [`${P}archived-on`]: couponReportArchivedOn,
    }),
  }),
];

/** §9 fixture config: the note's defaults. */
export const fixtureConfig: GoldenPathsConfig = DEFAULT_GOLDEN_PATHS_CONFIG;

/** The illustrative price book of §9 / cost-calculators C15. */
export const fixturePrices: DatabasePriceFacts = {
  version: 'example-2026.11',
  hourly: {
    'example.rds-postgres.s': '0.10',
    'example.rds-postgres.m': '0.20',
    'example.rds-postgres.l': '0.40',
    'example.rds-postgres.xl': '0.80',
    'example.rds-postgres.2xl': '1.60',
  },
  storagePerGiBMonth: '0.115',
  tiers: {
    dev: { ha: false, readReplicas: 0, approvalThresholdMonthly: '500' },
    staging: { ha: false, readReplicas: 0, approvalThresholdMonthly: '1000' },
    'production-standard': {
      ha: true,
      readReplicas: 1,
      approvalThresholdMonthly: '2000',
    },
    'production-critical': {
      ha: true,
      readReplicas: 2,
      approvalThresholdMonthly: '5000',
    },
  },
};

export const serviceTemplate: TemplateContext = {
  name: 'service-node-http',
  ref: 'template:default/service-node-http',
  version: '1.0.0',
  steps: [
    { id: 'validate', action: 'goldenpath:validate' },
    { id: 'preview', action: 'goldenpath:preview' },
    { id: 'open', action: 'goldenpath:ledger:open' },
    { id: 'approve', action: 'goldenpath:approve' },
    { id: 'skeleton', action: 'fetch:template' },
    { id: 'descriptor', action: 'goldenpath:descriptor' },
    { id: 'publish-local', action: 'goldenpath:publish:git' },
    { id: 'register', action: 'goldenpath:register' },
    { id: 'close', action: 'goldenpath:ledger:close' },
  ],
};

export const databaseTemplate: TemplateContext = {
  name: 'postgres-database',
  ref: 'template:default/postgres-database',
  version: '1.0.0',
};

/** Base service request S0 (§10). */
export const S0 = {
  name: 'cart-api',
  description: 'Keeps shopping carts for signed-in and guest shoppers.',
  owner: 'group:default/checkout-team',
  system: 'system:default/checkout',
  tier: '2',
  customerFacing: true,
  exposure: 'internal',
  dataClassification: 'low',
  runbook: 'generate-stub',
  sloAvailability: '99.5',
  sloLatencyP95Ms: 300,
  region: 'eu-west-1',
  waitMinutes: 0,
};

/** Base database request D0 (§10). */
export const D0 = {
  name: 'cart-db',
  component: 'component:default/cart-api',
  environment: 'dev',
  databaseTier: 'dev',
  size: 'm',
  storageGiB: 20,
  engineVersion: '16',
  region: 'eu-west-1',
  dataClassification: 'low',
  costCenter: 'CC-1042',
  purpose: 'Cart line items and guest sessions.',
  expiresOn: '2026-12-23',
  waitMinutes: 0,
};

/** Facts for a clean demo catalog with the given requester. */
export function demoFacts(overrides: Partial<PolicyFacts> = {}): PolicyFacts {
  return {
    requester: 'user:default/ana.ruiz',
    catalog: demoCatalog,
    prices: fixturePrices,
    ...overrides,
  };
}
