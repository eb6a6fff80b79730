import type { Entity } from '@backstage/catalog-model';
import type { KillSwitches } from '../config';
import type { DatabasePriceFacts } from '../estimate/databaseEstimate';
import type { RequestStatus } from '../ledger/records';

/**
 * The ledger row found for a request key (`gp_requests`, §4.3), when there is one.
 *
 * @public
 */
export interface LedgerRequestFact {
  requestKey: string;
  fingerprint: string;
  /** Template ref without version. */
  templateRef: string;
  templateVersion: string;
  /** The normalized request stored as `request_json` (secret-free by GP-X01). */
  request: Record<string, unknown>;
  status: RequestStatus;
  createdBy: string;
  createdAt: string;
  leaseTaskId?: string;
  leaseUntil?: string;
  /** When the task holding the lease started. */
  leaseStartedAt?: string;
}

/**
 * Everything the policy engine knows about the world, gathered by the backend before calling it:
 * the catalog answers, the ledger row, the kill switches and the price book. The engine never
 * fetches; a fact the backend could not get is listed in `unavailable` and fails closed (GP-U01).
 *
 * @public
 */
export interface PolicyFacts {
  /** The user running the template. */
  requester: string;
  /**
   * Entities the backend fetched: owner group and its parents, system, component, queue, every
   * entity of the namespace whose `metadata.name` equals the requested name (GP-N03), the
   * requester's User entity. Users and groups of the route groups for approvals.
   */
  catalog: readonly Entity[];
  /** Fact sources that did not answer in time, by the rule that needed them. */
  unavailable?: readonly { rule: string; source: string }[];
  ledger?: LedgerRequestFact;
  killSwitches?: KillSwitches;
  /**
   * Whether the ledger holds steps under the request key GP-K02 names whose effect may exist
   * (`stepsLeftEffects`: a resumed run, or one that cannot be told): GP-K02 then says they
   * resume (V19); absent or false, that nothing was created.
   */
  stepsRecorded?: boolean;
  /** Price-book slice for database estimates. */
  prices?: DatabasePriceFacts;
}

/**
 * The template being run.
 *
 * @public
 */
export interface TemplateContext {
  /** `metadata.name`, e.g. `service-node-http`. */
  name: string;
  /** `template:default/service-node-http`. */
  ref: string;
  /** `ops.example.com/version`. */
  version: string;
  /** The template's steps (`spec.steps`), for the action kill switches checked at validate. */
  steps?: readonly { id: string; action: string }[];
}
