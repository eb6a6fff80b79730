import type { AuditorService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  isRefusal,
  type GoldenPathsService,
} from '@internal/plugin-golden-paths-node';
import type {
  ApprovalTrigger,
  Transition,
} from '@internal/plugin-golden-paths-common';
import {
  readGenerationSettings,
  readGoldenPathsConfig,
} from '../../config/readConfig';
import { auditStep } from '../shared/audit';
import { assertActionEnabled } from '../shared/killSwitch';
import {
  fingerprintInput,
  namesInput,
  publishModeInput,
  requestKeyInput,
  triggersInput,
} from '../shared/schemas';
import { taskInfoOf } from '../shared/taskInfo';
import {
  buildLifecyclePlan,
  buildServicePlan,
  planMarkdown,
} from './buildPlan';
import { examples } from './preview.examples';

export const PREVIEW_ACTION_ID = 'goldenpath:preview';

/**
 * `goldenpath:preview` (golden-paths.md §4.9): the plan a request would carry out, its digest,
 * the approval triggers with routes, the expected start level, and whether the ledger would
 * create, resume or replay it (a read-only ledger lookup). No side effects: dry run is identical.
 */
export function createGoldenPathPreviewAction(options: {
  config: Config;
  ledger: GoldenPathsService;
  auditor?: AuditorService;
}) {
  const { config, ledger, auditor } = options;
  return createTemplateAction({
    id: PREVIEW_ACTION_ID,
    description:
      'Shows what a validated golden-path request would do: effects with their rollback class, approval triggers and routes, plan digest, the scorecard level it starts at, and whether the ledger would create, resume or replay it.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        request: z => z.record(z.string(), z.unknown()),
        requestKey: requestKeyInput,
        fingerprint: fingerprintInput,
        kind: z =>
          z
            .enum(['service', 'worker', 'library', 'database', 'lifecycle'])
            .optional(),
        templateRef: z => z.string(),
        templateVersion: z => z.string(),
        policyVersion: z => z.string(),
        approvalTriggers: triggersInput,
        names: namesInput,
        publishMode: publishModeInput,
      },
      output: {
        plan: z => z.record(z.string(), z.unknown()),
        planDigest: z => z.string(),
        markdown: z => z.string(),
        approvalTriggers: z =>
          z.array(z.object({ id: z.string(), reasons: z.array(z.string()) })),
        scorecard: z => z.object({ expectedStartLevel: z.string() }),
        idempotency: z => z.enum(['new', 'replay', 'resume', 'conflict']),
        dryRun: z => z.boolean(),
      },
    },
    async handler(ctx) {
      const started = Date.now();
      const task = taskInfoOf(ctx);
      const { requestKey, fingerprint } = ctx.input;
      await assertActionEnabled({
        config,
        actionId: PREVIEW_ACTION_ID,
        stepId: ctx.step?.id ?? 'preview',
        requestKey,
        task,
        startedAt: started,
        auditor,
      });
      const gp = readGoldenPathsConfig(config);
      let triggers = ctx.input.approvalTriggers as ApprovalTrigger[];
      const template = {
        ref: ctx.input.templateRef,
        version: ctx.input.templateVersion,
      };
      let built;
      if ((ctx.input.kind ?? 'service') === 'lifecycle') {
        // Gates dry-evaluated now (§3.5); the transition's approval triggers come from them.
        const request = ctx.input.request as {
          entity: string;
          transition: Transition;
          replacement?: string;
          sunsetOn?: string;
          reason?: string;
        };
        const gates = await ledger.lifecycleGates({
          entityRef: request.entity,
          to: request.transition,
          replacement: request.replacement,
          sunsetOn: request.sunsetOn,
          reason: request.reason,
        });
        for (const g of gates.gates) {
          ctx.logger.info(`${g.status.toUpperCase()} ${g.gate}: ${g.message}`);
        }
        triggers = [
          ...triggers,
          ...gates.evaluation.approvalTriggers.filter(
            t => !triggers.some(x => x.id === t.id),
          ),
        ] as ApprovalTrigger[];
        built = buildLifecyclePlan({
          requestKey,
          fingerprint,
          template,
          policyVersion: ctx.input.policyVersion,
          approvalTriggers: triggers,
          entityRef: request.entity,
          transition: request.transition,
        });
      } else {
        built = buildServicePlan({
          requestKey,
          fingerprint,
          template,
          policyVersion: ctx.input.policyVersion,
          approvalTriggers: triggers,
          names: ctx.input.names,
          publishMode: ctx.input.publishMode,
        });
      }
      const { plan, planDigest } = built;
      const markdown = planMarkdown(plan, planDigest, gp);
      ctx.logger.info(markdown);

      // Read-only: the backend reports the mode a claim would take without inserting (§4.6).
      const lookup = await ledger.openRequest(requestKey, {
        fingerprint,
        request: ctx.input.request,
        templateRef: ctx.input.templateRef,
        templateVersion: ctx.input.templateVersion,
        kind: ctx.input.kind ?? 'service',
        taskId: task.taskId,
        createdBy: task.userRef,
        dryRun: true,
      });
      let idempotency: 'new' | 'replay' | 'resume' | 'conflict' = 'new';
      if (isRefusal(lookup)) {
        idempotency = 'conflict';
        ctx.logger.warn(lookup.message);
      } else if (lookup.mode === 'replay') idempotency = 'replay';
      else if (lookup.mode === 'resume') idempotency = 'resume';

      await auditStep(
        auditor,
        task,
        'low',
        {
          action: PREVIEW_ACTION_ID,
          stepId: ctx.step?.id ?? 'preview',
          requestKey,
          fingerprint,
          planDigest,
          decision: triggers.length ? 'needs-approval' : 'allow',
          targets: plan.effects.map(e => e.target),
          effects: plan.effects.map(e => ({
            type: e.type,
            target: e.target,
            result: 'would',
          })),
          result: 'succeeded',
        },
        started,
      );
      ctx.output('plan', plan as unknown as Record<string, unknown>);
      ctx.output('planDigest', planDigest);
      ctx.output('markdown', markdown);
      ctx.output(
        'approvalTriggers',
        triggers.map(t => ({ id: t.id, reasons: [...t.reasons] })),
      );
      ctx.output('scorecard', {
        expectedStartLevel: readGenerationSettings(config).expectedStartLevel,
      });
      ctx.output('idempotency', idempotency);
      ctx.output('dryRun', task.dryRun);
    },
  });
}
