import type { DatabasePlanRequest } from '../provisioners/DatabaseProvisioner';

/** The C15 estimate of V24's prod database (price book 2026.11.0). */
export const prodDatabaseEstimate = {
  sku: 'example.rds-postgres.l',
  instances: 3,
  computeMonthly: '876.00',
  storageMonthly: '34.50',
  total: '910.50',
  threshold: '2000.00',
  maxMonthly: '8000.00',
  overThreshold: false,
  overLimit: false,
  priceBookVersion: '2026.11.0',
};

/** A provisioner's plan request for cart-db in prod (V24), as the plan action builds it. */
export const prodDatabasePlanRequest: DatabasePlanRequest = {
  requestKey: 'postgres-database:cart-db:prod',
  resourceName: 'cart-db-prod',
  owner: 'group:default/checkout-team',
  system: 'system:default/checkout',
  estimate: prodDatabaseEstimate,
  request: {
    name: 'cart-db',
    component: 'component:default/cart-api',
    environment: 'prod',
    databaseTier: 'production-standard',
    size: 'l',
    storageGiB: 100,
    extraReadReplicas: 0,
    engineVersion: '16',
    region: 'eu-west-1',
    dataClassification: 'critical-pii',
    costCenter: 'CC-1042',
    purpose: 'Cart line items and guest sessions.',
    additionalAccess: [],
  },
};
