import type {
  AuditorService,
  AuthService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { enterTaskSignal } from '../../git/gitCli';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  isRefusal,
  type GoldenPathsService,
} from '@internal/plugin-golden-paths-node';
import { readPublishSettings } from '../../config/readConfig';
import { auditStep } from '../shared/audit';
import {
  assertActionEnabled,
  ranThroughSwitchText,
} from '../shared/killSwitch';
import {
  fingerprintInput,
  namesInput,
  publishModeInput,
  requestKeyInput,
  wouldBeRefusedByOutput,
} from '../shared/schemas';
import { taskInfoOf } from '../shared/taskInfo';
import {
  dryRunOutput,
  effectsOutput,
  outputStepEffects,
  effectResult,
} from '../shared/stepOutputs';
import { examples } from './ledgerOpen.examples';
import { reconcileTargets } from './reconcile';
import { withInvocationAudit } from '../shared/invocationAudit';

/** The ledger's digest form (golden-paths-backend `validation.ts`). */
const PLAN_DIGEST = /^sha256:[0-9a-f]{64}$/;

export const LEDGER_OPEN_ACTION_ID = 'goldenpath:ledger:open';

/**
 * `goldenpath:ledger:open` (golden-paths.md §4.4, §4.9): claims the request key in the ledger.
 * Unknown key → `create` (every run flag true); same key and inputs after success → `replay`
 * (every flag false, `previous` holds the recorded outputs); an unfinished request → `resume`
 * after checking reality, so finished effects are not repeated; a different request under the
 * same key → GP-I02, another live task → GP-I03. A dry run reports the mode without claiming.
 */
