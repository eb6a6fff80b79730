import { InputError } from '@backstage/errors';
import { gpMessages } from '@internal/plugin-golden-paths-common';
import type {
  DatabaseApplyResult,
  DatabasePlan,
  DatabasePlanRequest,
  DatabasePlanResource,
  DatabaseProvisioner,
} from '../../../provisioners/DatabaseProvisioner';
import { finalSnapshotRefusal } from '../../../provisioners/localPostgres/LocalPostgresProvisioner';
import {
  DESTROY_ESTIMATE,
  appRoleName,
  completePlan,
  digestOf,
  moduleVariables,
  pgIdentifier,
  resourceRefOf,
} from '../../../provisioners/planModel';

/**
 * An in-memory provisioner with the `local-postgres` semantics (marker, find, P08), for action
 * tests; `local-postgres` itself is tested against a real PostgreSQL. `moduleVersion` can be
 * bumped to simulate a module upgrade between plan and apply (V30), `variables` tampered with
 * to simulate a provider that breaks the module contract (P01–P06).
 */
export class FakeDatabaseProvisioner implements DatabaseProvisioner {
  readonly id = 'fake-postgres';
  readonly executionIdentity = 'provisioner:fake-postgres:gp_admin';
  moduleVersion = '1.0.0';
  tamper?: (variables: Record<string, unknown>) => void;
  readonly databases = new Map<
    string,
    { marker: string | null; role: string }
  >();
  applies = 0;
  plans = 0;
  /** destroy() calls, dry or not, and the destroys that dropped something. */
  destroyPlans = 0;
  destroys = 0;

  constructor(private readonly now: () => Date = () => new Date()) {}

  async plan(req: DatabasePlanRequest): Promise<DatabasePlan> {
    this.plans++;
    const id = pgIdentifier(req.resourceName);
    const existing = this.databases.get(id);
    const marker = `gp:request=${req.requestKey}`;
    if (existing && existing.marker !== marker) {
      throw new InputError(gpMessages.p08({ id, server: 'fake:5432' }));
    }
    const variables = moduleVariables(req);
    this.tamper?.(variables as Record<string, unknown>);
    const resources: DatabasePlanResource[] = [
      {
        address: `postgresql_role.${appRoleName(id)}`,
        type: 'postgresql_role',
        action: existing ? 'no-op' : 'create',
      },
      {
        address: `postgresql_database.${id}`,
        type: 'postgresql_database',
        action: existing ? 'no-op' : 'create',
      },
    ];
    return completePlan(
      {
        provisioner: this.id,
        module: {
          source: 'golden-paths/fake-postgres',
          version: this.moduleVersion,
        },
        variables,
        resources,
        resourceName: req.resourceName,
        expected: {
          resourceRef: resourceRefOf(req.resourceName),
          endpoint: 'fake:5432',
          secretRef: `local-secret://gp/${req.resourceName}/app`,
        },
      },
      req.estimate,
      this.now(),
    );
  }

  private result(resourceName: string, replayed: boolean): DatabaseApplyResult {
    const id = pgIdentifier(resourceName);
    return {
      resourceRef: resourceRefOf(resourceName),
      endpoint: 'fake:5432',
      secretRef: `local-secret://gp/${resourceName}/app`,
      database: id,
      role: appRoleName(id),
      ...(replayed ? {} : { provisionerRunId: `fake-run-${this.applies}` }),
      replayed,
    };
  }

  async apply(
    plan: DatabasePlan,
    o: { dryRun: boolean; requestKey: string },
  ): Promise<DatabaseApplyResult> {
    const id = String(plan.variables.identifier);
    const marker = `gp:request=${o.requestKey}`;
    const existing = this.databases.get(id);
    if (existing && existing.marker !== marker) {
      throw new InputError(gpMessages.p08({ id, server: 'fake:5432' }));
    }
    if (existing || o.dryRun)
      return this.result(plan.resourceName, Boolean(existing));
    this.applies++;
    this.databases.set(id, { marker, role: appRoleName(id) });
    return this.result(plan.resourceName, false);
  }

  async find(requestKey: string): Promise<DatabaseApplyResult | undefined> {
    for (const [id, db] of this.databases) {
      if (db.marker === `gp:request=${requestKey}`) {
        return this.result(id.replace(/_/g, '-'), true);
      }
    }
    return undefined;
  }

  /**
   * local-postgres semantics: `delete` for what exists (`no-op` once gone), the marker's request
   * key in `tags`, GP-P08 for a database without a marker, and no final snapshots (refused in
   * dry runs too, before anything is dropped). `moduleVersion` changes the digest.
   */
  async destroy(
    ref: string,
    o: { dryRun: boolean; finalSnapshot: boolean },
  ): Promise<DatabasePlan> {
    this.destroyPlans++;
    const resourceName = ref.replace(/^resource:(default\/)?/, '');
    const id = pgIdentifier(resourceName);
    if (o.finalSnapshot) throw finalSnapshotRefusal(id);
    const existing = this.databases.get(id);
    if (existing && !existing.marker?.startsWith('gp:request=')) {
      throw new InputError(gpMessages.p08({ id, server: 'fake:5432' }));
    }
    const action = existing ? 'delete' : 'no-op';
    const plan = completePlan(
      {
        provisioner: this.id,
        module: {
          source: 'golden-paths/fake-postgres',
          version: this.moduleVersion,
        },
        variables: {
          identifier: id,
          role: appRoleName(id),
          finalSnapshot: o.finalSnapshot,
          tags: {
            'request-key': (existing?.marker ?? '').replace(/^gp:request=/, ''),
          },
        },
        resources: [
          {
            address: `postgresql_database.${id}`,
            type: 'postgresql_database',
            action,
          },
          {
            address: `postgresql_role.${appRoleName(id)}`,
            type: 'postgresql_role',
            action,
          },
        ],
        resourceName,
        expected: {
          resourceRef: resourceRefOf(resourceName),
          endpoint: 'fake:5432',
          secretRef: `local-secret://gp/${resourceName}/app`,
        },
      },
      { ...DESTROY_ESTIMATE },
      this.now(),
    );
    plan.policy = [];
    plan.planDigest = digestOf(plan);
    if (!o.dryRun && existing) {
      this.destroys++;
      this.databases.delete(id);
    }
    return plan;
  }
}
