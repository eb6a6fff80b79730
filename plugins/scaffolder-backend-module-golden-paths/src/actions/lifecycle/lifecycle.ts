import type {
  AuditorService,
  AuthService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { enterTaskSignal } from '../../git/gitCli';
import type { Entity } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  GP_KEYS,
  gpMessages,
  lifecycleOf,
  normalizeEntityRef,
  TRANSITION_TABLE,
  type ApprovalTrigger,
  type NormalizedRequest,
} from '@internal/plugin-golden-paths-common';
import type { GoldenPathsService } from '@internal/plugin-golden-paths-node';
import {
  readGoldenPathsConfig,
  readPublishSettings,
} from '../../config/readConfig';
import type { DatabaseProvisioner } from '../../provisioners/DatabaseProvisioner';
import {
  commitDescriptorChange,
  commitDescriptorRemoval,
  lifecycleCommitSubject,
  requestDescriptorCommit,
  retireRepository,
  setReadOnly,
} from '../../git/lifecycleCommit';
import { auditStep, type StepAudit } from '../shared/audit';
import {
  completedStep,
  recordedStep,
  runClaimedStep,
  stepFingerprint,
  type ClaimedStepResult,
} from '../shared/claimedStep';
import { failRequest } from '../shared/failRequest';
import { assertValidatedRequest } from '../shared/inputChecks';
import {
  boundPlan,
  grantedApproval,
  ledgerApproval,
  type GrantedApproval,
} from '../shared/ledgerApproval';
import { assertActionEnabled } from '../shared/killSwitch';
import { lifecycleTransitionRefusal } from '../shared/lifecyclePermission';
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
  type StepEffect,
} from '../shared/stepOutputs';
import { postChangeRecord } from '../database/changeRecord';
import type { DatabaseChangeWriter } from '../database/databaseApply';
import { writeCatalogInfo } from '../database/infraRepository';
import {
  databaseDeleteApprovalPlan,
  databaseDeleteEffects,
  databaseDestroyChange,
  databaseDestroyMarkdown,
  mergeTriggers,
  planDatabaseDestroy,
  type DatabaseDestroyPlan,
} from './databaseDestroy';
import { annotationChange } from './descriptorChange';
import { lifecycleFinalizers, type LifecycleFinalizer } from './finalizers';
import {
  descriptorHome,
  isDatabaseResource,
  LOCAL_LOCATION,
  localLocationRefusal,
  localRepositoryOf,
  sharedDeleteRefusal,
} from './sharedRepository';
import { ruleIdOf } from '../shared/ruleIdOf';
import { gatesCaller } from '../shared/gatesCaller';
import { withInvocationAudit } from '../shared/invocationAudit';

export const LIFECYCLE_ACTION_ID = 'goldenpath:lifecycle';

/** The database a destroy drops as the change ledger names it (`<provisioner>:<identifier>`, as apply's record). */
function destroyedDatabaseOf(d: DatabaseDestroyPlan): string {
  return `${d.provisioner.id}:${String(
    d.plan.variables.identifier ?? d.plan.resourceName,
  )}`;
}

/** The approval a database Resource's destroy ran under (audit §4.5 `approval`). */
type DestroyApproval = {
  id?: string;
  approvers: string[];
  decidedAt?: string;
  breakGlass: boolean;
};

/** The GP rule id a message starts with, if any. */

/**
 * Why the action's target is not the request validate checked (§4.2), or undefined when it is.
 * The entity, transition, replacement and sunset date are inputs of their own; without this a
 * template (or a hand-made task) could validate, preview and approve one transition of one entity
 * and apply another, under the first one's key and approval.
 */
function requestMismatch(input: {
  fingerprint: string;
  request?: Record<string, unknown>;
  templateRef?: string;
  entityRef: string;
  transition: string;
  replacement?: string;
  sunsetOn?: string;
}): string | undefined {
  const { request, templateRef } = input;
  if (!request || !templateRef) {
    const missing = [
      ...(request ? [] : ['request']),
      ...(templateRef ? [] : ['templateRef']),
    ];
    return `goldenpath:lifecycle needs ${missing.join(
      ' and ',
    )} (goldenpath:validate's outputs) to prove which entity and transition were validated; pass them as the lifecycle-transition template does. Nothing was changed.`;
  }
  try {
    assertValidatedRequest(
      templateRef,
      request as unknown as NormalizedRequest,
      input.fingerprint,
    );
  } catch (e) {
    return (e as Error).message;
  }
  const r = request as {
    kind?: unknown;
    entity?: unknown;
    transition?: unknown;
    replacement?: unknown;
    sunsetOn?: unknown;
  };
  if (r.kind !== 'lifecycle') {
    return `goldenpath:lifecycle applies lifecycle requests only (got a ${String(
      r.kind,
    )} request). Nothing was changed.`;
  }
  // the request's refs are normalized (full, lower-case); the inputs may be spelled otherwise
  const ref = (value?: string) =>
    value && value !== 'none'
      ? normalizeEntityRef(value, 'component') ?? value
      : value || undefined;
  const differs = [
    ...(ref(input.entityRef) !== r.entity ? ['entityRef'] : []),
    ...(input.transition !== r.transition ? ['transition'] : []),
    ...(ref(input.replacement) !== r.replacement ? ['replacement'] : []),
    ...((input.sunsetOn || undefined) !== r.sunsetOn ? ['sunsetOn'] : []),
  ];
  return differs.length
    ? `goldenpath:lifecycle was given ${differs.join(
        ', ',
      )} other than the request validate checked (${String(
        r.transition,
      )} of ${String(
        r.entity,
      )}); pass goldenpath:validate's request fields unchanged. Nothing was changed.`
    : undefined;
}

