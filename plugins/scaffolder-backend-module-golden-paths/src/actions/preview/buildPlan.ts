import {
  describeTrigger,
  planDigest,
  approvalRoutes,
  type ApprovalTrigger,
  type GoldenPathPlan,
  type GoldenPathsConfig,
  type PlanEffect,
} from '@internal/plugin-golden-paths-common';

/** What every plan carries besides its effects (§4.9). */
interface PlanHead {
  requestKey: string;
  fingerprint: string;
  template: { ref: string; version: string };
  policyVersion: string;
  approvalTriggers: ApprovalTrigger[];
}

/** The plan of `effects` and its digest; the one place a plan is assembled and hashed. */
function withDigest(
  head: PlanHead,
  effects: PlanEffect[],
): { plan: GoldenPathPlan; planDigest: string } {
  const plan: GoldenPathPlan = {
    requestKey: head.requestKey,
    fingerprint: head.fingerprint,
    template: head.template,
    policyVersion: head.policyVersion,
    effects,
    approvalTriggers: head.approvalTriggers,
  };
  return { plan, planDigest: planDigest(plan) };
}

/** Inputs of {@link buildServicePlan}. */
export interface ServicePlanInput extends PlanHead {
  names: { entityRef: string; repoUrl?: string; resourceName?: string };
  publishMode: 'local' | 'github' | 'gitlab';
}

/**
 * The plan of a service or worker request (golden-paths.md §4.9 preview): the effects a real
 * run would have, each with its reversibility class, and the approval triggers. Deterministic, so
 * the digest of a re-plan equals the first one and a recorded approval still binds.
 */
export function buildServicePlan(input: ServicePlanInput): {
  plan: GoldenPathPlan;
  planDigest: string;
} {
  const effects: PlanEffect[] = [];
  if (input.names.resourceName) {
    // A database request (§3.3): the database itself, its descriptor in the infrastructure
    // repository, and the Resource in the catalog.
    effects.push(
      {
        step: 'apply',
        type: 'db.apply',
        target: input.names.resourceName,
        reversibility: 'irreversible',
      },
      {
        step: 'publish',
        type: 'repo.commit',
        target: `infrastructure repository: resources/${input.names.resourceName}.yaml`,
        reversibility: 'compensating',
      },
      {
        step: 'register',
        type: 'catalog.register',
        target: input.names.entityRef,
        reversibility: 'compensating',
      },
    );
    return withDigest(input, effects);
  }
  const repo = input.names.repoUrl ?? `(${input.publishMode} repository)`;
  effects.push({
    step: input.publishMode === 'local' ? 'publish-local' : 'publish-github',
    type: 'repo.create',
    target: repo,
    reversibility: 'compensating',
  });
  effects.push({
    step: 'register',
    type: 'catalog.register',
    target: input.names.entityRef,
    reversibility: 'compensating',
  });
  return withDigest(input, effects);
}

/** The plan as markdown for the task log and the request page (76: intent, not diffs). */
export function planMarkdown(
  plan: GoldenPathPlan,
  digest: string,
  config: GoldenPathsConfig,
): string {
  const lines = [
    `### Plan for \`${plan.requestKey}\``,
    '',
    `Template ${plan.template.ref} ${plan.template.version}, policy ${plan.policyVersion}, plan ${digest}.`,
    '',
    '| step | effect | target | rollback |',
    '| --- | --- | --- | --- |',
    ...plan.effects.map(
      e => `| ${e.step} | ${e.type} | ${e.target} | ${e.reversibility} |`,
    ),
    '',
  ];
  if (plan.approvalTriggers.length === 0) {
    lines.push('No approval needed.');
  } else {
    lines.push('Approval needed:');
    for (const t of plan.approvalTriggers)
      lines.push(`- ${describeTrigger(t)}`);
    const routes = approvalRoutes(plan.approvalTriggers, config);
    lines.push(`Routed to ${routes.map(r => r.group).join(', ')}.`);
  }
  return lines.join('\n');
}

/** The plan of a lifecycle request (§3.5): the descriptor change and, for delete, the unregistration. */
export function buildLifecyclePlan(
  input: PlanHead & {
    entityRef: string;
    transition: string;
  },
): { plan: GoldenPathPlan; planDigest: string } {
  const effects: PlanEffect[] =
    input.transition === 'delete'
      ? [
          {
            step: 'lifecycle',
            type: 'finalizer.run',
            target: `catalog: unregister ${input.entityRef}`,
            reversibility: 'irreversible',
          },
        ]
      : [
          {
            step: 'lifecycle',
            type: 'lifecycle.set',
            target: `${input.entityRef}: ${input.transition}`,
            reversibility: 'reversible',
          },
        ];
  if (input.transition === 'archive') {
    effects.push({
      step: 'lifecycle',
      type: 'finalizer.run',
      target: 'repository: read-only',
      reversibility: 'reversible',
    });
  }
  return withDigest(input, effects);
}
