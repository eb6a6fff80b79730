import {
  describeTrigger,
  planDigest,
  approvalRoutes,
  type ApprovalTrigger,
  type GoldenPathPlan,
  type GoldenPathsConfig,
  type PlanEffect,
} from '@internal/plugin-golden-paths-common';

/** Inputs of {@link buildServicePlan}. */
export interface ServicePlanInput {
  requestKey: string;
  fingerprint: string;
  template: { ref: string; version: string };
  policyVersion: string;
  approvalTriggers: ApprovalTrigger[];
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
    const plan: GoldenPathPlan = {
      requestKey: input.requestKey,
      fingerprint: input.fingerprint,
      template: input.template,
      policyVersion: input.policyVersion,
      effects,
      approvalTriggers: input.approvalTriggers,
    };
    return { plan, planDigest: planDigest(plan) };
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
  const plan: GoldenPathPlan = {
    requestKey: input.requestKey,
    fingerprint: input.fingerprint,
    template: input.template,
    policyVersion: input.policyVersion,
    effects,
    approvalTriggers: input.approvalTriggers,
  };
  return { plan, planDigest: planDigest(plan) };
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
export function buildLifecyclePlan(input: {
  requestKey: string;
  fingerprint: string;
  template: { ref: string; version: string };
  policyVersion: string;
  approvalTriggers: ApprovalTrigger[];
  entityRef: string;
  transition: string;
}): { plan: GoldenPathPlan; planDigest: string } {
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
  const plan: GoldenPathPlan = {
    requestKey: input.requestKey,
    fingerprint: input.fingerprint,
    template: input.template,
    policyVersion: input.policyVersion,
    effects,
    approvalTriggers: input.approvalTriggers,
  };
  return { plan, planDigest: planDigest(plan) };
}
