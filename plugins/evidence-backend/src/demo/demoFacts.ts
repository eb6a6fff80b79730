import type { JsonValue } from '@internal/plugin-evidence-common';
import { DAY_MS, HOUR_MS, MINUTE_MS, demoDigest, demoTime } from './demoClock';
import {
  DEMO_SERVICES,
  DEMO_SLO_BUDGET_REMAINING,
  DEMO_SLO_BURN_RATE,
  DEMO_SLO_WITHOUT_ALERTS,
  demoObjective,
} from './demoTelemetry';

/**
 * One demo fact. Offsets are ms from `T` (negative = before); `value` receives `T` because some
 * values carry times of their own (last sample, restore test, drill).
 */
export interface DemoFact {
  /** Unique per fact; the idempotency key is `demo:<id>`. */
  id: string;
  entityRef: string;
  source: string;
  kind: string;
  key?: string;
  observedOffset: number;
  value: (t: number) => JsonValue;
}

/** Runbook and dashboard links of the demo Components (catalog/demo/components.yaml). */
const LINKS: Record<string, string[]> = {
  'web-storefront': [
    'https://runbooks.shop.example/storefront',
    'https://grafana.shop.example/d/web-storefront',
  ],
  'api-gateway': [
    'https://runbooks.shop.example/gateway',
    'https://grafana.shop.example/d/api-gateway',
  ],
  'checkout-service': [
    'https://runbooks.shop.example/checkout',
    'https://grafana.shop.example/d/checkout-attempts',
    'https://grafana.shop.example/d/checkout-service',
  ],
  'payment-service': [
    'https://runbooks.shop.example/payments',
    'https://grafana.shop.example/d/payment-service',
  ],
  'inventory-service': [
    'https://runbooks.shop.example/inventory',
    'https://grafana.shop.example/d/inventory-service',
  ],
  'order-service': [
    'https://runbooks.shop.example/orders',
    'https://grafana.shop.example/d/order-service',
  ],
  'pricing-service': [
    'https://runbooks.shop.example/pricing',
    'https://grafana.shop.example/d/pricing-service',
  ],
  'notification-worker': [
    'https://runbooks.shop.example/notifier',
    'https://grafana.shop.example/d/notification-worker',
  ],
};

/** `ops.example.com/monthly-budget-usd` of the demo Components; spend is 60 % of it. */
const MONTHLY_BUDGET_USD: Record<string, number> = {
  'web-storefront': 6000,
  'api-gateway': 8000,
  'checkout-service': 9000,
  'payment-service': 7500,
  'inventory-service': 6000,
  'order-service': 7000,
  'pricing-service': 5000,
  'notification-worker': 5000,
};

/** Alert rule names, as the demo Prometheus rule file names them (demoPrometheusFiles.ts). */
const ALERT_RULES = [
  { name: 'HighErrorRate', severity: 'page' },
  { name: 'TrafficDrop', severity: 'ticket' },
  { name: 'TelemetryMissing', severity: 'ticket' },
];
const BURN_RATE_RULES = ['SLOErrorBudgetFastBurn', 'SLOErrorBudgetSlowBurn'];

const c = (name: string) => `component:default/${name}`;
const r = (name: string) => `resource:default/${name}`;

/** The previous calendar month of `t` as `YYYY-MM` (the last complete billing month). */
function previousMonth(t: number): string {
  const d = new Date(t);
  const prev = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1));
  return prev.toISOString().slice(0, 7);
}

