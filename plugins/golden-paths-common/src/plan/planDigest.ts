import { fingerprint } from '@internal/plugin-evidence-common';
import type { ApprovalTrigger } from '../approvals/triggerIds';

/** Reversibility classes of effects (77; §4.1). @public */
export type Reversibility = 'reversible' | 'compensating' | 'irreversible';

/** One effect a request would have (§4.9 preview). @public */
export interface PlanEffect {
  step: string;
  type:
    | 'repo.create'
    | 'repo.commit'
    | 'catalog.register'
    | 'db.apply'
    | 'db.destroy'
    | 'lifecycle.set'
    | 'finalizer.run';
  target: string;
  reversibility: Reversibility;
}

/**
 * The preview plan (§4.9). `planId` and `createdAt` identify one rendering and are never hashed.
 *
 * @public
 */
export interface GoldenPathPlan {
  planId?: string;
  createdAt?: string;
  expiresAt?: string;
  requestKey: string;
  fingerprint: string;
  template: { ref: string; version: string };
  policyVersion: string;
  effects: PlanEffect[];
  approvalTriggers: ApprovalTrigger[];
  estimate?: { total: string; priceBookVersion: string };
}

/**
 * The provider plan of a database (§4.9 `DatabasePlan`), reduced to what this package hashes.
 * Other members (ids, timestamps, the price book's age) are ignored by {@link planDigest}.
 *
 * @public
 */
export interface DatabasePlanLike {
  planId?: string;
  createdAt?: string;
  expiresAt?: string;
  provisioner: string;
  module: { source: string; version: string };
  variables: Record<string, unknown>;
  changes: { add: number; change: number; destroy: number; replace: number };
  resources: { address: string; type: string; action: string }[];
  stateSerial?: number;
  policy: { id: string; outcome: string }[];
  estimate: { total: string; priceBookVersion: string };
}

/** Members that identify one rendering of a plan, not its content (§4.2). @public */
export const PLAN_VOLATILE_FIELDS = [
  'planId',
  'planDigest',
  'createdAt',
  'expiresAt',
] as const;

function isDatabasePlan(
  plan: GoldenPathPlan | DatabasePlanLike,
): plan is DatabasePlanLike {
  return 'provisioner' in plan;
}

/**
 * `sha256:` of the canonical plan without ids and timestamps, so an identical re-plan has an
 * identical digest and keeps its approval (§4.2, §4.9). For a database plan only the members
 * §4.9 lists are hashed: provisioner, module, variables, changes, resources, state serial, policy
 * outcomes, and the estimate's total and price-book version.
 *
 * @public
 */
export function planDigest(plan: GoldenPathPlan | DatabasePlanLike): string {
  if (isDatabasePlan(plan)) {
    return fingerprint({
      provisioner: plan.provisioner,
      module: plan.module,
      variables: plan.variables,
      changes: plan.changes,
      resources: plan.resources,
      stateSerial: plan.stateSerial,
      policy: plan.policy.map(p => ({ id: p.id, outcome: p.outcome })),
      estimate: {
        total: plan.estimate.total,
        priceBookVersion: plan.estimate.priceBookVersion,
      },
    });
  }
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(plan)) {
    if ((PLAN_VOLATILE_FIELDS as readonly string[]).includes(key)) continue;
    body[key] = value;
  }
  return fingerprint(body);
}
