import type {
  AuditorService,
  AuthService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  classifyRequestTriggers,
  estimateDatabase,
  gpMessages,
  type ApprovalTrigger,
  type NormalizedRequest,
  type DatabaseRequest,
  type GoldenPathsConfig,
  type RequestOf,
} from '@internal/plugin-golden-paths-common';
import type { GoldenPathsService } from '@internal/plugin-golden-paths-node';
import { readGoldenPathsConfig } from '../../config/readConfig';
import type {
  DatabasePlan,
  DatabaseProvisioner,
} from '../../provisioners/DatabaseProvisioner';
import {
  digestOf,
  isNoOp,
  planEstimate,
  planRefusal,
} from '../../provisioners/planModel';
import { auditStep } from '../shared/audit';
import { assertActionEnabled } from '../shared/killSwitch';
import {
  fingerprintInput,
  requestKeyInput,
  validatedRequestInput,
  validatedTemplateRefInput,
  wouldBeRefusedByOutput,
} from '../shared/schemas';
import { assertValidatedRequest } from '../shared/inputChecks';
import { taskInfoOf } from '../shared/taskInfo';
import {
  dryRunOutput,
  effectsOutput,
  outputStepEffects,
} from '../shared/stepOutputs';
import {
  buildDatabaseApprovalPlan,
  databasePlanEffects,
  databasePlanMarkdown,
} from './buildApprovalPlan';
import { resourceNameOf } from './buildResourceDescriptor';
import { componentFacts } from './componentFacts';
import { readDatabasePrices } from './databaseSettings';
import { databasePlanExamples } from './database.examples';
import { ruleIdOf } from '../shared/ruleIdOf';
import { failRequest } from '../shared/failRequest';
import { withInvocationAudit } from '../shared/invocationAudit';

export const DATABASE_PLAN_ACTION_ID = 'goldenpath:database:plan';

/** Options shared by the two database actions. */
export interface DatabaseActionOptions {
  config: Config;
  ledger: GoldenPathsService;
  /** The configured provisioner; undefined when none is configured (the actions then refuse). */
  provisioner: DatabaseProvisioner | undefined;
  /** Owner and system of the database come from its component (§3.3). */
  catalog: CatalogService;
  auth: AuthService;
  auditor?: AuditorService;
  now?: () => Date;
}

/** The database request of a validated request object, or an `InputError`. */
export function databaseRequestOf(
  request: Record<string, unknown>,
): DatabaseRequest {
  if ((request as { kind?: unknown }).kind !== 'database') {
    throw new InputError(
      `the database actions take a validated database request; got kind ${String(
        (request as { kind?: unknown }).kind,
      )}`,
    );
  }
  // The actions take goldenpath:validate's normalized request; one missing a field read below
  // would fail later with a misleading message (a catalog lookup of `undefined` reads as the
  // catalog timing out).
  const r = request as Record<string, unknown>;
  const missing = [
    ...(
      [
        'name',
        'component',
        'environment',
        'databaseTier',
        'engineVersion',
      ] as const
    ).filter(f => typeof r[f] !== 'string' || r[f] === ''),
    ...(['storageGiB', 'extraReadReplicas'] as const).filter(
      f => typeof r[f] !== 'number',
    ),
  ];
  if (missing.length > 0) {
    throw new InputError(
      `request.${missing.join(', request.')} ${
        missing.length === 1 ? 'is' : 'are'
      } missing; pass goldenpath:validate's output.request, which holds every field with its default`,
    );
  }
  return request as unknown as DatabaseRequest;
}

export function requireProvisioner(
  provisioner: DatabaseProvisioner | undefined,
): DatabaseProvisioner {
  if (!provisioner) {
    throw new InputError(
      'No database provisioner is configured: set goldenPaths.database.local.connection (local-postgres) or ask the platform team.',
    );
  }
  return provisioner;
}

/**
 * Plans a database request with the provisioner: the C15 estimate (GP-U02, GP-D06 enforced
 * again), the provider plan, plan-level policy P01–P06 and the approval triggers of the plan.
 * A plan that changes nothing (the database exists, created by this request) needs no approval.
 */