/** The scorecards §6.1 profile of one Component with its own names, and its deltas. */
function componentFacts(service: (typeof DEMO_SERVICES)[number]): DemoFact[] {
  const name = service.entity;
  const ref = c(name);
  const alias = service.alias;
  const slo = `${name}-availability`;
  const id = (kind: string) => `${name}:${kind}`;
  const commitSha = demoDigest(`${name}:commit`).slice(7, 47);
  const sloAlerts = slo === DEMO_SLO_WITHOUT_ALERTS ? [] : BURN_RATE_RULES;
  const facts: DemoFact[] = [
    {
      id: id('repo.files'),
      entityRef: ref,
      source: 'repo',
      kind: 'repo.files',
      observedOffset: -2 * HOUR_MS,
      value: t => ({
        repository: `github.com/shop-example/${name}`,
        ref: 'main',
        commitSha,
        commitAt: demoTime(t, -2 * HOUR_MS),
        paths: [
          '.github/CODEOWNERS',
          'README.md',
          'mkdocs.yml',
          '.github/workflows/ci.yml',
          '.github/dependabot.yml',
          `slo/${name}.yaml`,
        ],
        openSlo: [{ path: `slo/${name}.yaml`, id: slo }],
        stubMarkers: [],
      }),
    },
    {
      id: id('repo.settings'),
      entityRef: ref,
      source: 'repo-host',
      kind: 'repo.settings',
      observedOffset: -6 * HOUR_MS,
      value: () => ({
        defaultBranch: 'main',
        protected: true,
        requiredReviews: 1,
        requiredStatusChecks: true,
      }),
    },
    {
      id: id('ci.summary'),
      entityRef: ref,
      source: 'ci',
      kind: 'ci.summary',
      observedOffset: -HOUR_MS,
      value: t => ({
        windowDays: 30,
        runs: 60,
        passed: 57,
        failed: 3,
        flaky: 1,
        passRate: 57 / 60,
        flakeRate: 1 / 60,
        newestRunAt: demoTime(t, -HOUR_MS),
        queueP50Ms: 12000,
        byFailureDomain: { test: 3 },
      }),
    },
    {
      id: id('ci.security'),
      entityRef: ref,
      source: 'ci-security',
      kind: 'ci.security',
      observedOffset: -HOUR_MS,
      value: () => ({
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
    },
    {
      id: id('telemetry.presence'),
      entityRef: ref,
      source: 'prometheus',
      kind: 'telemetry.presence',
      observedOffset: -4 * MINUTE_MS,
      // Delta: web-storefront has no server-side telemetry (fresh collection, nothing seen).
      value: t => ({
        aliases: [alias],
        series: service.telemetry
          ? [{ alias, lastSampleAt: demoTime(t, -4 * MINUTE_MS) }]
          : [],
      }),
    },
    {
      id: id('alerts.rules'),
      entityRef: ref,
      source: 'prometheus',
      kind: 'alerts.rules',
      observedOffset: -4 * MINUTE_MS,
      value: () => ({
        rules: ALERT_RULES.map(rule => ({
          name: rule.name,
          group: `demo-${name}`,
          labels: {
            service: alias,
            team: service.team,
            severity: rule.severity,
          },
          receivers: [`${service.team}-pager`],
          defaultReceiver: false,
        })),
      }),
    },
    {
      id: id('slo.definitions'),
      entityRef: ref,
      source: 'prometheus',
      kind: 'slo.definitions',
      observedOffset: -4 * MINUTE_MS,
      value: () => ({
        ids: { [slo]: { objective: demoObjective(service.tier) } },
      }),
    },
    {
      id: id('slo.status'),
      entityRef: ref,
      source: 'prometheus',
      kind: 'slo.status',
      observedOffset: -4 * MINUTE_MS,
      value: t => ({
        [slo]: {
          lastSampleAt: demoTime(t, -MINUTE_MS),
          burnRate1h: DEMO_SLO_BURN_RATE,
          budgetRemaining: DEMO_SLO_BUDGET_REMAINING,
        },
      }),
    },
    {
      id: id('slo.alerts'),
      entityRef: ref,
      source: 'prometheus',
      kind: 'slo.alerts',
      observedOffset: -4 * MINUTE_MS,
      // Delta: payment-service has no burn-rate rules (covered by a scorecards waiver).
      value: () => ({
        [slo]: { burnRateRules: sloAlerts.length, names: sloAlerts },
      }),
    },
    ...LINKS[name].map(
      (url, i): DemoFact => ({
        id: id(`link.status.${i}`),
        entityRef: ref,
        source: 'linkcheck',
        kind: 'link.status',
        key: url,
        observedOffset: -3 * HOUR_MS,
        value: () => ({ status: 200, redirects: 0 }),
      }),
    ),
    {
      id: id('vulns.summary'),
      entityRef: ref,
      source: 'scanner',
      kind: 'vulns.summary',
      observedOffset: -DAY_MS,
      value: () => ({ openCritical: [] }),
    },
    costTagging(ref, id('cost.tagging'), 5),
    {
      id: id('cost.monthly'),
      entityRef: ref,
      source: 'cost',
      kind: 'cost.monthly',
      observedOffset: -DAY_MS,
      value: t => ({
        month: previousMonth(t),
        amountUsd: String(Math.round(MONTHLY_BUDGET_USD[name] * 0.6)),
      }),
    },
  ];
  return facts;
}

function costTagging(entityRef: string, id: string, total: number): DemoFact {
  return {
    id,
    entityRef,
    source: 'cost',
    kind: 'cost.tagging',
    observedOffset: -DAY_MS,
    value: () => ({ tagged: total, total, untagged: [] }),
  };
}

function rollbackDrill(name: string, days: number): DemoFact {
  return {
    id: `${name}:rollback.drill`,
    entityRef: c(name),
    source: 'drill',
    kind: 'rollback.drill',
    observedOffset: -days * DAY_MS,
    value: t => ({ at: demoTime(t, -days * DAY_MS), outcome: 'succeeded' }),
  };
}

function backupStatus(name: string, restoreDays: number): DemoFact {
  return {
    id: `${name}:backup.status`,
    entityRef: r(name),
    source: 'backup',
    kind: 'backup.status',
    observedOffset: -DAY_MS,
    value: t => ({
      enabled: true,
      lastRestoreTestAt: demoTime(t, -restoreDays * DAY_MS),
      lastRestoreTestOutcome: 'succeeded',
    }),
  };
}

/** The demo Resources (incident-brief §7). */
export const DEMO_RESOURCES = [
  'checkout-db',
  'payments-db',
  'inventory-db',
  'orders-db',
  'order-events',
  'payment-provider',
] as const;

/**
 * Every demo fact of evidence §7.1: the per-Component profile with its deltas, rollback drills,
 * Resource backups and tagging. Nothing for on-call (the real collector reads the static
 * schedules) and nothing extra for inventory-service, payments-db or order-events.
 */
export const DEMO_FACTS: readonly DemoFact[] = [
  ...DEMO_SERVICES.flatMap(componentFacts),
  rollbackDrill('payment-service', 60),
  rollbackDrill('api-gateway', 30),
  backupStatus('checkout-db', 30),
  backupStatus('orders-db', 30),
  backupStatus('payments-db', 120),
  ...DEMO_RESOURCES.map(name =>
    costTagging(r(name), `${name}:cost.tagging`, 2),
  ),
];
