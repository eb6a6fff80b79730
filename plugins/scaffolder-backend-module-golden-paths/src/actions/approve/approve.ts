import type {
  AuditorService,
  AuthService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  approvalRoutes,
  describeTrigger,
  type ApprovalTrigger,
} from '@internal/plugin-golden-paths-common';
import type {
  ApprovalStateView,
  GoldenPathsService,
} from '@internal/plugin-golden-paths-node';
import { readGoldenPathsConfig } from '../../config/readConfig';
import { auditStep } from '../shared/audit';
import { assertActionEnabled } from '../shared/killSwitch';
import { failRequest } from '../shared/failRequest';
import { stopDecisionOf } from '../shared/ledgerApproval';
import {
  requestKeyInput,
  triggersInput,
  wouldBeRefusedByOutput,
} from '../shared/schemas';
import { taskInfoOf } from '../shared/taskInfo';
import {
  dryRunOutput,
  effectsOutput,
  outputStepEffects,
  effectResult,
  type StepEffect,
} from '../shared/stepOutputs';
import { eligibleApproversOf } from './eligibleApprovers';
import { withInvocationAudit } from '../shared/invocationAudit';

export const APPROVE_ACTION_ID = 'goldenpath:approve';

/** How often a waiting approve step asks again (§4.9: every 5 s). */
export const APPROVAL_POLL_MS = 5_000;

/**
 * `goldenpath:approve` (golden-paths.md §4.9, §6): the approval gate, bound to the plan digest.
 * Replays need no decision; no triggers → `not-required`; otherwise the approval of
 * (request, digest) is opened once and polled until `waitMinutes` have passed by the injected
 * clock: approved passes, rejected is GP-A02, still pending is GP-A01, and GP-A06 when nobody but
 * the requester can decide for a route (the request waits as `awaiting-approval`; rerun with the
 * same inputs once it is approved). A dry run names the routes and their eligible approvers from the catalog, fails
 * with GP-A06 as the real run would, and creates nothing.
 */
