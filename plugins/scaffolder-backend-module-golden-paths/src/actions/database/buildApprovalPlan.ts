import {
  approvalRoutes,
  describeTrigger,
  formatMoney,
  type ApprovalTrigger,
  type GoldenPathsConfig,
  type PlanEffect,
  type Reversibility,
} from '@internal/plugin-golden-paths-common';
import type {
  DatabasePlan,
  DatabasePlanEstimate,
  DatabasePlanResource,
} from '../../provisioners/DatabaseProvisioner';

// A database plan as people read it: the task log, and the approval inbox (§6.3: plan markdown,
// C15 estimate, effects with their rollback class). Pure, so the plan step, its dry run and the
// apply step (which opens a new approval when the plan changed) show approvers the same thing.

/** The template step that carries out a database plan's effects (T3, §3.3). */
export const DATABASE_APPLY_STEP = 'apply';

/**
 * Resource types that hold no data: a role or a grant can be dropped and recreated with a fresh
 * secret (a forward repair), so their effects are `compensating`, never `reversible` (there is
 * no tested inverse on its own: the role owns the database until the database is gone).
 * Every other type is treated as holding data, so an unknown provider type fails closed.
 */
const DATA_FREE_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  'postgresql_role',
  'postgresql_grant',
  'postgresql_default_privileges',
]);

/**
 * Rollback class of a change to one resource (§4.1, §4.9 compensation). A resource holding data
 * is `irreversible`: once the application has written to a new database, dropping it loses
 * data, and the only undo §4.9 allows (no connections observed, younger than 24 h) itself needs
 * an approval; after that deletion goes through the lifecycle (§7). Updates, replaces and
 * deletes of such a resource are irreversible for the same reason.
 */
export function reversibilityOf(
  resource: Pick<DatabasePlanResource, 'type'>,
): Reversibility {
  return DATA_FREE_RESOURCE_TYPES.has(resource.type)
    ? 'compensating'
    : 'irreversible';
}

/**
 * One effect per resource the plan changes (no-ops change nothing and are left out):
 * `db.destroy` when the resource is deleted or replaced (its data does not survive), otherwise
 * `db.apply`.
 */
export function databasePlanEffects(
  plan: Pick<DatabasePlan, 'resources'>,
): PlanEffect[] {
  return plan.resources
    .filter(r => r.action !== 'no-op')
    .map(r => ({
      step: DATABASE_APPLY_STEP,
      type:
        r.action === 'delete' || r.action === 'replace'
          ? 'db.destroy'
          : 'db.apply',
      target: r.address,
      reversibility: reversibilityOf(r),
    }));
}

/**
 * Who reads the markdown: the task log shows the plan rendering (id, 30-minute expiry); an
 * approval outlives it (an identical re-plan keeps its approval, §4.9), so the inbox is told
 * what binds instead.
 */
export type PlanAudience = 'log' | 'approval';

/** The plan as markdown for the task log and the approval inbox (76: intent, not diffs). */
export function databasePlanMarkdown(
  plan: DatabasePlan,
  triggers: ApprovalTrigger[],
  gp: GoldenPathsConfig,
  audience: PlanAudience = 'log',
): string {
  const e = plan.estimate;
  const lines = [
    `### Database plan \`${plan.resourceName}\` (${plan.provisioner} ${plan.module.version})`,
    '',
    audience === 'log'
      ? `Plan ${plan.planId}, digest ${plan.planDigest}, expires ${plan.expiresAt}.`
      : `Digest ${plan.planDigest}. An identical re-plan keeps this approval; apply re-plans and stops (GP-A03) if the plan changed.`,
    '',
    ...planResourceTable(plan),
    '',
  ];
  const effects = databasePlanEffects(plan);
  if (effects.some(x => x.reversibility === 'irreversible')) {
    lines.push(
      'Rollback: a database holds data once it is used, so creating or changing it is irreversible; a database this request created may be dropped by compensation only while it is younger than 24 h with no connections observed, with an approval, otherwise only through the lifecycle (delete). Roles and grants hold no data and are repaired forward (compensating).',
      '',
    );
  }
  lines.push(
    `Estimate ${formatMoney(e.total)}/month (compute ${formatMoney(
      e.computeMonthly,
    )}, storage ${formatMoney(e.storageMonthly)}, ${e.instances} instance${
      e.instances === 1 ? '' : 's'
    }; price book ${e.priceBookVersion}).`,
    `Policy: ${plan.policy.map(r => `${r.id} ${r.outcome}`).join(', ')}.`,
    '',
  );
  lines.push(...approvalLines(triggers, gp));
  return lines.join('\n');
}

/** The markdown's table of the plan's resources: address, action and rollback class. */
export function planResourceTable(plan: DatabasePlan): string[] {
  return [
    '| resource | action | rollback |',
    '| --- | --- | --- |',
    ...plan.resources.map(
      r =>
        `| ${r.address} | ${r.action} | ${
          r.action === 'no-op' ? '—' : reversibilityOf(r)
        } |`,
    ),
  ];
}

/** The markdown's approval paragraph: the triggers and the groups they are routed to. */
export function approvalLines(
  triggers: readonly ApprovalTrigger[],
  gp: GoldenPathsConfig,
): string[] {
  if (triggers.length === 0) return ['No approval needed.'];
  return [
    'Approval needed:',
    ...triggers.map(t => `- ${describeTrigger(t)}`),
    `Routed to ${approvalRoutes(triggers, gp)
      .map(r => r.group)
      .join(', ')}.`,
  ];
}

/**
 * What the approval of a database plan shows (§6.3), in the shape the inbox reads for every
 * golden path (`effects`, `markdown`, `estimate`, as the preview plan of a service). It is a
 * view: never hashed, and not what apply checks. The approval binds to `planDigest`, the digest
 * of the provider plan (golden-paths-common `planDigest`), which apply recomputes on a re-plan.
 */
export interface DatabaseApprovalPlan {
  /** The digest of the provider plan this view shows; not a digest of the view. */
  planDigest: string;
  provisioner: string;
  module: { source: string; version: string };
  resourceName: string;
  changes: DatabasePlan['changes'];
  effects: PlanEffect[];
  approvalTriggers: ApprovalTrigger[];
  estimate: DatabasePlanEstimate;
  markdown: string;
}

/**
 * The approval view of a database plan. Leaves out the plan's id and timestamps (a rendering's,
 * not the approval's) and its module variables (the markdown and effects say what changes).
 */
export function buildDatabaseApprovalPlan(
  plan: DatabasePlan,
  triggers: ApprovalTrigger[],
  gp: GoldenPathsConfig,
): DatabaseApprovalPlan {
  return {
    planDigest: plan.planDigest,
    provisioner: plan.provisioner,
    module: { ...plan.module },
    resourceName: plan.resourceName,
    changes: { ...plan.changes },
    effects: databasePlanEffects(plan),
    approvalTriggers: triggers.map(t => ({
      id: t.id,
      reasons: [...t.reasons],
    })),
    estimate: { ...plan.estimate },
    markdown: databasePlanMarkdown(plan, triggers, gp, 'approval'),
  };
}
