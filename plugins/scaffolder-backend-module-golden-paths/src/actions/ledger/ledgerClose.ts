import type { AuditorService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { GoldenPathsService } from '@internal/plugin-golden-paths-node';
import { auditStep } from '../shared/audit';
import { assertActionEnabled } from '../shared/killSwitch';
import { requestKeyInput, wouldBeRefusedByOutput } from '../shared/schemas';
import { taskInfoOf } from '../shared/taskInfo';
import {
  dryRunOutput,
  effectsOutput,
  outputStepEffects,
  effectResult,
} from '../shared/stepOutputs';
import { detectSecret } from '@internal/plugin-golden-paths-common';
import { withInvocationAudit } from '../shared/invocationAudit';

export const LEDGER_CLOSE_ACTION_ID = 'goldenpath:ledger:close';

function closeResult(
  mode: string | undefined,
  status: 'succeeded' | 'failed',
): 'replayed' | 'succeeded' | 'failed' {
  return mode === 'replay' ? 'replayed' : status;
}

/**
 * `goldenpath:ledger:close` (golden-paths.md §4.9): sets the final status, releases the lease and
 * stores the outputs a replay returns. Closing a succeeded request again (a replay) changes
 * nothing: its effect is `replayed`, in a dry run too. A dry run only reports.
 */
export function createGoldenPathLedgerCloseAction(options: {
  config: Config;
  ledger: GoldenPathsService;
  auditor?: AuditorService;
}) {
  const { config, ledger, auditor } = options;
  const templateAction = createTemplateAction({
    id: LEDGER_CLOSE_ACTION_ID,
    description:
      'Closes a golden-path request in the ledger with its final status and the outputs a replay returns.',
    examples: [
      {
        description: 'Close the request after the last step',
        example: `steps:
  - id: close
    action: goldenpath:ledger:close
    input:
      requestKey: \${{ steps.validate.output.requestKey }}
      status: succeeded
      mode: \${{ steps.open.output.mode }}
      outputs:
        entityRef: \${{ steps.validate.output.names.entityRef }}
`,
      },
    ],
    supportsDryRun: true,
    schema: {
      input: {
        requestKey: requestKeyInput,
        status: z => z.enum(['succeeded', 'failed']),
        mode: z => z.enum(['create', 'resume', 'replay']).optional(),
        outputs: z => z.record(z.string(), z.unknown()).optional(),
      },
      output: {
        wouldBeRefusedBy: wouldBeRefusedByOutput,
        ledgerUrl: z => z.string(),
        status: z => z.string(),
        attempts: z => z.number(),
        dryRun: dryRunOutput,
        effects: effectsOutput,
      },
    },
    async handler(ctx) {
      const started = Date.now();
      const task = taskInfoOf(ctx);
      const { requestKey } = ctx.input;
      const stepId = ctx.step?.id ?? 'close';
      await assertActionEnabled({
        config,
        actionId: LEDGER_CLOSE_ACTION_ID,
        stepId,
        requestKey,
        task,
        startedAt: started,
        auditor,
        release: ledger,
        report: ctx,
      });
      const ledgerUrl = ledger.requestUrl(requestKey);
      // Closing a replay changes nothing (the request is succeeded already): `replayed`, in a dry
      // run too, as ledger:open's claim of a replay says.
      const replay = ctx.input.mode === 'replay';
      const effects = [
        {
          type: 'ledger.close',
          target: requestKey,
          result: effectResult(task, replay),
        },
      ];
      if (task.dryRun) {
        ctx.logger.info(
          replay
            ? `${requestKey}: would replay: the request is closed already, a real run changes nothing (dry run)`
            : `${requestKey}: would close as ${ctx.input.status} (dry run)`,
        );
        await auditStep(
          auditor,
          task,
          'low',
          {
            action: LEDGER_CLOSE_ACTION_ID,
            stepId,
            requestKey,
            mode: ctx.input.mode,
            effects,
            result: 'skipped',
          },
          started,
        );
        ctx.output('ledgerUrl', ledgerUrl);
        ctx.output('status', ctx.input.status);
        ctx.output('attempts', 0);
        outputStepEffects(ctx, task, effects);
        return;
      }
      const { outputs, dropped } = replayableOutputs(ctx.input.outputs ?? {});
      for (const [field, why] of dropped) {
        ctx.logger.warn(
          `${requestKey}: output ${field} not stored in the ledger (${why})`,
        );
      }
      const request = await ledger.closeRequest(requestKey, {
        taskId: task.taskId,
        status: ctx.input.status,
        outputs,
      });
      await auditStep(
        auditor,
        task,
        'medium',
        {
          action: LEDGER_CLOSE_ACTION_ID,
          stepId,
          requestKey,
          fingerprint: request.fingerprint,
          mode: ctx.input.mode,
          effects,
          result: closeResult(ctx.input.mode, ctx.input.status),
        },
        started,
      );
      ctx.logger.info(
        `${requestKey}: ${request.status} after ${request.attempts} attempt(s); ${ledgerUrl}`,
      );
      ctx.output('ledgerUrl', ledgerUrl);
      ctx.output('status', request.status);
      ctx.output('attempts', request.attempts);
      outputStepEffects(ctx, task, effects);
    },
  });
  // An error the handler did not expect still leaves this invocation's record (§4.5).
  return withInvocationAudit(templateAction, {
    auditor,
    config,
    defaultStepId: 'close',
    severity: 'medium',
  });
}

/**
 * The outputs a replay needs, as the ledger stores them and `goldenpath:ledger:open` hands them
 * back: strings, numbers and booleans, never a secret (GP-X01's detectors). Anything else is
 * dropped and named — by field and reason, never by value.
 */
export function replayableOutputs(raw: Record<string, unknown>): {
  outputs: Record<string, string | number | boolean>;
  dropped: [string, string][];
} {
  const outputs: Record<string, string | number | boolean> = {};
  const dropped: [string, string][] = [];
  for (const [field, value] of Object.entries(raw)) {
    if (value === undefined || value === null || value === '') continue;
    if (typeof value === 'number' || typeof value === 'boolean') {
      outputs[field] = value;
    } else if (typeof value !== 'string') {
      dropped.push([field, 'not a string, number or boolean']);
    } else {
      const detector = detectSecret(value);
      if (detector) dropped.push([field, `looks like a secret: ${detector}`]);
      else outputs[field] = value;
    }
  }
  return { outputs, dropped };
}