export async function planDatabase(p: {
  config: Config;
  gp: GoldenPathsConfig;
  provisioner: DatabaseProvisioner;
  catalog: CatalogService;
  auth: AuthService;
  request: DatabaseRequest;
  requestKey: string;
  dryRun: boolean;
}): Promise<{ plan: DatabasePlan; triggers: ApprovalTrigger[] }> {
  const { request } = p;
  const component = await componentFacts(p.catalog, p.auth, request.component);
  const estimate = estimateDatabase(
    request,
    readDatabasePrices(p.config),
    p.gp,
  );
  if (!estimate.ok) {
    throw new InputError(gpMessages.u02({ sku: estimate.missingSku }));
  }
  if (estimate.overLimit) {
    throw new InputError(
      gpMessages.d06({
        total: estimate.total,
        tier: request.databaseTier,
        max: estimate.maxMonthly,
      }),
    );
  }
  const plan = await p.provisioner.plan(
    {
      requestKey: p.requestKey,
      request,
      resourceName: resourceNameOf(request),
      owner: component.owner,
      ...(component.system ? { system: component.system } : {}),
      estimate: planEstimate(estimate),
    },
    { dryRun: p.dryRun },
  );
  // The digest is ours, never the provider's word for it.
  plan.planDigest = digestOf(plan);
  const triggers: ApprovalTrigger[] = isNoOp(plan)
    ? []
    : classifyRequestTriggers(
        { kind: 'database', ...request } as RequestOf<'database'>,
        estimate,
      );
  const destructive = plan.changes.destroy + plan.changes.replace;
  if (destructive > 0) {
    triggers.push({
      id: 'destructive',
      reasons: [`${destructive} resources destroyed or replaced`],
    });
  }
  return { plan, triggers };
}

/**
 * `goldenpath:database:plan` (golden-paths.md §4.9, provisioning pair 1/2): what the provider
 * would do for a validated database request, its digest (the approval binds to it), the C15
 * estimate, plan-level policy P01–P06 and the approval triggers (`production-data`, `cost`,
 * `iam`, `destructive`). Read-only, so a dry run runs the same code. In `replay` mode nothing is
 * read: a replay creates nothing. `approvalPlan` is what `goldenpath:approve` stores for the
 * inbox (effects with their rollback class, markdown, estimate; §6.3); it is a view of `plan`
 * and changes nothing about `planDigest`.
 */
