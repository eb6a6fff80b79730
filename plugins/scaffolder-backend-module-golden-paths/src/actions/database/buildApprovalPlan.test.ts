import {
  DEFAULT_GOLDEN_PATHS_CONFIG,
  planDigest,
  type ApprovalTrigger,
} from '@internal/plugin-golden-paths-common';
import type {
  DatabasePlan,
  DatabasePlanRequest,
  DatabasePlanResource,
} from '../../provisioners/DatabaseProvisioner';
import { completePlan, moduleVariables } from '../../provisioners/planModel';
import {
  buildDatabaseApprovalPlan,
  databasePlanEffects,
  databasePlanMarkdown,
} from './buildApprovalPlan';
import {
  prodDatabaseEstimate,
  prodDatabasePlanRequest,
} from '../../__fixtures__/databasePlanRequest';

const estimate = prodDatabaseEstimate;
const prodRequest: DatabasePlanRequest = prodDatabasePlanRequest;

const role = (action: DatabasePlanResource['action']) => ({
  address: 'postgresql_role.cart_db_prod_app',
  type: 'postgresql_role',
  action,
});
const database = (action: DatabasePlanResource['action']) => ({
  address: 'postgresql_database.cart_db_prod',
  type: 'postgresql_database',
  action,
});

const planOf = (
  resources: DatabasePlanResource[] = [role('create'), database('create')],
  now = new Date('2026-11-23T10:00:00Z'),
): DatabasePlan =>
  completePlan(
    {
      provisioner: 'local-postgres',
      module: { source: 'golden-paths/local-postgres', version: '1.0.0' },
      variables: moduleVariables(prodRequest),
      resources,
      resourceName: 'cart-db-prod',
      expected: {
        resourceRef: 'resource:default/cart-db-prod',
        endpoint: 'localhost:5432',
        secretRef: 'local-secret://gp/cart-db-prod/app',
      },
    },
    estimate,
    now,
  );

const productionData: ApprovalTrigger[] = [
  { id: 'production-data', reasons: ['database in prod', 'critical-pii data'] },
];

describe('the approval view of a database plan (golden-paths.md §6.3, §4.1, §4.9)', () => {
  it('V24: one db.apply per created resource, the database irreversible and the role compensating', () => {
    const view = buildDatabaseApprovalPlan(
      planOf(),
      productionData,
      DEFAULT_GOLDEN_PATHS_CONFIG,
    );
    expect(view.effects).toEqual([
      {
        step: 'apply',
        type: 'db.apply',
        target: 'postgresql_role.cart_db_prod_app',
        reversibility: 'compensating',
      },
      {
        step: 'apply',
        type: 'db.apply',
        target: 'postgresql_database.cart_db_prod',
        reversibility: 'irreversible',
      },
    ]);
    expect(view.estimate).toEqual(estimate);
    expect(view.approvalTriggers).toEqual(productionData);
    expect(view.changes).toEqual({ add: 2, change: 0, destroy: 0, replace: 0 });
    expect(view.markdown).toContain(
      '| postgresql_role.cart_db_prod_app | create | compensating |',
    );
    expect(view.markdown).toContain(
      '| postgresql_database.cart_db_prod | create | irreversible |',
    );
    expect(view.markdown).toContain('Estimate $910.50/month');
    expect(view.markdown).toContain(
      '- production-data (database in prod; critical-pii data)',
    );
    expect(view.markdown).toMatch(/^Rollback: a database holds data/m);
  });

  it('names the digest the approval binds to and leaves the plan and its digest untouched', () => {
    const plan = planOf();
    const before = structuredClone(plan);
    const view = buildDatabaseApprovalPlan(
      plan,
      productionData,
      DEFAULT_GOLDEN_PATHS_CONFIG,
    );
    expect(plan).toEqual(before);
    expect(view.planDigest).toBe(plan.planDigest);
    expect(planDigest(plan)).toBe(plan.planDigest);
  });

  it('an identical re-plan gives the identical view (no plan id or expiry in it)', () => {
    const a = planOf(undefined, new Date('2026-11-23T10:00:00Z'));
    const b = planOf(undefined, new Date('2026-11-24T09:00:00Z'));
    expect(a.planId).not.toBe(b.planId);
    const viewOf = (p: DatabasePlan) =>
      buildDatabaseApprovalPlan(p, productionData, DEFAULT_GOLDEN_PATHS_CONFIG);
    expect(viewOf(a)).toEqual(viewOf(b));
    expect(viewOf(a).markdown).not.toContain(a.planId);
    expect(viewOf(a).markdown).not.toContain(a.expiresAt);
    // The task log still shows the rendering the apply step's GP-P07 refers to.
    expect(
      databasePlanMarkdown(a, productionData, DEFAULT_GOLDEN_PATHS_CONFIG),
    ).toContain(
      `Plan ${a.planId}, digest ${a.planDigest}, expires ${a.expiresAt}.`,
    );
  });

  it('no-ops have no effect; deletes and replaces destroy; unknown types fail closed as irreversible', () => {
    expect(
      databasePlanEffects({
        resources: [
          role('no-op'),
          database('replace'),
          role('delete'),
          {
            address: 'aws_db_instance.cart_db_prod',
            type: 'aws_db_instance',
            action: 'update',
          },
        ],
      }),
    ).toEqual([
      {
        step: 'apply',
        type: 'db.destroy',
        target: 'postgresql_database.cart_db_prod',
        reversibility: 'irreversible',
      },
      {
        step: 'apply',
        type: 'db.destroy',
        target: 'postgresql_role.cart_db_prod_app',
        reversibility: 'compensating',
      },
      {
        step: 'apply',
        type: 'db.apply',
        target: 'aws_db_instance.cart_db_prod',
        reversibility: 'irreversible',
      },
    ]);
  });

  it('a plan that changes nothing shows no effects and no rollback note', () => {
    const view = buildDatabaseApprovalPlan(
      planOf([role('no-op'), database('no-op')]),
      [],
      DEFAULT_GOLDEN_PATHS_CONFIG,
    );
    expect(view.effects).toEqual([]);
    expect(view.markdown).toContain('No approval needed.');
    expect(view.markdown).not.toContain('Rollback:');
  });
});
