import type { JsonObject } from '@backstage/types';
import type {
  DatabaseRequest,
  RuleResult,
} from '@internal/plugin-golden-paths-common';

// The provisioning port of golden-paths.md §4.9. `goldenpath:database:plan` and
// `goldenpath:database:apply` talk only to this interface; `local-postgres` (local mode and
// tests) and `github-terraform` (production) implement it, adopters can add their own.

/** The C15 estimate of a plan, as plans carry it (decimal strings, two decimals). */
export interface DatabasePlanEstimate {
  /** Price-book sku of the size, e.g. `example.rds-postgres.m`. */
  sku: string;
  instances: number;
  computeMonthly: string;
  storageMonthly: string;
  total: string;
  threshold: string;
  maxMonthly: string;
  overThreshold: boolean;
  overLimit: boolean;
  priceBookVersion: string;
}

/** What a provisioner plans for: the normalized request and what the action resolved for it. */
export interface DatabasePlanRequest {
  requestKey: string;
  /** The normalized request of `goldenpath:validate` (region, classification, cost centre filled). */
  request: DatabaseRequest;
  /** `<name>-<environment>`: Resource name, secret path, change-ledger workspace. */
  resourceName: string;
  /** The owning component's owner (a Group ref): the `owner` tag. */
  owner: string;
  system?: string;
  estimate: DatabasePlanEstimate;
}

/** One resource of a plan, Terraform-style addresses (`postgresql_database.cart_db_dev`). */
export interface DatabasePlanResource {
  address: string;
  type: string;
  action: 'create' | 'update' | 'delete' | 'replace' | 'no-op';
}

/**
 * A provider plan (§4.9). Never contains a secret: credentials are created at apply time and
 * only their reference leaves the provisioner. `planDigest` covers provisioner, module,
 * variables, changes, resources, state serial, policy outcomes and the estimate's total and
 * price-book version (golden-paths-common `planDigest`), not ids or timestamps.
 */
export interface DatabasePlan {
  planId: string;
  planDigest: string;
  provisioner: string;
  createdAt: string;
  /** createdAt + 30 min (`ours`); apply refuses an expired plan (GP-P07). */
  expiresAt: string;
  module: { source: string; version: string };
  variables: JsonObject;
  changes: { add: number; change: number; destroy: number; replace: number };
  resources: DatabasePlanResource[];
  /** The state version the plan read (24); absent for providers without state. */
  stateSerial?: number;
  /** P01–P06, evaluated on what the provider will actually do (44, 63). */
  policy: RuleResult[];
  estimate: DatabasePlanEstimate;
  /** `<name>-<environment>`. */
  resourceName: string;
  /** What apply will return (references only); not hashed. */
  expected: { resourceRef: string; endpoint: string; secretRef: string };
}

/** The result of an apply, or of `find()` for a database this request created earlier. */
export interface DatabaseApplyResult {
  /** `resource:default/<name>-<environment>`. */
  resourceRef: string;
  /** `host:port`, never credentials. */
  endpoint: string;
  /** Where the credentials are, e.g. `local-secret://gp/cart-db-dev/app`; never the value. */
  secretRef: string;
  database: string;
  role: string;
  /** Provider run id, when the provider has one for this apply. */
  provisionerRunId?: string;
  /** True when nothing was created now (it existed already, created by this request). */
  replayed: boolean;
}

/** A database provisioner (§4.9). */
export interface DatabaseProvisioner {
  /** `local-postgres` | `github-terraform` | an adopter's id. */
  readonly id: string;
  /** The identity that acts (audit `executionIdentity`), e.g. `provisioner:local-postgres:gp_admin`. */
  readonly executionIdentity: string;
  /** Read-only: what apply would do. */
  plan(req: DatabasePlanRequest, o: { dryRun: boolean }): Promise<DatabasePlan>;
  /** Applies a plan with the request key as the provider-side idempotency key. */
  apply(
    plan: DatabasePlan,
    o: { dryRun: boolean; requestKey: string },
  ): Promise<DatabaseApplyResult>;
  /** The database this request created, if any: reconcile before create (25). */
  find(requestKey: string): Promise<DatabaseApplyResult | undefined>;
  /**
   * The plan (and, unless a dry run, the execution) of deleting the database of Resource `ref`
   * (`resource:default/<name>-<env>`). The plan's `variables.tags['request-key']` is the request
   * the database's ownership marker names (the role's when only the role is left; empty when
   * nothing exists), and nothing without a golden-path marker is dropped; a database or role that is
   * already gone plans as `no-op`, so a rerun converges. A provisioner that cannot take the
   * `finalSnapshot` asked for refuses, dry runs included, before anything is dropped.
   */
  destroy(
    ref: string,
    o: { dryRun: boolean; finalSnapshot: boolean },
  ): Promise<DatabasePlan>;
}
