import type {
  AuditorService,
  AuthService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { GP_KEYS, gpMessages } from '@internal/plugin-golden-paths-common';
import type { GoldenPathsService } from '@internal/plugin-golden-paths-node';
import { readGenerationSettings } from '../../config/readConfig';
import { auditStep } from '../shared/audit';
import {
  recordedStep,
  runClaimedStep,
  stepFingerprint,
} from '../shared/claimedStep';
import { assertActionEnabled } from '../shared/killSwitch';
import {
  fingerprintInput,
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
import { assertFullRef } from '../shared/inputChecks';
import { ruleIdOf } from '../shared/ruleIdOf';
import { withInvocationAudit } from '../shared/invocationAudit';

export const REGISTER_ACTION_ID = 'goldenpath:register';

/** How often register looks for the entity (§4.9: every 500 ms). */
export const REGISTER_POLL_MS = 500;

type RegisterOutput = { entityRef: string; locationId: string };

/**
 * `goldenpath:register` (golden-paths.md §4.9): puts the entity in the catalog and waits until it
 * is there. Local mode: the `catalog-backend-module-golden-paths` provider reads published bare
 * repositories, so this step waits for the entity; GitHub/GitLab: adds a `url` location. An
 * entity with that name but without this request's key is GP-N03; a timeout (`waitSeconds` by the
 * injected clock) is GP-E02 and the request stays resumable. Dry run: the catalog's own dry-run
 * validation (url) or nothing (local).
 */
export function createGoldenPathRegisterAction(options: {
  config: Config;
  ledger: GoldenPathsService;
  catalog: CatalogService;
  auth: AuthService;
  auditor?: AuditorService;
  pollMs?: number;
  /** The clock: the deadline of the wait for the entity (`waitSeconds`). */
  now?: () => Date;
}) {
  const { config, ledger, catalog, auth, auditor } = options;
  const pollMs = options.pollMs ?? REGISTER_POLL_MS;
  const clock = options.now ?? (() => new Date());
  const templateAction = createTemplateAction({
    id: REGISTER_ACTION_ID,
    description:
      'Registers a golden-path entity in the catalog (local provider or a url location) and waits until it appears; idempotent per request key.',
    examples: [
      {
        description:
          'Wait for a locally published service to appear in the catalog',
        example: `steps:
  - id: register
    action: goldenpath:register
    input:
      requestKey: \${{ steps.validate.output.requestKey }}
      fingerprint: \${{ steps.validate.output.fingerprint }}
      entityRef: \${{ steps.validate.output.names.entityRef }}
      publishMode: local
`,
      },
    ],
    supportsDryRun: true,
    schema: {
      input: {
        requestKey: requestKeyInput,
        fingerprint: fingerprintInput,
        entityRef: z => z.string(),
        publishMode: z => z.enum(['local', 'github', 'gitlab']),
        catalogInfoUrl: z => z.string().optional(),
        waitSeconds: z => z.number().int().min(1).max(300).optional(),
      },
      output: {
        wouldBeRefusedBy: wouldBeRefusedByOutput,
        entityRef: z => z.string(),
        locationId: z => z.string().optional(),
        registered: z => z.boolean(),
        replayed: z => z.boolean(),
        dryRun: dryRunOutput,
        effects: effectsOutput,
      },
    },
    async handler(ctx) {
      // Wall time: it only measures the duration audit records carry (audit.ts), decides nothing.
      const started = Date.now();
      const task = taskInfoOf(ctx);
      const { requestKey, entityRef, publishMode } = ctx.input;
      const stepId = ctx.step?.id ?? 'register';
      await assertActionEnabled({
        config,
        actionId: REGISTER_ACTION_ID,
        stepId,
        requestKey,
        task,
        startedAt: started,
        auditor,
        release: ledger,
        report: ctx,
      });
      assertFullRef('entityRef', entityRef);
      const waitSeconds =
        ctx.input.waitSeconds ??
        readGenerationSettings(config).registerWaitSeconds;
      const credentials = await auth.getOwnServiceCredentials();
      if (publishMode !== 'local' && !ctx.input.catalogInfoUrl) {
        throw new InputError(
          `catalogInfoUrl is required in ${publishMode} mode (the catalog-info.yaml URL of the new repository)`,
        );
      }

      const fingerprint = stepFingerprint(ctx.input.fingerprint, entityRef);
      if (task.dryRun) {
        // A step an earlier attempt recorded done, a real run only replays (its claim answers
        // it done): `replayed`, not `would`, and the catalog is not asked again.
        const recorded = await recordedStep<RegisterOutput>({
          ledger,
          requestKey,
          stepId,
          fingerprint,
        });
        const wouldRegister = [
          {
            type: 'catalog.register',
            target: entityRef,
            result: effectResult(task, recorded !== undefined),
          },
        ];
        if (recorded) {
          ctx.logger.info(
            `would replay: ${entityRef} was registered by an earlier attempt of ${requestKey}`,
          );
        } else if (publishMode !== 'local') {
          // A dry run publishes nothing, so the new repository's catalog-info.yaml does not
          // exist to read (the skipped publish step's outputs are placeholders): asking the
          // catalog would fail where the real run does not (V17).
          ctx.logger.info(
            `would register ${entityRef} from ${ctx.input.catalogInfoUrl}`,
          );
        } else {
          ctx.logger.info(
            `would wait for ${entityRef} from the local golden-paths provider`,
          );
        }
        await auditStep(
          auditor,
          task,
          'low',
          {
            action: REGISTER_ACTION_ID,
            stepId,
            requestKey,
            fingerprint: ctx.input.fingerprint,
            targets: [entityRef],
            effects: wouldRegister,
            result: 'skipped',
          },
          started,
        );
        ctx.output('entityRef', entityRef);
        if (recorded?.output.locationId) {
          ctx.output('locationId', recorded.output.locationId);
        }
        ctx.output('registered', false);
        ctx.output('replayed', recorded !== undefined);
        outputStepEffects(ctx, task, wouldRegister);
        return;
      }

      /** Polls until the entity is there; checks it is ours. */
      const waitForEntity = async () => {
        const deadline = clock().getTime() + waitSeconds * 1000;
        for (;;) {
          const entity = await catalog.getEntityByRef(entityRef, {
            credentials,
          });
          if (entity) {
            const key = entity.metadata.annotations?.[GP_KEYS.requestKey];
            if (key !== requestKey) {
              throw new InputError(
                gpMessages.n03({
                  name: entity.metadata.name,
                  ref: entityRef,
                  owner: String(
                    (entity.spec as { owner?: unknown })?.owner ?? 'unknown',
                  ),
                }),
              );
            }
            return entity;
          }
          if (clock().getTime() + pollMs > deadline || ctx.signal?.aborted) {
            throw new InputError(
              gpMessages.e02({ entityRef, seconds: waitSeconds }),
            );
          }
          await new Promise(resolve => setTimeout(resolve, pollMs));
        }
      };

      let failure: Error | undefined;
      let result: { replayed: boolean; output: RegisterOutput } | undefined;
      const outcome = () => {
        if (failure) return 'failed' as const;
        return result?.replayed ? ('replayed' as const) : ('done' as const);
      };
      try {
        result = await runClaimedStep<RegisterOutput>({
          ledger,
          checkpoint: ctx.checkpoint as any,
          requestKey,
          stepId,
          fingerprint,
          taskId: task.taskId,
          action: REGISTER_ACTION_ID,
          effect: async () => {
            let locationId = `golden-paths-local:${entityRef}`;
            if (publishMode !== 'local') {
              const existing = await catalog.getLocationByRef(
                `url:${ctx.input.catalogInfoUrl}`,
                { credentials },
              );
              locationId =
                existing?.id ??
                (
                  await catalog.addLocation(
                    { type: 'url', target: ctx.input.catalogInfoUrl! },
                    { credentials },
                  )
                ).location.id;
            }
            await waitForEntity();
            return { output: { entityRef, locationId }, effectRef: locationId };
          },
        });
      } catch (e) {
        failure = e as Error;
      }
      await auditStep(
        auditor,
        task,
        'medium',
        {
          action: REGISTER_ACTION_ID,
          stepId,
          requestKey,
          fingerprint: ctx.input.fingerprint,
          targets: [entityRef],
          effects: [
            {
              type: 'catalog.register',
              target: entityRef,
              result: outcome(),
            },
          ],
          result:
            outcome() === 'done'
              ? 'succeeded'
              : (outcome() as 'failed' | 'replayed'),
          ...(failure ? { errorCode: ruleIdOf(failure) } : {}),
        },
        started,
      );
      if (failure) throw failure;
      ctx.logger.info(`${entityRef} is in the catalog`);
      ctx.output('entityRef', entityRef);
      ctx.output('locationId', result!.output.locationId);
      ctx.output('registered', !result!.replayed);
      ctx.output('replayed', result!.replayed);
      outputStepEffects(ctx, task, [
        {
          type: 'catalog.register',
          target: entityRef,
          result: effectResult(task, result!.replayed),
        },
      ]);
    },
  });
  // An error the handler did not expect still leaves this invocation's record (§4.5).
  return withInvocationAudit(templateAction, {
    auditor,
    config,
    defaultStepId: 'register',
    severity: 'medium',
  });
}