/** What each claimed step of a transition records (and a resume reads back). */
type StepOutput = {
  from: string;
  to: string;
  commitSha: string;
  effects: string[];
};

/**
 * `goldenpath:lifecycle` (golden-paths.md §4.9, §7): one transition of a golden-path entity.
 * The gates are evaluated again now (state may have changed since the preview); any failed or
 * unknown gate refuses with the GP-L texts — except on a resume whose earlier attempt already
 * made the descriptor change the gates now see. In local publish mode the descriptor change is
 * one commit to the entity's bare repository; the `repository` finalizer makes it read-only on
 * archive (writable again, first, on unarchive); delete moves it out of the provider's root (the
 * entity is unregistered; the repository is kept). A database Resource is one file of the shared
 * infrastructure repository (`sharedRepository.ts`): its transitions commit that file only and no
 * repository finalizer runs. Its delete first destroys the database (§7.1, `databaseDestroy.ts`):
 * the owning provisioner plans the destroy (final snapshot for prod), the plan's digest must be
 * the approved one (changed → GP-A03), and the destroy runs as its own claimed step before the
 * Resource's file leaves the repository; the change ledger gets the tombstone. The descriptor
 * change and each finalizer are claimed ledger steps run inside `ctx.checkpoint`, so a resume
 * skips what is done; the action then waits until the catalog shows the new state (timed by
 * the injected clock, which also dates the commit). Dry run: gates (and a database's destroy
 * plan) only — or, for a resumed delete of an entity already gone, the ledger's record of the
 * delete step, read without a claim, as the real run reads it with one.
 *
 * Before anything else the initiator needs `goldenpaths.lifecycle.transition` on the entity
 * (§6.4). The check is here, not in the backend: the ledger and catalog calls this action makes
 * carry the scaffolder's own service credentials, so the backend never sees the user. The gates
 * are the exception: their messages go to the task log, so they are asked on the initiator's
 * behalf and name only the dependents the initiator may read (every one still counts).
 */
