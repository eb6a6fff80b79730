import type { ConnectionType } from '@internal/plugin-evidence-common';

/**
 * The demo catalog's services as its telemetry sees them (incident-brief §7): entity, alias,
 * owner name (used as the alert `team` label and `<team>-pager` receiver) and tier.
 */
export const DEMO_SERVICES = [
  {
    entity: 'web-storefront',
    alias: 'web-storefront',
    team: 'storefront-team',
    tier: 1,
    telemetry: false,
  },
  {
    entity: 'api-gateway',
    alias: 'gateway',
    team: 'platform-team',
    tier: 1,
    telemetry: true,
  },
  {
    entity: 'checkout-service',
    alias: 'checkout',
    team: 'checkout-team',
    tier: 1,
    telemetry: true,
  },
  {
    entity: 'payment-service',
    alias: 'payments',
    team: 'payments-team',
    tier: 1,
    telemetry: true,
  },
  {
    entity: 'inventory-service',
    alias: 'inventory',
    team: 'fulfillment-team',
    tier: 1,
    telemetry: true,
  },
  {
    entity: 'order-service',
    alias: 'orders',
    team: 'fulfillment-team',
    tier: 1,
    telemetry: true,
  },
  {
    entity: 'pricing-service',
    alias: 'pricing',
    team: 'storefront-team',
    tier: 2,
    telemetry: true,
  },
  {
    entity: 'notification-worker',
    alias: 'notifier',
    team: 'dara.singh',
    tier: 3,
    telemetry: true,
  },
] as const;

/** Telemetry names of the demo Resources (databases, the card processor). */
export const DEMO_RESOURCE_ALIASES = [
  'checkout_pg',
  'payments_pg',
  'inventory-spanner',
  'orders_sql',
  'api.stripe.com',
] as const;

/** The SLO whose burn-rate alerts the demo leaves out (covered by a scorecards waiver). */
export const DEMO_SLO_WITHOUT_ALERTS = 'payment-service-availability';

/** One recorded service-graph series: E3–E11, E15, E16 and the unmapped `tax-svc` (IB §7). */
export interface DemoServiceGraphSeries {
  id: string;
  client: string;
  server: string;
  connectionType: ConnectionType;
}

/** The 12 demo service-graph series. */
export const DEMO_SERVICE_GRAPH: readonly DemoServiceGraphSeries[] = [
  { id: 'E3', client: 'gateway', server: 'checkout', connectionType: '' },
  { id: 'E4', client: 'checkout', server: 'payments', connectionType: '' },
  { id: 'E5', client: 'checkout', server: 'inventory', connectionType: '' },
  { id: 'E6', client: 'checkout', server: 'orders', connectionType: '' },
  {
    id: 'E7',
    client: 'checkout',
    server: 'checkout_pg',
    connectionType: 'database',
  },
  {
    id: 'E8',
    client: 'payments',
    server: 'payments_pg',
    connectionType: 'database',
  },
  {
    id: 'E9',
    client: 'payments',
    server: 'api.stripe.com',
    connectionType: 'virtual_node',
  },
  {
    id: 'E10',
    client: 'inventory',
    server: 'inventory-spanner',
    connectionType: 'database',
  },
  {
    id: 'E11',
    client: 'orders',
    server: 'orders_sql',
    connectionType: 'database',
  },
  { id: 'E15', client: 'checkout', server: 'pricing', connectionType: '' },
  {
    id: 'E16',
    client: 'orders',
    server: 'notifier',
    connectionType: 'messaging_system',
  },
  { id: 'tax-svc', client: 'checkout', server: 'tax-svc', connectionType: '' },
];

/** SLO objective by tier (evidence §7.1): 0.999, 0.995, 0.99. */
export function demoObjective(tier: number): number {
  if (tier === 1) return 0.999;
  return tier === 2 ? 0.995 : 0.99;
}

/** Burn rate and remaining budget every demo SLO reports (D5 = 0). */
export const DEMO_SLO_BURN_RATE = 0.4;
export const DEMO_SLO_BUDGET_REMAINING = 0.8;
