/*
 * The answer of `POST /requests/:key/compensate` (golden-paths.md §8 "Revert") as
 * `golden-paths-backend` computes it and returns it (JSON as is): one declaration for the backend's
 * compensation service and the frontend's client, so the two cannot drift.
 */

/**
 * Compensation classes of a step (§4.9), plus `none` for steps without an external effect.
 *
 * @public
 */
export type CompensationClass =
  | 'reversible'
  | 'compensating'
  | 'irreversible'
  | 'none';

/**
 * What the plan does for one item.
 *
 * @public
 */
export type CompensationPlanAction =
  /** Nothing to undo (workspace only, or no external effect). */
  | 'nothing'
  /** Delete the bare repository this request created under `goldenPaths.publish.local.root`. */
  | 'delete-local-repository'
  /** Local provider: the entities leave the catalog with the repository (`dependsOn`). */
  | 'with-repository'
  /** `DELETE /api/catalog/locations/:id` on behalf of the caller. */
  | 'remove-catalog-location'
  /** The request's pending approvals become `superseded`. */
  | 'supersede-approvals'
  /** The request becomes `compensated` (abandoned when nothing was created). */
  | 'close-request'
  /** Listed for a human; never done automatically in this build. */
  | 'manual'
  /** An earlier run already compensated this step. */
  | 'already-compensated';

/**
 * One line of a compensation plan: a completed step, the request's pending approvals
 * (`approvals`) or the request itself (`ledger`).
 *
 * @public
 */
export interface CompensationItem {
  /** The ledger step id, or `approvals` / `ledger` for the request-level items. */
  stepId: string;
  /** The action id that ran the step (`unknown` when neither recorded nor inferable). */
  action: string;
  class: CompensationClass;
  plan: CompensationPlanAction;
  /** True when a real run performs it; false for what is listed for a human. */
  automated: boolean;
  /** The step's status in the ledger (request-level items have none). */
  stepStatus?: string;
  /** What the item acts on: repository path or URL, location id, entity ref, resource. */
  target?: string;
  /** The commit publish recorded (`effect_ref` = `<remote>@<commit>`). */
  commitSha?: string;
  finishedAt?: string;
  /** What happens, or what a human has to do. */
  description: string;
  /**
   * Set when a safety rule refuses the automated action already at plan time (a repository
   * path outside the local root). A refused item keeps the request from becoming `compensated`.
   */
  refusal?: string;
  /** `with-repository`: the step whose repository deletion takes this step's entities along. */
  dependsOn?: string;
  /** `supersede-approvals`: the pending approvals. */
  approvalIds?: string[];
}

/**
 * What happened (or, in a dry run, would happen) to one plan item.
 *
 * @public
 */
export type CompensationResult =
  /** Dry run: a real run would do it. */
  | 'would'
  /** Done by this run. */
  | 'compensated'
  /** Listed for a human. */
  | 'manual'
  /** A safety check refused the automated action. */
  | 'refused'
  /** The automated action failed. */
  | 'failed'
  /** Not done (already compensated, or what it depends on did not happen). */
  | 'skipped'
  /** Nothing to undo. */
  | 'nothing';

/**
 * One plan item with what happened to it.
 *
 * @public
 */
export interface CompensationItemResult extends CompensationItem {
  result: CompensationResult;
  detail?: string;
}

/**
 * The answer of `POST /requests/:key/compensate`, dry or real.
 *
 * @public
 */
export interface CompensationReport {
  requestKey: string;
  dryRun: boolean;
  /** Status when planned. */
  statusBefore: string;
  /** Status afterwards (unchanged by a dry run). */
  status: string;
  /** Nothing to do: the request is already compensated. */
  empty: boolean;
  /** The request created nothing: compensating it abandons it. */
  abandoned: boolean;
  message: string;
  items: CompensationItemResult[];
  warnings: string[];
  /** Automated items refused or failed (the request then keeps its status). */
  failed: number;
  /** False when a real run found the request already compensated and changed nothing. */
  acted: boolean;
  /**
   * Digest of the items that would act (dry run: result `would`; `compensationPlanDigest`);
   * a real run needs the one of the dry run the operator confirmed and answers the one it acted on.
   */
  planDigest: string;
}
