import { planDigest } from '@internal/plugin-golden-paths-common';
import {
  completePlan,
  evaluatePlanPolicy,
  moduleVariables,
  planRefusal,
} from './planModel';
import type { DatabasePlanRequest } from './DatabaseProvisioner';
import {
  prodDatabaseEstimate,
  prodDatabasePlanRequest,
} from '../__fixtures__/databasePlanRequest';

const estimate = prodDatabaseEstimate;
const prodRequest: DatabasePlanRequest = prodDatabasePlanRequest;

const resources = [
  {
    address: 'postgresql_role.cart_db_prod_app',
    type: 'postgresql_role',
    action: 'create' as const,
  },
  {
    address: 'postgresql_database.cart_db_prod',
    type: 'postgresql_database',
    action: 'create' as const,
  },
];

const planOf = (
  variables = moduleVariables(prodRequest),
  changes = { add: 2, change: 0, destroy: 0, replace: 0 },
) => evaluatePlanPolicy({ variables, changes, resourceName: 'cart-db-prod' });

describe('module contract and plan policy P01–P06 (golden-paths.md §3.3, §4.9)', () => {
  it('a production-standard request gets the tier contract and passes every rule', () => {
    expect(moduleVariables(prodRequest)).toEqual({
      identifier: 'cart_db_prod',
      role: 'cart_db_prod_app',
      engine: 'postgres',
      engineVersion: '16',
      size: 'l',
      priceBookSku: 'example.rds-postgres.l',
      storageGiB: 100,
      environment: 'prod',
      databaseTier: 'production-standard',
      region: 'eu-west-1',
      storageEncrypted: true,
      publiclyAccessible: false,
      deletionProtection: true,
      backupRetentionDays: 14,
      multiAz: true,
      readReplicas: 1,
      maintenanceWindow: 'sun:04:00-sun:05:00',
      tags: {
        owner: 'group:default/checkout-team',
        'cost-center': 'CC-1042',
        environment: 'prod',
        'data-classification': 'critical-pii',
        'request-key': 'postgres-database:cart-db:prod',
      },
    });
    expect(planOf().map(r => r.outcome)).toEqual(Array(6).fill('pass'));
  });

  it('names each violation with the exact §5 text', () => {
    const v = moduleVariables(prodRequest) as Record<string, any>;
    v.backupRetentionDays = 7;
    v.deletionProtection = false;
    delete v.tags['cost-center'];
    delete v.tags.owner;
    const policy = planOf(v, { add: 1, change: 0, destroy: 1, replace: 1 });
    expect(planRefusal({ policy })).toBe(
      [
        'GP-P02: The plan for cart-db-prod keeps backups 7 days, below the production-standard minimum of 14. This is a platform defect; nothing was applied and the platform team was notified.',
        'GP-P03: The plan for cart-db-prod has deletion protection off. This is a platform defect; nothing was applied and the platform team was notified.',
        'GP-P05: The plan for cart-db-prod lacks tags owner, cost-center. This is a platform defect; nothing was applied and the platform team was notified.',
        'GP-P06: The plan for cart-db-prod would destroy or replace 2 existing resources. This is a platform defect; nothing was applied and the platform team was notified.',
      ].join('\n'),
    );
  });

  it('deletion protection is only required in prod', () => {
    const v = moduleVariables({
      ...prodRequest,
      request: {
        ...prodRequest.request,
        environment: 'staging',
        databaseTier: 'staging',
      },
    });
    expect(v.deletionProtection).toBe(false);
    expect(planOf(v).find(r => r.id === 'GP-P03')?.outcome).toBe('pass');
  });

  it('completePlan hashes content only: a later re-plan has the same digest, a module bump another', () => {
    const draft = {
      provisioner: 'local-postgres',
      module: { source: 'golden-paths/local-postgres', version: '1.0.0' },
      variables: moduleVariables(prodRequest),
      resources,
      resourceName: 'cart-db-prod',
      expected: {
        resourceRef: 'resource:default/cart-db-prod',
        endpoint: '127.0.0.1:5432',
        secretRef: 'local-secret://gp/cart-db-prod/app',
      },
    };
    const a = completePlan(draft, estimate, new Date('2026-11-23T10:00:00Z'));
    const b = completePlan(draft, estimate, new Date('2026-11-25T10:00:00Z'));
    expect(a.expiresAt).toBe('2026-11-23T10:30:00.000Z');
    expect(a.changes).toEqual({ add: 2, change: 0, destroy: 0, replace: 0 });
    expect(a.planId).not.toBe(b.planId);
    expect(a.planDigest).toBe(b.planDigest);
    expect(planDigest(a)).toBe(a.planDigest);
    const c = completePlan(
      { ...draft, module: { ...draft.module, version: '1.1.0' } },
      estimate,
      new Date('2026-11-23T10:00:00Z'),
    );
    expect(c.planDigest).not.toBe(a.planDigest);
  });
});