export function createGoldenPathLedgerOpenAction(options: {
  config: Config;
  ledger: GoldenPathsService;
  /** Only to reconcile a resumed run's targets (the registered entity); not read otherwise. */
  catalog: CatalogService;
  auth: AuthService;
  auditor?: AuditorService;
  /** Only to reconcile a resumed run published to a provider (github mode): reads its marker. */
  urlReader?: UrlReaderService;
}) {
  const { config, ledger, catalog, auth, auditor, urlReader } = options;
  const templateAction = createTemplateAction({
    id: LEDGER_OPEN_ACTION_ID,
    description:
      'Claims a golden-path request in the ledger and says what the remaining steps must do: create, resume (after reconciling what already exists) or replay (nothing).',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        kind: z =>
          z
            .enum(['service', 'worker', 'library', 'database', 'lifecycle'])
            .optional(),
        request: z => z.record(z.string(), z.unknown()),
        requestKey: requestKeyInput,
        fingerprint: fingerprintInput,
        planDigest: z => z.string().optional(),
        templateRef: z => z.string(),
        templateVersion: z => z.string(),
        publishMode: publishModeInput,
        targets: namesInput,
      },
      output: {
        wouldBeRefusedBy: wouldBeRefusedByOutput,
        mode: z => z.enum(['create', 'resume', 'replay']),
        run: z =>
          z.object({
            publish: z.boolean(),
            register: z.boolean(),
            apply: z.boolean(),
            lifecycle: z.boolean(),
          }),
        previous: z => z.record(z.string(), z.unknown()),
        ledgerUrl: z => z.string(),
        attempt: z => z.number(),
        createdAt: z => z.string(),
        createdBy: z =>
          z
            .string()
            .describe(
              'Who opened the request first (ledger): a rerun by someone else keeps it.',
            ),
        dryRun: dryRunOutput,
        effects: effectsOutput,
      },
    },
    async handler(ctx) {
      // git calls of this run stop when the task is cancelled (after an await: see there)
      await Promise.resolve();
      enterTaskSignal(ctx.signal);
      const started = Date.now();
      const task = taskInfoOf(ctx);
      const { requestKey, fingerprint } = ctx.input;
      const stepId = ctx.step?.id ?? 'open';
      const ownSwitch = await assertActionEnabled({
        config,
        actionId: LEDGER_OPEN_ACTION_ID,
        stepId,
        requestKey,
        task,
        startedAt: started,
        auditor,
        report: ctx,
        // the backend checks the template's switch at the open (below), as a first run's refusal
        templateSwitchInBackend: true,
      });
      const templateName = ctx.input.templateRef.slice(
        ctx.input.templateRef.lastIndexOf('/') + 1,
      );
      const result = await ledger.openRequest(requestKey, {
        fingerprint,
        request: ctx.input.request,
        templateRef: ctx.input.templateRef,
        templateVersion: ctx.input.templateVersion,
        kind: ctx.input.kind ?? 'service',
        taskId: task.taskId,
        createdBy: task.userRef,
        // The backend checks its runtime action switches (§4.7) here on the template's steps,
        // which it takes from its own cached catalog read (none are sent: no catalog read per
        // run), as validate checks the config's: a real run is refused before any effect, and a
        // dry run reports the refusal (`wouldBeRefusedBy`) that it would otherwise never meet,
        // since a dry run claims no step (where a runtime action switch is enforced).
        template: { name: templateName },
        dryRun: task.dryRun,
        // Only a digest in the ledger's form: it is informative (the kill-switch screen shows
        // the last dry run's plan), and an odd value must not turn the open into a 400.
        ...(ctx.input.planDigest && PLAN_DIGEST.test(ctx.input.planDigest)
          ? { planDigest: ctx.input.planDigest }
          : {}),
      });
      if (isRefusal(result)) {
        await auditStep(
          auditor,
          task,
          'medium',
          {
            action: LEDGER_OPEN_ACTION_ID,
            stepId,
            requestKey,
            fingerprint,
            decision: 'deny',
            result: 'failed',
            errorCode: result.ruleId,
          },
          started,
        );
        throw new InputError(result.message);
      }

      const run = {
        publish: true,
        register: true,
        apply: true,
        lifecycle: true,
      };
      // What the template's close reads when a step it would have taken it from is skipped
      // (`steps['publish-local'].output.commitSha or steps.open.output.previous.commitSha`).
      let previous: Record<string, unknown> = result.previous ?? {};
      if (result.mode === 'replay') {
        run.publish = run.register = run.apply = run.lifecycle = false;
      } else if (result.mode === 'resume') {
        const done = await reconcileTargets({
          requestKey,
          repoUrl: ctx.input.targets.repoUrl,
          entityRef: ctx.input.targets.entityRef,
          ...(ctx.input.targets.catalogInfoUrl
            ? { catalogInfoUrl: ctx.input.targets.catalogInfoUrl }
            : {}),
          ...(urlReader ? { urlReader } : {}),
          publishMode: ctx.input.publishMode,
          branch: readPublishSettings(config).defaultBranch,
          catalog,
          auth,
        });
        run.publish = !done.published;
        run.register = !done.registered;
        // A resume that skips publishing still closes with the commit the repository holds.
        if (done.commitSha)
          previous = { ...previous, commitSha: done.commitSha };
        ctx.logger.info(
          `${requestKey}: resuming attempt ${
            result.request.attempts
          }; repository ${
            done.published ? 'already published' : 'not published yet'
          }, entity ${
            done.registered ? 'already registered' : 'not registered yet'
          }`,
        );
      }
      const ledgerUrl = ledger.requestUrl(requestKey);
      ctx.logger.info(
        `${requestKey}: ${result.mode}${
          task.dryRun ? ' (dry run: nothing claimed)' : ''
        }; ledger ${ledgerUrl}`,
      );
      // The backend checks the runtime switches (and the config's) on the template: in a dry
      // run it answers the mode and the refusal a real run gets now instead of refusing (§4.7).
      // This action's own switch, checked first, is what a real run meets first.
      // The client checked the answer's shape (golden-paths-node), so it is read typed here.
      const backendSwitch = task.dryRun ? result.wouldBeRefusedBy : undefined;
      if (backendSwitch && !ownSwitch) {
        ctx.logger.warn(
          ranThroughSwitchText(LEDGER_OPEN_ACTION_ID, backendSwitch),
        );
        ctx.output('wouldBeRefusedBy', backendSwitch);
        task.wouldBeRefusedBy = backendSwitch;
      }
      if (task.wouldBeRefusedBy) {
        ctx.logger.warn(
          `${requestKey}: a real run would take mode ${result.mode}, but is blocked by the kill switch now (${task.wouldBeRefusedBy.ruleId})`,
        );
      }
      // The claim of the request (a replay takes no lease: the request is already succeeded).
      const effects = [
        {
          type: 'ledger.claim',
          target: requestKey,
          result: effectResult(task, result.mode === 'replay'),
        },
      ];
      await auditStep(
        auditor,
        task,
        'medium',
        {
          action: LEDGER_OPEN_ACTION_ID,
          stepId,
          requestKey,
          fingerprint,
          planDigest: ctx.input.planDigest,
          mode: result.mode,
          decision: 'allow',
          effects,
          result: result.mode === 'replay' ? 'replayed' : 'succeeded',
        },
        started,
      );
      ctx.output('mode', result.mode);
      ctx.output('run', run);
      ctx.output('previous', previous);
      ctx.output('ledgerUrl', ledgerUrl);
      ctx.output('attempt', result.request.attempts);
      ctx.output('createdAt', result.request.createdAt);
      ctx.output('createdBy', result.request.createdBy);
      outputStepEffects(ctx, task, effects);
    },
  });
  // An error the handler did not expect still leaves this invocation's record (§4.5).
  return withInvocationAudit(templateAction, {
    auditor,
    config,
    defaultStepId: 'open',
    severity: 'medium',
  });
}