export function createGoldenPathLifecycleAction(options: {
  config: Config;
  ledger: GoldenPathsService;
  catalog: CatalogService;
  auth: AuthService;
  permissions: PermissionsService;
  auditor?: AuditorService;
  /** The configured database provisioner: deleting a database Resource destroys through it. */
  provisioner?: DatabaseProvisioner;
  /** Change ledger for the destroy's tombstone; without it the record is only logged. */
  changes?: DatabaseChangeWriter;
  pollMs?: number;
  waitSeconds?: number;
  /** The clock: the commit's date (`archived-on`, …) and the catalog wait's deadline. */
  now?: () => Date;
}) {
  const { config, ledger, catalog, auth, permissions, auditor } = options;
  const clock = options.now ?? (() => new Date());
  const pollMs = options.pollMs ?? 500;

  /** The entity and the locally published repository it is read from. */
  const locate = async (
    entityRef: string,
    credentials: BackstageCredentials,
  ) => {
    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity) throw new InputError(`${entityRef} is not in the catalog`);
    const location =
      entity.metadata.annotations?.['backstage.io/managed-by-location'] ?? '';
    if (!location.startsWith(LOCAL_LOCATION)) {
      throw new InputError(
        `${entityRef} is not in a locally published repository (${location}); lifecycle changes of GitHub repositories open a pull request, which this installation does not do yet`,
      );
    }
    // `<repo>` resolved against the configured root, never taken as a path as it stands
    const remote = localRepositoryOf(config, location);
    if (remote === undefined) {
      throw new InputError(localLocationRefusal(entityRef, location));
    }
    return { entity, remote, home: descriptorHome(config, remote, entity) };
  };

  /** This request's descriptor change, when the entity's repository holds it now (read-only). */
  const ownDescriptorChange = async (
    entityRef: string,
    requestKey: string,
    credentials: BackstageCredentials,
  ) => {
    const located = await locate(entityRef, credentials).catch(() => undefined);
    return located
      ? requestDescriptorCommit({
          remote: located.remote,
          branch: readPublishSettings(config).defaultBranch,
          requestKey,
          ...(located.home.kind === 'shared'
            ? { file: located.home.file }
            : {}),
        })
      : undefined;
  };
  const templateAction = createTemplateAction({
    id: LIFECYCLE_ACTION_ID,
    description:
      'Moves a golden-path entity through its lifecycle (promote, deprecate, undeprecate, archive, unarchive, delete) after evaluating the gates again; idempotent per request key.',
    examples: [
      {
        description: 'Deprecate a service created by a golden path',
        example: `steps:
  - id: lifecycle
    action: goldenpath:lifecycle
    input:
      requestKey: \${{ steps.validate.output.requestKey }}
      fingerprint: \${{ steps.validate.output.fingerprint }}
      request: \${{ steps.validate.output.request }}
      templateRef: \${{ steps.validate.output.templateRef }}
      plan: \${{ steps.preview.output.plan }}
      entityRef: component:default/cart-api
      transition: deprecate
      reason: Replaced by basket-api after the cart rewrite.
      replacement: component:default/basket-api
      sunsetOn: '2027-03-01'
      mode: \${{ steps.open.output.mode }}
`,
      },
    ],
    supportsDryRun: true,
    schema: {
      input: {
        requestKey: requestKeyInput,
        fingerprint: fingerprintInput,
        request: z =>
          z
            .record(z.string(), z.unknown())
            .optional()
            .describe(
              'The normalized request from goldenpath:validate (required): entityRef, transition, replacement and sunsetOn must be the ones it holds.',
            ),
        templateRef: z =>
          z
            .string()
            .optional()
            .describe(
              'The templateRef of goldenpath:validate (required); with request and fingerprint it proves the request is the one validate checked.',
            ),
        plan: z =>
          z
            .record(z.string(), z.unknown())
            .optional()
            .describe(
              "goldenpath:preview's plan: a transition whose gates need approval needs the approval of its digest (with the gates' triggers now), from the ledger.",
            ),
        entityRef: z => z.string(),
        transition: z =>
          z.enum([
            'promote',
            'deprecate',
            'undeprecate',
            'archive',
            'unarchive',
            'delete',
          ]),
        reason: z => z.string(),
        replacement: z => z.string().optional(),
        sunsetOn: z => z.string().optional(),
        mode: z => z.enum(['create', 'resume', 'replay']).optional(),
        planDigest: z =>
          z
            .string()
            .optional()
            .describe(
              "The digest the approval was given for (goldenpath:preview's planDigest). Deleting a database Resource destroys only when its destroy plan still has this digest (GP-A03).",
            ),
      },
      output: {
        wouldBeRefusedBy: wouldBeRefusedByOutput,
        from: z => z.string(),
        to: z => z.string(),
        gates: z =>
          z.array(
            z.object({
              gate: z.string(),
              status: z.string(),
              message: z.string(),
            }),
          ),
        commitSha: z => z.string().optional(),
        replayed: z => z.boolean(),
        dryRun: dryRunOutput,
        effects: effectsOutput,
      },
    },
    async handler(ctx) {
      // git calls of this run stop when the task is cancelled (after an await: see there)
      await Promise.resolve();
      enterTaskSignal(ctx.signal);
      // Wall time: it only measures the duration audit records carry (audit.ts), decides nothing.
      const started = Date.now();
      const task = taskInfoOf(ctx);
      const { requestKey, entityRef, transition } = ctx.input;
      const stepId = ctx.step?.id ?? 'lifecycle';
      await assertActionEnabled({
        config,
        actionId: LIFECYCLE_ACTION_ID,
        stepId,
        requestKey,
        task,
        startedAt: started,
        auditor,
        release: ledger,
        report: ctx,
      });
      const severity = transition === 'delete' ? 'critical' : 'high';
      /** What every audit record of this invocation carries besides its outcome (§4.5). */
      const recordHead = {
        action: LIFECYCLE_ACTION_ID,
        stepId,
        requestKey,
        fingerprint: ctx.input.fingerprint,
        ...(ctx.input.mode ? { mode: ctx.input.mode } : {}),
      };
      /**
       * Audits a refusal (nothing changed) and returns the error to throw. In a real run it also
       * fails the request and ends this task's lease: the close step will not run, and the rerun
       * once the cause is fixed (or the approval given) would otherwise meet GP-I03 until the
       * lease expires (README: steps after ledger:open release the request when they stop).
       */
      const refused = async <E extends Error>(
        error: E,
        errorCode?: string,
        extra: Pick<StepAudit, 'planDigest' | 'extra'> = {},
      ): Promise<E> => {
        if (!task.dryRun) {
          await failRequest(ledger, requestKey, task.taskId, error);
        }
        await auditStep(
          auditor,
          task,
          severity,
          {
            ...recordHead,
            targets: [entityRef],
            decision: 'deny',
            result: 'failed',
            ...(errorCode ? { errorCode } : {}),
            ...extra,
          },
          started,
        );
        return error;
      };

      // Only the transition validate checked (and preview planned, and approve bound) is applied:
      // replays and dry runs included, before anything else is read.
      const mismatch = requestMismatch({ ...ctx.input, entityRef, transition });
      if (mismatch) throw await refused(new InputError(mismatch));

      // Fail closed, replays and dry runs included: who may not move the entity learns nothing
      // more and changes nothing. goldenpath:validate asks the same at preflight.
      const notAllowed = await lifecycleTransitionRefusal({
        permissions,
        getInitiatorCredentials: () => ctx.getInitiatorCredentials(),
        entityRef,
        fallbackUserRef: task.userRef,
      });
      if (notAllowed) throw await refused(notAllowed);

      if (ctx.input.mode === 'replay') {
        ctx.logger.info(
          `${requestKey}: replay; the transition already happened`,
        );
        await auditStep(
          auditor,
          task,
          severity,
          {
            ...recordHead,
            targets: [entityRef],
            result: 'replayed',
          },
          started,
        );
        ctx.output('from', '');
        ctx.output('to', '');
        ctx.output('gates', []);
        ctx.output('replayed', true);
        outputStepEffects(ctx, task, []);
        return;
      }

      const credentials = await auth.getOwnServiceCredentials();
      // Deleting an entity of the shared infrastructure repository would retire the repository
      // every other Resource lives in: refused before the gates, dry runs included, with nothing
      // changed. A database Resource is the exception: its database is destroyed first (below).
      const deleting =
        transition === 'delete'
          ? await catalog.getEntityByRef(entityRef, { credentials })
          : undefined;
      const sharedRefusal =
        deleting && sharedDeleteRefusal(config, entityRef, deleting);
      if (sharedRefusal) throw await refused(new InputError(sharedRefusal));
      /** The effect of the transition's own step. */
      const mainEffect =
        transition === 'delete' ? 'catalog.unregister' : 'lifecycle.set';
      /** The ledger step of the transition's own change, or of one finalizer (§7.3). */
      const stepIdOf = (finalizer?: string) =>
        finalizer ? `${stepId}:${finalizer}` : stepId;
      /** The ledger fingerprint of the transition's own step, or of one finalizer's. */
      const fingerprintOf = (finalizer?: string) =>
        stepFingerprint(
          ctx.input.fingerprint,
          entityRef,
          transition,
          ...(finalizer ? [finalizer] : []),
        );
      /** Whether an earlier attempt of this resumed request recorded the step done (no claim). */
      const recordedDone = async (finalizer?: string) =>
        ctx.input.mode === 'resume' &&
        (await recordedStep({
          ledger,
          requestKey,
          stepId: stepIdOf(finalizer),
          fingerprint: fingerprintOf(finalizer),
        })) !== undefined;

      // A rerun of a delete the catalog already forgot (the first attempt unregistered the entity,
      // then timed out waiting for the catalog, or lost its close): gates, destroy plan and
      // repository all need the entity, so the ledger decides. When this request's own delete
      // step is recorded done, the rerun confirms it as any resumed step replays; otherwise
      // nothing of this request deleted it and it is refused, with nothing changed. A dry run
      // takes the same path and reports the same answer; it only reads the step instead of
      // claiming it, and leaves the request as it is.
      if (transition === 'delete' && !deleting && ctx.input.mode === 'resume') {
        const step = {
          ledger,
          requestKey,
          stepId,
          fingerprint: fingerprintOf(),
        };
        const done = task.dryRun
          ? await recordedStep<StepOutput>(step)
          : await completedStep<StepOutput>({
              ...step,
              taskId: task.taskId,
              action: LIFECYCLE_ACTION_ID,
            });
        if (!done) {
          // refused() fails the request in a real run (a dry run claimed nothing)
          throw await refused(
            new InputError(
              `${entityRef} is not in the catalog, and no earlier attempt of ${requestKey} deleted it; nothing was changed.`,
            ),
          );
        }
        ctx.logger.info(
          `${requestKey}: resuming; ${entityRef} is gone from the catalog and this request's delete step is done (${
            done.effectRef ?? 'no effect reference'
          }); nothing runs again`,
        );
        const unregistered = [
          {
            type: 'catalog.unregister',
            target: entityRef,
            result: effectResult(task, true),
          },
        ];
        await auditStep(
          auditor,
          task,
          severity,
          {
            ...recordHead,
            targets: [entityRef, ...(done.effectRef ? [done.effectRef] : [])],
            decision: 'allow',
            effects: unregistered,
            result: 'replayed',
          },
          started,
        );
        ctx.output('from', done.output.from ?? '');
        ctx.output('to', done.output.to ?? TRANSITION_TABLE.delete.to);
        ctx.output('gates', []);
        if (done.output.commitSha) {
          ctx.output('commitSha', done.output.commitSha);
        }
        ctx.output('replayed', true);
        outputStepEffects(ctx, task, unregistered);
        return;
      }

      /**
       * The destroy plan of a database Resource being deleted, checked against the approval
       * (§7.1, §6.2). The owning provisioner plans it now, read-only: one that cannot take a prod
       * database's final snapshot refuses here, with nothing dropped. A plan that destroys
       * something must still have the digest the approval was given for (a changed plan opens a
       * new approval and stops with GP-A03: destroy what was reviewed, 24), and that approval
       * must be approved, as the ledger says. A plan that destroys nothing (the database is gone
       * already: a rerun) needs neither. Dry run: the plan and the digest comparison only.
       */
      const approvedDestroy = async (
        entity: Entity,
        gateTriggers: readonly ApprovalTrigger[],
      ): Promise<DatabaseDestroyPlan & { approval?: DestroyApproval }> => {
        let destroy: DatabaseDestroyPlan;
        try {
          destroy = await planDatabaseDestroy({
            entityRef,
            entity,
            provisioner: options.provisioner,
          });
        } catch (e) {
          if (!(e instanceof InputError)) throw e;
          throw await refused(e, ruleIdOf(e.message));
        }
        const gp = readGoldenPathsConfig(config);
        const { plan } = destroy;
        const triggers = mergeTriggers(destroy.triggers, gateTriggers);
        ctx.logger.info(databaseDestroyMarkdown(destroy, triggers, gp));
        if (destroy.noOp) {
          ctx.logger.info(
            `${entityRef}: its database is gone already; nothing to destroy or approve`,
          );
          return destroy;
        }
        const bound = {
          planDigest: plan.planDigest,
          extra: { executionIdentity: destroy.provisioner.executionIdentity },
        };
        const approvalInput = () => ({
          planDigest: plan.planDigest,
          triggers,
          // what the approve step would have shown (§6.3)
          plan: databaseDeleteApprovalPlan(destroy, triggers, gp, {
            requestKey,
            fingerprint: ctx.input.fingerprint,
          }) as unknown as Record<string, unknown>,
          action: LIFECYCLE_ACTION_ID,
        });
        if (plan.planDigest !== ctx.input.planDigest) {
          if (task.dryRun) {
            ctx.logger.warn(
              `The destroy plan changed since it was shown (${
                ctx.input.planDigest ?? 'none'
              } → ${
                plan.planDigest
              }); a real run would stop with GP-A03 and request a new approval.`,
            );
            return destroy;
          }
          // The backend supersedes the approval of the old digest.
          const state = await ledger.openApproval(requestKey, approvalInput());
          throw await refused(
            new InputError(
              (state.ruleId === 'GP-A03' || state.status === 'refused') &&
              state.message
                ? state.message
                : gpMessages.a03({
                    oldDigest: ctx.input.planDigest ?? '(none)',
                    newDigest: plan.planDigest,
                    newId: state.approval?.id ?? '(none)',
                  }),
            ),
            state.status === 'refused' ? state.ruleId : 'GP-A03',
            bound,
          );
        }
        if (task.dryRun) return destroy;
        // The approval of exactly this digest, from the ledger, not from the template's word.
        const state = await ledger.openApproval(requestKey, approvalInput());
        if (state.status !== 'approved') {
          throw await refused(
            new InputError(
              [state.message, ...(state.errors ?? [])]
                .filter(Boolean)
                .join('\n') ||
                `Approval ${state.approval?.id ?? ''} of the destroy plan ${
                  plan.planDigest
                } is ${state.status}; nothing was destroyed.`,
            ),
            state.ruleId,
            bound,
          );
        }
        return { ...destroy, approval: grantedApproval(state) };
      };

      /**
       * The approval a transition needs when its gates report approval triggers (or decide
       * `needs-approval`), checked with the ledger: the template's approve step takes its
       * triggers from the template, so a template that passed none, or left the step out, would
       * otherwise carry a tier 1 promotion or a destructive archive past the boundary (§6). The
       * digest is the one the approve step binds to: the preview's plan with the gates' triggers
       * of now (a plan passed without them hashes to a digest nobody approved); for a database
       * Resource whose database is gone already (a no-op destroy plan), the destroy plan's, or
       * the one of the approval the resumed request holds (as preview binds it). A database
       * destroy that drops something was bound to its plan by `approvedDestroy`. Dry run: logged.
       */
      const approvedTransition = async (
        gateTriggers: readonly ApprovalTrigger[],
        gatesNeedApproval: boolean,
        d: DatabaseDestroyPlan | undefined,
      ): Promise<GrantedApproval | undefined> => {
        if (!gateTriggers.length && !gatesNeedApproval) return undefined;
        if (d && !d.noOp) return undefined;
        if (!gateTriggers.length) {
          throw await refused(
            new InputError(
              `The gates of ${transition} of ${entityRef} ask for an approval but name no trigger to route it by; nothing was changed. Ask the platform team to check the lifecycle gates.`,
            ),
          );
        }
        const gp = readGoldenPathsConfig(config);
        let bound: {
          planDigest: string;
          triggers: ApprovalTrigger[];
          plan: Record<string, unknown>;
        };
        if (d) {
          const triggers = mergeTriggers(d.triggers, gateTriggers);
          const held = task.dryRun
            ? undefined
            : (await ledger.getRequest(requestKey))?.planDigest;
          bound = {
            planDigest:
              held && ctx.input.planDigest === held ? held : d.plan.planDigest,
            triggers,
            plan: databaseDeleteApprovalPlan(d, triggers, gp, {
              requestKey,
              fingerprint: ctx.input.fingerprint,
            }) as unknown as Record<string, unknown>,
          };
        } else {
          if (!ctx.input.plan) {
            throw await refused(
              new InputError(
                `${transition} of ${entityRef} needs approval (${gateTriggers
                  .map(t => t.id)
                  .join(
                    ', ',
                  )}), and goldenpath:lifecycle needs goldenpath:preview's plan to check it; pass it as the lifecycle-transition template does. Nothing was changed.`,
              ),
            );
          }
          const planned = boundPlan(ctx.input.plan, {
            requestKey,
            fingerprint: ctx.input.fingerprint,
            templateRef: ctx.input.templateRef!,
            approvalTriggers: gateTriggers,
          });
          bound = {
            planDigest: planned.planDigest,
            triggers: [...gateTriggers],
            plan: planned.plan as unknown as Record<string, unknown>,
          };
        }
        if (task.dryRun) {
          ctx.logger.info(
            `a real run applies ${transition} only with the approval of plan ${
              bound.planDigest
            } (${bound.triggers.map(t => t.id).join(', ')})`,
          );
          return undefined;
        }
        const answer = await ledgerApproval({
          ledger,
          config: gp,
          requestKey,
          ...bound,
          action: LIFECYCLE_ACTION_ID,
        });
        if (!answer.approved) {
          throw await refused(answer.error, answer.ruleId, {
            planDigest: bound.planDigest,
          });
        }
        return answer.approval;
      };

      /**
       * What a real run's steps would do, in its order: the descriptor change and the finalizers
       * of the transition (§7.3; archive and unarchive, located as the real run locates the
       * entity). On a resume, a step an earlier attempt recorded done is one the real run only
       * replays (read with `recordedStep`: no claim).
       */
      const dryRunEffects = async (): Promise<StepEffect[]> => {
        const main = { type: mainEffect, target: entityRef };
        let steps: { type: string; target: string; finalizer?: string }[] = [
          main,
        ];
        if (transition === 'archive' || transition === 'unarchive') {
          const { entity, remote, home } = await locate(entityRef, credentials);
          const finalizers = lifecycleFinalizers({
            transition,
            entity,
            entityRef,
            remote,
            shared: home.kind === 'shared',
          });
          const asStep = (f: LifecycleFinalizer) => ({
            type: 'finalizer.run',
            target: f.target,
            finalizer: f.id,
          });
          steps = [
            ...finalizers.before.map(asStep),
            main,
            ...finalizers.after.map(asStep),
          ];
        }
        const effects: StepEffect[] = [];
        for (const step of steps) {
          const done = await recordedDone(step.finalizer);
          effects.push({
            type: step.type,
            target: step.target,
            result: effectResult(task, done),
          });
        }
        return effects;
      };

      /**
       * A database Resource's delete in a dry run: the destroy plan's effects, as the approver saw
       * them. On a resume, a destroy an earlier attempt recorded done is one the real run only
       * replays: it is reported as the real run reports it (`db.destroy` of the database,
       * `replayed`), whatever the plan of what is left lists; a recorded unregistration likewise.
       */
      const destroyDryRunEffects = async (
        d: DatabaseDestroyPlan,
      ): Promise<StepEffect[]> => {
        const planned = databaseDeleteEffects(d);
        const destroyed = await recordedDone('destroy');
        const unregistered = await recordedDone();
        return [
          ...(destroyed
            ? [
                {
                  type: 'db.destroy',
                  target: destroyedDatabaseOf(d),
                  result: effectResult(task, true),
                },
              ]
            : planned
                .filter(e => e.type === 'db.destroy')
                .map(e => ({
                  type: e.type,
                  target: e.target,
                  result: effectResult(task),
                }))),
          ...planned
            .filter(e => e.type !== 'db.destroy')
            .map(e => ({
              type: e.type,
              target: e.target,
              result: effectResult(task, unregistered),
            })),
        ];
      };

      const answer = await ledger.lifecycleGates(
        {
          entityRef,
          to: transition,
          replacement: ctx.input.replacement,
          sunsetOn: ctx.input.sunsetOn,
          reason: ctx.input.reason,
        },
        await gatesCaller(ctx),
      );
      const gates = answer.gates.map(g => ({
        gate: g.gate,
        status: g.status,
        message: g.message,
      }));
      for (const g of answer.gates) {
        ctx.logger.info(`${g.status.toUpperCase()} ${g.gate}: ${g.message}`);
      }
      ctx.output('gates', gates);
      const refusals = [
        ...answer.evaluation.errors
          .filter(e => e.message && !answer.gates.some(g => g.ruleId === e.id))
          .map(e => e.message!),
        ...answer.gates.filter(g => g.status === 'fail').map(g => g.message),
        ...answer.gates
          .filter(g => g.status === 'unknown')
          .map(g => `${g.gate} could not be evaluated: ${g.message}`),
      ];

      const publish = readPublishSettings(config);
      /** Set when a resume finds this request's own descriptor change (its gates passed then). */
      let resumedAfterChange = false;
      let from = answer.from;
      const to = answer.to ?? TRANSITION_TABLE[transition].to;
      if (
        answer.decision === 'deny' ||
        answer.decision === 'unknown' ||
        refusals.length
      ) {
        // A resume after a partial run: the gates see the entity as this request's own earlier
        // attempt left it (an archived entity cannot be archived: GP-L01). When the repository's
        // descriptor still holds that attempt's change, the gates passed before it was made, and
        // the steps not done yet (finalizers) run now; anything else is refused as usual.
        const own =
          ctx.input.mode === 'resume' && transition !== 'delete'
            ? await ownDescriptorChange(entityRef, requestKey, credentials)
            : undefined;
        if (!own) {
          throw await refused(
            new InputError(
              refusals.join('\n') ||
                `${transition} of ${entityRef} is not allowed now`,
            ),
            answer.gates.find(g => g.status === 'fail')?.ruleId ??
              answer.evaluation.errors[0]?.id,
          );
        }
        ctx.logger.info(
          `${requestKey}: resuming; ${entityRef} already holds this request's descriptor change (${own.commitSha}), made after the gates passed; the steps not done yet run now`,
        );
        from = own.from;
        resumedAfterChange = true;
      }
      ctx.output('from', from);
      ctx.output('to', to);

      // A database Resource's delete (§7.1): the destroy plan, bound to the approved digest.
      const destroy =
        deleting && isDatabaseResource(deleting)
          ? await approvedDestroy(deleting, answer.evaluation.approvalTriggers)
          : undefined;
      // §6: any other transition the gates say needs a human decision (tier-1, destructive,
      // production-data, exception) runs only with it, from the ledger.
      const approval =
        destroy?.approval ??
        (resumedAfterChange
          ? undefined
          : await approvedTransition(
              answer.evaluation.approvalTriggers,
              answer.decision === 'needs-approval',
              destroy,
            ));

      if (task.dryRun) {
        ctx.logger.info(`would ${transition} ${entityRef}: ${from} → ${to}`);
        const would = destroy
          ? await destroyDryRunEffects(destroy)
          : await dryRunEffects();
        await auditStep(
          auditor,
          task,
          'low',
          {
            ...recordHead,
            targets: [entityRef],
            ...(destroy ? { planDigest: destroy.plan.planDigest } : {}),
            decision: 'allow',
            effects: would,
            result: 'skipped',
          },
          started,
        );
        ctx.output('replayed', false);
        outputStepEffects(ctx, task, would);
        return;
      }

      const { entity, remote, home } = await locate(entityRef, credentials);
      const shared = home.kind === 'shared';
      const nowIso = clock().toISOString();
      /** Author, date and message of the transition's commit, whichever file it changes. */
      const commitIdentity = {
        ...publish.author,
        date: nowIso,
        message: `${lifecycleCommitSubject({
          transition,
          from,
          to,
          requestKey,
        })}\n\n${ctx.input.reason}`,
      };
      /** One claimed step: the transition's own (`finalizer` undefined) or a finalizer's. */
      const claimed = (
        finalizer: string | undefined,
        effect: () => Promise<{ output: StepOutput; effectRef?: string }>,
      ) =>
        runClaimedStep<StepOutput>({
          ledger,
          checkpoint: ctx.checkpoint as any,
          requestKey,
          stepId: stepIdOf(finalizer),
          fingerprint: fingerprintOf(finalizer),
          taskId: task.taskId,
          action: LIFECYCLE_ACTION_ID,
          effect,
        });

      // The descriptor change (or, for delete, the unregistration) under the step id the
      // transition always had; each finalizer (§7.3) is its own claimed step, so a resume skips
      // what is done and runs the rest.
      const descriptorStep = () =>
        claimed(undefined, async () => {
          if (transition === 'delete' && shared) {
            // refused above unless a database Resource (whose database is destroyed by now);
            // never retire the repository other entities live in
            if (!destroy) {
              throw new InputError(
                sharedDeleteRefusal(config, entityRef, entity) ??
                  `${entityRef} is in the shared infrastructure repository; nothing was changed.`,
              );
            }
            // Its own file leaves the repository, and the generated catalog-info.yaml with it.
            const removal = await commitDescriptorRemoval({
              remote,
              branch: publish.defaultBranch,
              file: home.file,
              afterEdit: writeCatalogInfo,
              identity: commitIdentity,
            });
            return {
              output: {
                from,
                to,
                commitSha: removal.commitSha,
                effects: [
                  `${
                    home.file
                  } removed from the shared infrastructure repository (commit ${
                    removal.commitSha
                  }${removal.changed ? '' : ', already removed'})`,
                ],
              },
              effectRef: `${remote}@${removal.commitSha}`,
            };
          }
          if (transition === 'delete') {
            const kept = await retireRepository(remote, requestKey);
            return {
              output: {
                from,
                to,
                commitSha: '',
                effects: [
                  `repository moved out of the catalog's reach to ${kept}`,
                ],
              },
              effectRef: kept,
            };
          }
          // Made by this request before its step was recorded (a crash after the push): the
          // same change, not a second commit with a later date.
          const earlier = await requestDescriptorCommit({
            remote,
            branch: publish.defaultBranch,
            requestKey,
            ...(shared ? { file: home.file } : {}),
          });
          const change = annotationChange({
            transition,
            replacement: ctx.input.replacement,
            sunsetOn: ctx.input.sunsetOn,
            reason: ctx.input.reason,
            today: nowIso.slice(0, 10),
          });
          const commit = earlier
            ? { commitSha: earlier.commitSha, changed: false }
            : await commitDescriptorChange({
                remote,
                branch: publish.defaultBranch,
                // the Resource's own file; the generated catalog-info.yaml follows it
                ...(shared
                  ? { file: home.file, afterEdit: writeCatalogInfo }
                  : {}),
                change: {
                  entityName: entity.metadata.name,
                  kind: entity.kind,
                  lifecycle: to,
                  lifecycleInAnnotation: ['resource', 'system'].includes(
                    entity.kind.toLocaleLowerCase('en-US'),
                  ),
                  setAnnotations: change.set,
                  removeAnnotations: change.remove,
                },
                identity: commitIdentity,
              });
          return {
            output: {
              from,
              to,
              commitSha: commit.commitSha,
              effects: [
                `descriptor commit ${commit.commitSha}${
                  commit.changed ? '' : ' (already there)'
                }${
                  shared
                    ? ` (${home.file} of the shared infrastructure repository; no repository finalizer runs there)`
                    : ''
                }`,
              ],
            },
            effectRef: `${remote}@${commit.commitSha}`,
          };
        });
      // §7.3 `repository` (local mode): archive makes it read-only; unarchive reverses that
      // first, since the hook would refuse the descriptor commit.
      const repositoryStep = (readOnly: boolean) =>
        claimed('repository', async () => {
          await setReadOnly(remote, readOnly);
          return {
            output: {
              from,
              to,
              commitSha: '',
              effects: [
                readOnly
                  ? 'repository read-only (pre-receive hook)'
                  : 'repository writable again',
              ],
            },
            effectRef: remote,
          };
        });

      const results: {
        type: string;
        target: string;
        result: ClaimedStepResult<StepOutput>;
      }[] = [];
      const run = async (
        type: string,
        target: string,
        step: () => Promise<ClaimedStepResult<StepOutput>>,
      ) => {
        const result = await step();
        results.push({ type, target, result });
        return result;
      };
      // §7.3 `schedules`: an archived worker is paused (`ops.example.com/paused: "true"`, which
      // the reusable deploy workflow reads to scale it to zero); unarchive resumes it. Its own
      // commit and claimed step, after the descriptor change and before the repository turns
      // read-only (the order is `lifecycleFinalizers`').
      const schedulesStep = (paused: boolean) =>
        claimed('schedules', async () => {
          const commit = await commitDescriptorChange({
            remote,
            branch: publish.defaultBranch,
            change: {
              entityName: entity.metadata.name,
              kind: entity.kind,
              lifecycle: to,
              lifecycleInAnnotation: false,
              setAnnotations: paused ? { [GP_KEYS.paused]: 'true' } : {},
              removeAnnotations: paused ? [] : [GP_KEYS.paused],
            },
            identity: {
              ...publish.author,
              date: nowIso,
              message: `${
                paused ? 'Pause' : 'Resume'
              } the schedules of ${entityRef} (${requestKey})`,
            },
          });
          return {
            output: {
              from,
              to,
              commitSha: commit.commitSha,
              effects: [
                `schedules ${paused ? 'paused' : 'resumed'} (${GP_KEYS.paused}${
                  paused ? ': "true"' : ' removed'
                }, commit ${commit.commitSha}${
                  commit.changed ? '' : ', already there'
                })`,
              ],
            },
            effectRef: `${remote}@${commit.commitSha}`,
          };
        });
      const finalizers = lifecycleFinalizers({
        transition,
        entity,
        entityRef,
        remote,
        shared,
      });
      const runFinalizer = (f: LifecycleFinalizer) =>
        run('finalizer.run', f.target, () =>
          f.id === 'repository' ? repositoryStep(f.on) : schedulesStep(f.on),
        );
      /** The destroy's tombstone in the change ledger (§7.1: "ledger tombstone"). */
      const postTombstone = async (
        d: DatabaseDestroyPlan,
        applied: DatabaseDestroyPlan['plan'],
        startedAt: string,
      ) => {
        const change = databaseDestroyChange({
          requestKey,
          target: d.target,
          plan: applied,
          userRef: task.userRef,
          taskId: task.taskId,
          startedAt,
          finishedAt: clock().toISOString(),
        });
        // The database is gone; a lost record is a gap in evidence, not a failed delete.
        await postChangeRecord(options.changes, change, ctx.logger);
      };
      // §7.1: a database Resource's database is destroyed before the Resource is unregistered,
      // as its own claimed step (a rerun after the destroy finds it done, or destroys nothing:
      // what is gone plans as no-op). The change ledger gets the tombstone either way; its key
      // makes a repost after a crash harmless.
      /** Set once this attempt's destroy has run, whether or not its step completion is recorded. */
      let destroyedNow = false;
      const destroyStep = (d: DatabaseDestroyPlan) =>
        claimed('destroy', async () => {
          const startedAt = clock().toISOString();
          // the Resource's canonical ref, as planned (not the input's spelling of it)
          const applied = await d.provisioner.destroy(d.target.entityRef, {
            dryRun: false,
            finalSnapshot: d.target.finalSnapshot,
          });
          destroyedNow = true;
          await postTombstone(d, applied, startedAt);
          const dropped = applied.resources.filter(r => r.action !== 'no-op');
          return {
            output: {
              from,
              to,
              commitSha: '',
              effects: [
                dropped.length
                  ? `destroyed ${dropped.map(r => r.address).join(', ')} with ${
                      d.provisioner.id
                    }${d.target.finalSnapshot ? ' after a final snapshot' : ''}`
                  : `nothing left to destroy for ${entityRef} (${d.provisioner.id})`,
              ],
            },
            effectRef: `${d.provisioner.id}:${String(
              applied.variables.identifier ?? d.target.resourceName,
            )}`,
          };
        });
      const destroyedDatabase = destroy
        ? destroyedDatabaseOf(destroy)
        : undefined;
      /** Every step the attempt ran, as its audit record and its `effects` output carry them. */
      const attemptEffects = (): StepEffect[] => [
        ...results.map(r => ({
          type: r.type,
          target: r.target,
          result: effectResult(task, r.result.replayed),
        })),
        // dropped, though the ledger lost the step's completion
        ...(destroy &&
        destroyedNow &&
        !results.some(r => r.type === 'db.destroy')
          ? [
              {
                type: 'db.destroy',
                target: destroyedDatabase!,
                result: effectResult(task),
              },
            ]
          : []),
      ];
      /** The attempt's one audit record, with every step it ran and, for a destroy, under what. */
      const auditAttempt = (result: 'succeeded' | 'replayed' | 'failed') =>
        auditStep(
          auditor,
          task,
          severity,
          {
            ...recordHead,
            // the database a destroy dropped is a target too (its provisioner's id for it)
            targets: [
              entityRef,
              remote,
              ...(destroy ? [destroyedDatabase!] : []),
            ],
            ...(destroy ? { planDigest: destroy.plan.planDigest } : {}),
            decision: approval ? 'approved' : 'allow',
            effects: attemptEffects(),
            result,
            ...(destroy || approval
              ? {
                  extra: {
                    ...(destroy
                      ? {
                          executionIdentity:
                            destroy.provisioner.executionIdentity,
                        }
                      : {}),
                    ...(approval ? { approval } : {}),
                  },
                }
              : {}),
          },
          started,
        );
      let main: ClaimedStepResult<StepOutput>;
      try {
        if (destroy) {
          await run('db.destroy', destroyedDatabase!, () =>
            destroyStep(destroy),
          );
        }
        // §7.3 finalizers act on the whole repository: never on the shared one.
        for (const f of finalizers.before) await runFinalizer(f);
        main = await run(mainEffect, entityRef, descriptorStep);
        for (const f of finalizers.after) await runFinalizer(f);

        // The request stays running until the catalog shows the new state (§4.9).
        const deadline = clock().getTime() + (options.waitSeconds ?? 30) * 1000;
        for (;;) {
          const now = await catalog.getEntityByRef(entityRef, { credentials });
          const done =
            transition === 'delete' ? !now : now && lifecycleOf(now) === to;
          if (done) break;
          if (clock().getTime() + pollMs > deadline) {
            const error = new InputError(
              `The change is committed (${
                main.output.commitSha || 'repository retired'
              }) but the catalog does not show ${entityRef} as ${to} yet; run again with the same key to confirm.`,
            );
            // The close step will not run: without this the rerun it asks for would meet this
            // task's lease (GP-I03) until it expires. The rerun resumes and replays the done steps.
            await failRequest(ledger, requestKey, task.taskId, error);
            throw error;
          }
          await new Promise(r => setTimeout(r, pollMs));
        }
      } catch (error) {
        // A database dropped in this attempt is recorded now, with the approval and digest it was
        // dropped under: a rerun would only find it gone (a no-op plan) and could not say so.
        if (destroyedNow) await auditAttempt('failed');
        throw error;
      }
      for (const r of results) {
        for (const e of r.result.output.effects) ctx.logger.info(e);
      }
      const replayed = results.every(r => r.result.replayed);
      await auditAttempt(replayed ? 'replayed' : 'succeeded');
      if (main.output.commitSha) ctx.output('commitSha', main.output.commitSha);
      ctx.output('replayed', replayed);
      outputStepEffects(ctx, task, attemptEffects());
    },
  });
  // An error the handler did not expect still leaves this invocation's record (§4.5).
  return withInvocationAudit(templateAction, {
    auditor,
    config,
    defaultStepId: 'lifecycle',
    // a delete is critical, as its own records
    severity: input => (input.transition === 'delete' ? 'critical' : 'high'),
  });
}