export function createGoldenPathApproveAction(options: {
  config: Config;
  ledger: GoldenPathsService;
  /** Groups and users, for the eligible approvers a dry run reports (§4.9, GP-A06). */
  catalog: CatalogService;
  auth: AuthService;
  auditor?: AuditorService;
  pollMs?: number;
  /** The clock: the deadline of the wait for a decision (`waitMinutes`). */
  now?: () => Date;
}) {
  const { config, ledger, catalog, auth, auditor } = options;
  const pollMs = options.pollMs ?? APPROVAL_POLL_MS;
  const clock = options.now ?? (() => new Date());
  const templateAction = createTemplateAction({
    id: APPROVE_ACTION_ID,
    description:
      'Golden-path approval gate bound to the plan digest: passes when nothing needs approval or the approval is given, waits up to waitMinutes, and stops with GP-A01 while an approver has not decided.',
    examples: [
      {
        description:
          'Wait up to 30 minutes for the approvals the request needs',
        example: `steps:
  - id: approve
    action: goldenpath:approve
    input:
      requestKey: \${{ steps.validate.output.requestKey }}
      planDigest: \${{ steps.preview.output.planDigest }}
      triggers: \${{ steps.preview.output.approvalTriggers }}
      plan: \${{ steps.preview.output.plan }}
      mode: \${{ steps.open.output.mode }}
      waitMinutes: 30
`,
      },
    ],
    supportsDryRun: true,
    schema: {
      input: {
        requestKey: requestKeyInput,
        planDigest: z => z.string(),
        triggers: triggersInput,
        plan: z => z.record(z.string(), z.unknown()).optional(),
        mode: z => z.enum(['create', 'resume', 'replay']),
        waitMinutes: z => z.number().int().min(0).max(60).optional(),
      },
      output: {
        wouldBeRefusedBy: wouldBeRefusedByOutput,
        decision: z =>
          z.enum(['not-required', 'approved', 'replayed', 'would-require']),
        approvalId: z => z.string().optional(),
        approvers: z => z.array(z.string()).optional(),
        decidedAt: z => z.string().optional(),
        routes: z => z.array(z.string()).optional(),
        dryRun: dryRunOutput,
        effects: effectsOutput,
      },
    },
    async handler(ctx) {
      // Wall time: it only measures the duration audit records carry (audit.ts), decides nothing.
      const started = Date.now();
      const task = taskInfoOf(ctx);
      const { requestKey, planDigest } = ctx.input;
      const stepId = ctx.step?.id ?? 'approve';
      // Fail closed: with the gate switched off nothing that needs approval proceeds.
      const assertEnabled = () =>
        assertActionEnabled({
          config,
          actionId: APPROVE_ACTION_ID,
          stepId,
          requestKey,
          task,
          startedAt: started,
          auditor,
          release: ledger,
          report: ctx,
        });
      await assertEnabled();
      const triggers = ctx.input.triggers as ApprovalTrigger[];
      const gp = readGoldenPathsConfig(config);
      const audit = (
        decision: string,
        result: 'succeeded' | 'failed' | 'replayed' | 'skipped',
        extra: Record<string, unknown> = {},
        errorCode?: string,
        effects: StepEffect[] = [],
      ) =>
        auditStep(
          auditor,
          task,
          triggers.length ? 'high' : 'low',
          {
            action: APPROVE_ACTION_ID,
            stepId,
            requestKey,
            planDigest,
            mode: ctx.input.mode,
            decision,
            effects,
            result,
            ...(errorCode ? { errorCode } : {}),
            extra,
          },
          started,
        );
      /** The step stops: audited, then the error the task shows (dry and real runs alike). */
      const stopped = async (
        lines: string[],
        decision: 'needs-approval' | 'rejected' | 'deny',
        ruleId?: string,
        extra: Record<string, unknown> = {},
      ) => {
        await audit(decision, 'failed', extra, ruleId);
        const error = new InputError(lines.join('\n'));
        // A refusal (a kill switch) leaves the request running under this task's lease: fail
        // it, so a rerun once the switch is lifted resumes instead of meeting GP-I03 (V19).
        if (decision === 'deny' && !task.dryRun)
          await failRequest(ledger, requestKey, task.taskId, error);
        return error;
      };

      if (ctx.input.mode === 'replay') {
        ctx.logger.info(
          `${requestKey}: replay creates nothing; no decision needed`,
        );
        await audit('not-required', 'replayed');
        ctx.output('decision', 'replayed');
        outputStepEffects(ctx, task, []);
        return;
      }
      if (triggers.length === 0) {
        await audit('not-required', 'succeeded');
        ctx.output('decision', 'not-required');
        outputStepEffects(ctx, task, []);
        return;
      }
      const routes = approvalRoutes(triggers, gp).map(r => r.group);
      // The approval of (request, digest) asks each route's group (§6.2).
      const effects = routes.map(group => ({
        type: 'approval.request',
        target: group,
        result: effectResult(task),
      }));
      ctx.logger.info(
        `${requestKey}: approval needed: ${triggers
          .map(describeTrigger)
          .join('; ')}; routed to ${routes.join(', ')}`,
      );
      if (task.dryRun) {
        // The eligible approvers the backend checks when it opens the approval (§6.2 rules 1–2),
        // read here instead, since a dry run opens nothing: GP-A06 shows before the real run.
        const eligible = await eligibleApproversOf({
          catalog,
          credentials: await auth.getOwnServiceCredentials(),
          routes,
          requester: task.userRef,
        });
        if (eligible.errors.length) {
          throw await stopped(
            eligible.errors,
            'needs-approval',
            eligible.ruleId,
          );
        }
        for (const r of eligible.routes) {
          ctx.logger.info(
            `${requestKey}: ${r.group} can approve: ${r.approvers.join(', ')}`,
          );
        }
        await audit('needs-approval', 'skipped', {}, undefined, effects);
        ctx.output('decision', 'would-require');
        ctx.output('routes', routes);
        outputStepEffects(ctx, task, effects);
        return;
      }

      const deadline =
        clock().getTime() + (ctx.input.waitMinutes ?? 30) * 60_000;
      let state: ApprovalStateView;
      for (;;) {
        state = await ledger.openApproval(requestKey, {
          planDigest,
          triggers,
          ...(ctx.input.plan ? { plan: ctx.input.plan } : {}),
          action: APPROVE_ACTION_ID,
        });
        if (state.status !== 'pending' || state.errors?.length) break;
        if (clock().getTime() + pollMs > deadline || ctx.signal?.aborted) break;
        await new Promise(resolve => setTimeout(resolve, pollMs));
        // The wait can last up to an hour: a switch thrown meanwhile (§4.7) stops the gate
        // before it asks again, as it would have stopped a step that had not started yet.
        await assertEnabled();
      }
      if (state.status === 'approved') {
        // ... and once more before the gate lets the run go on: an approval arriving after the
        // switch was thrown must not carry the run past it (GP-K02/K03, fail closed).
        await assertEnabled();
        const approvers = (state.approval?.decisions ?? []).map(
          d => d.approver,
        );
        await audit(
          'approved',
          'succeeded',
          {
            approval: {
              id: state.approval?.id,
              approvers,
              decidedAt: state.approval?.decidedAt,
              breakGlass: (state.approval?.decisions ?? []).some(
                d => d.breakGlass,
              ),
            },
          },
          undefined,
          effects,
        );
        ctx.output('decision', 'approved');
        ctx.output('approvalId', state.approval!.id);
        ctx.output('approvers', approvers);
        if (state.approval?.decidedAt)
          ctx.output('decidedAt', state.approval.decidedAt);
        ctx.output('routes', routes);
        outputStepEffects(ctx, task, effects);
        return;
      }
      const lines = [state.message, ...(state.errors ?? [])].filter(
        (l): l is string => !!l,
      );
      // The backend released this task's lease when the request became awaiting-approval or
      // rejected, so a rerun after the decision resumes (V9).
      throw await stopped(
        lines.length
          ? lines
          : [`Approval for ${requestKey} is ${state.status}.`],
        stopDecisionOf(state.status),
        state.ruleId,
        { approvalId: state.approval?.id },
      );
    },
  });
  // An error the handler did not expect still leaves this invocation's record (§4.5).
  return withInvocationAudit(templateAction, {
    auditor,
    config,
    defaultStepId: 'approve',
    // high when the request needs an approval, as its own records
    severity: input =>
      Array.isArray(input.triggers) && input.triggers.length ? 'high' : 'low',
  });
}