export function createGoldenPathDatabasePlanAction(
  options: DatabaseActionOptions,
) {
  const { config, catalog, auth, auditor } = options;
  const templateAction = createTemplateAction({
    id: DATABASE_PLAN_ACTION_ID,
    description:
      'Plans a golden-path database request with the configured provisioner: resources to create, C15 estimate, plan-level policy (P01–P06), approval triggers and the plan digest the approval binds to. Read-only.',
    examples: databasePlanExamples,
    supportsDryRun: true,
    schema: {
      input: {
        request: validatedRequestInput,
        requestKey: requestKeyInput,
        fingerprint: fingerprintInput,
        templateRef: validatedTemplateRefInput,
        mode: z =>
          z
            .enum(['create', 'resume', 'replay'])
            .optional()
            .describe('From goldenpath:ledger:open; replay plans nothing.'),
      },
      output: {
        wouldBeRefusedBy: wouldBeRefusedByOutput,
        plan: z => z.record(z.string(), z.unknown()),
        approvalPlan: z =>
          z
            .record(z.string(), z.unknown())
            .describe(
              "What the approver sees (§6.3): effects with their rollback class, markdown and estimate. Pass it to goldenpath:approve's plan; apply takes plan.",
            ),
        planDigest: z => z.string(),
        estimate: z => z.record(z.string(), z.unknown()),
        approvalTriggers: z =>
          z.array(z.object({ id: z.string(), reasons: z.array(z.string()) })),
        markdown: z => z.string(),
        provisioner: z => z.string(),
        resourceName: z => z.string(),
        noOp: z => z.boolean(),
        dryRun: dryRunOutput,
        effects: effectsOutput,
      },
    },
    async handler(ctx) {
      const started = Date.now();
      const task = taskInfoOf(ctx);
      const { requestKey, fingerprint } = ctx.input;
      const stepId = ctx.step?.id ?? 'plan';
      await assertActionEnabled({
        config,
        actionId: DATABASE_PLAN_ACTION_ID,
        stepId,
        requestKey,
        task,
        startedAt: started,
        auditor,
        release: options.ledger,
        report: ctx,
      });
      // Only the request validate checked may be planned or applied (a changed region, size, …
      // would skip the policy rules).
      assertValidatedRequest(
        ctx.input.templateRef,
        ctx.input.request as unknown as NormalizedRequest,
        fingerprint,
      );
      const request = databaseRequestOf(ctx.input.request);
      const resourceName = resourceNameOf(request);

      if (ctx.input.mode === 'replay') {
        ctx.logger.info(`${requestKey}: replay; nothing to plan`);
        await auditStep(
          auditor,
          task,
          'low',
          {
            action: DATABASE_PLAN_ACTION_ID,
            stepId,
            requestKey,
            fingerprint,
            mode: 'replay',
            decision: 'not-required',
            result: 'replayed',
          },
          started,
        );
        ctx.output('plan', {});
        ctx.output('approvalPlan', {});
        ctx.output('planDigest', 'replay');
        ctx.output('estimate', {});
        ctx.output('approvalTriggers', []);
        ctx.output('markdown', 'Replay: nothing is planned or applied.');
        ctx.output('provisioner', options.provisioner?.id ?? 'none');
        ctx.output('resourceName', resourceName);
        ctx.output('noOp', true);
        outputStepEffects(ctx, task, []);
        return;
      }

      // A plan that cannot be made or is refused stops the task after ledger:open claimed the
      // request: it is released as failed, as the later steps' refusals are, or a rerun would
      // meet this task's lease (GP-I03, "already running") for 15 minutes. A dry run claimed
      // nothing.
      const released = async (error: unknown) => {
        if (!task.dryRun) {
          await failRequest(options.ledger, requestKey, task.taskId, error);
        }
        return error;
      };
      let provisioner: ReturnType<typeof requireProvisioner>;
      try {
        provisioner = requireProvisioner(options.provisioner);
      } catch (e) {
        throw await released(e);
      }
      const gp = readGoldenPathsConfig(config);
      let planned: { plan: DatabasePlan; triggers: ApprovalTrigger[] };
      try {
        planned = await planDatabase({
          config,
          gp,
          provisioner,
          catalog,
          auth,
          request,
          requestKey,
          dryRun: task.dryRun,
        });
      } catch (e) {
        await auditStep(
          auditor,
          task,
          'low',
          {
            action: DATABASE_PLAN_ACTION_ID,
            stepId,
            requestKey,
            fingerprint,
            decision: 'deny',
            targets: [`resource:default/${resourceName}`],
            result: 'failed',
            errorCode: ruleIdOf(e),
          },
          started,
        );
        throw await released(e);
      }
      const { plan, triggers } = planned;
      const refusal = planRefusal(plan);
      let decision = triggers.length ? 'needs-approval' : 'allow';
      if (refusal) decision = 'deny';
      const markdown = databasePlanMarkdown(plan, triggers, gp);
      ctx.logger.info(markdown);
      await auditStep(
        auditor,
        task,
        'low',
        {
          action: DATABASE_PLAN_ACTION_ID,
          stepId,
          requestKey,
          fingerprint,
          planDigest: plan.planDigest,
          decision,
          targets: [plan.expected.resourceRef],
          effects: databasePlanEffects(plan).map(e => ({
            type: e.type,
            target: e.target,
            result: 'would',
          })),
          result: refusal ? 'failed' : 'succeeded',
          ...(refusal
            ? { errorCode: plan.policy.find(r => r.outcome === 'deny')?.id }
            : {}),
          extra: {
            rules: plan.policy.map(r => ({ id: r.id, outcome: r.outcome })),
            executionIdentity: provisioner.executionIdentity,
          },
        },
        started,
      );
      if (refusal) throw await released(new InputError(refusal));

      ctx.output('plan', plan as unknown as Record<string, unknown>);
      // A view for the approval inbox; the approval still binds to the provider plan's digest.
      ctx.output(
        'approvalPlan',
        buildDatabaseApprovalPlan(plan, triggers, gp) as unknown as Record<
          string,
          unknown
        >,
      );
      ctx.output('planDigest', plan.planDigest);
      ctx.output(
        'estimate',
        plan.estimate as unknown as Record<string, unknown>,
      );
      ctx.output(
        'approvalTriggers',
        triggers.map(t => ({ id: t.id, reasons: [...t.reasons] })),
      );
      ctx.output('markdown', markdown);
      ctx.output('provisioner', provisioner.id);
      ctx.output('resourceName', resourceName);
      ctx.output('noOp', isNoOp(plan));
      // The provider's plan is read-only: plan.effects are apply's, not this step's.
      outputStepEffects(ctx, task, []);
    },
  });
  // An error the handler did not expect still leaves this invocation's record (§4.5).
  return withInvocationAudit(templateAction, {
    auditor,
    config,
    defaultStepId: 'plan',
    severity: 'low',
  });
}
