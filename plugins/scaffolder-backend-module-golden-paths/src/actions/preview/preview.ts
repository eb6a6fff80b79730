import type {
  AuditorService,
  AuthService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { CatalogService } from '@backstage/plugin-catalog-node';
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
import type { DatabaseProvisioner } from '../../provisioners/DatabaseProvisioner';
import {
  databaseDeleteApprovalPlan,
  databaseDestroyMarkdown,
  mergeTriggers,
  planDatabaseDestroy,
  type DatabaseDestroyPlan,
} from '../lifecycle/databaseDestroy';
import { isDatabaseResource } from '../lifecycle/sharedRepository';
import { auditStep } from '../shared/audit';
import { assertActionEnabled } from '../shared/killSwitch';
import {
  fingerprintInput,
  namesInput,
  publishModeInput,
  requestKeyInput,
  triggersInput,
  wouldBeRefusedByOutput,
} from '../shared/schemas';
import { taskInfoOf } from '../shared/taskInfo';
import {
  dryRunOutput,
  effectsOutput,
  outputStepEffects,
} from '../shared/stepOutputs';
import {
  buildLifecyclePlan,
  buildServicePlan,
  planMarkdown,
} from './buildPlan';
import { examples } from './preview.examples';
import { ruleIdOf } from '../shared/ruleIdOf';
import { gatesCaller } from '../shared/gatesCaller';
import { withInvocationAudit } from '../shared/invocationAudit';

export const PREVIEW_ACTION_ID = 'goldenpath:preview';

/**
 * `goldenpath:preview` (golden-paths.md §4.9): the plan a request would carry out, its digest,
 * the approval triggers with routes, the expected start level, and whether the ledger would
 * create, resume or replay it (a read-only ledger lookup). No side effects: dry run is identical.
 *
 * Deleting a database Resource (§7.1) is planned by the provisioner that owns its database: the
 * plan's effects (`db.destroy`, then the unregistration) and the digest of its read-only destroy
 * plan are what the approval shows and binds to, as the create plan of T3 is; `goldenpath:lifecycle`
 * plans again and compares before it destroys. A provisioner that cannot take a prod database's
 * final snapshot refuses here, before approval is requested. A resumed delete whose database is
 * gone already (its first attempt destroyed it, then failed to unregister) stays bound to the
 * approval the request holds: what is left was part of the plan that approval was given for.
 */
export function createGoldenPathPreviewAction(options: {
  config: Config;
  ledger: GoldenPathsService;
  auditor?: AuditorService;
  /** Catalog, credentials and provisioner for a database Resource's destroy plan. */
  catalog?: CatalogService;
  auth?: AuthService;
  provisioner?: DatabaseProvisioner;
}) {
  const { config, ledger, auditor } = options;

  /** The destroy plan when `entityRef` is a database Resource being deleted, else undefined. */
  const databaseDestroyOf = async (
    entityRef: string,
  ): Promise<DatabaseDestroyPlan | undefined> => {
    if (!options.catalog || !options.auth) return undefined;
    const entity = await options.catalog.getEntityByRef(entityRef, {
      credentials: await options.auth.getOwnServiceCredentials(),
    });
    return entity && isDatabaseResource(entity)
      ? planDatabaseDestroy({
          entityRef,
          entity,
          provisioner: options.provisioner,
        })
      : undefined;
  };
  const templateAction = createTemplateAction({
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
        wouldBeRefusedBy: wouldBeRefusedByOutput,
        plan: z => z.record(z.string(), z.unknown()),
        planDigest: z => z.string(),
        markdown: z => z.string(),
        approvalTriggers: z =>
          z.array(z.object({ id: z.string(), reasons: z.array(z.string()) })),
        scorecard: z => z.object({ expectedStartLevel: z.string() }),
        idempotency: z => z.enum(['new', 'replay', 'resume', 'conflict']),
        dryRun: dryRunOutput,
        effects: effectsOutput,
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
        report: ctx,
      });
      const gp = readGoldenPathsConfig(config);
      let triggers = ctx.input.approvalTriggers as ApprovalTrigger[];
      const template = {
        ref: ctx.input.templateRef,
        version: ctx.input.templateVersion,
      };
      let built;
      let destroy: DatabaseDestroyPlan | undefined;
      // Read-only: the backend reports the mode a claim would take without inserting (§4.6).
      let looked: ReturnType<typeof ledger.openRequest> | undefined;
      const lookup = () =>
        (looked ??= ledger.openRequest(requestKey, {
          fingerprint,
          request: ctx.input.request,
          templateRef: ctx.input.templateRef,
          templateVersion: ctx.input.templateVersion,
          kind: ctx.input.kind ?? 'service',
          taskId: task.taskId,
          createdBy: task.userRef,
          dryRun: true,
        }));
      /**
       * A delete resumed after its entity left the catalog (its first attempt unregistered it,
       * then did not close): there is nothing to gate, and goldenpath:lifecycle confirms it
       * from the ledger (or refuses when this request did not delete it). A fresh request for
       * an entity the catalog does not know still fails on the gates.
       */
      const resumesGoneEntity = async (entityRef: string) => {
        if (!options.catalog || !options.auth) return false;
        const entity = await options.catalog.getEntityByRef(entityRef, {
          credentials: await options.auth.getOwnServiceCredentials(),
        });
        if (entity) return false;
        const mode = await lookup();
        return !isRefusal(mode) && mode.mode === 'resume';
      };
      /**
       * The digest of the approval this request already holds, when it resumes a database delete
       * that has nothing left to destroy (its first attempt dropped the database, then failed to
       * unregister the Resource; or the database went otherwise after the approval). The no-op
       * re-plan has a digest of its own; bound to that, the approve step would supersede the
       * request's approval and ask for a second one, for what remains of the plan the first was
       * given for (the unregistration). The ledger row's `planDigest` is the digest of the
       * request's latest approval left pending or approved; the approve step still asks the
       * ledger whether it is approved. A new request (another key) holds none and asks anew.
       */
      const heldApprovalDigest = async (d: DatabaseDestroyPlan) => {
        if (!d.noOp) return undefined;
        const mode = await lookup();
        if (isRefusal(mode) || mode.mode !== 'resume') return undefined;
        const held = (await ledger.getRequest(requestKey))?.planDigest;
        return held && held !== d.plan.planDigest ? held : undefined;
      };
      if ((ctx.input.kind ?? 'service') === 'lifecycle') {
        // Gates dry-evaluated now (§3.5); the transition's approval triggers come from them.
        const request = ctx.input.request as {
          entity: string;
          transition: Transition;
          replacement?: string;
          sunsetOn?: string;
          reason?: string;
        };
        // Asked on the initiator's behalf: the gate lines below go to the task log, so they name
        // only the dependents the initiator may read.
        const gates = await ledger
          .lifecycleGates(
            {
              entityRef: request.entity,
              to: request.transition,
              replacement: request.replacement,
              sunsetOn: request.sunsetOn,
              reason: request.reason,
            },
            await gatesCaller(ctx),
          )
          .catch(async e => {
            if (
              request.transition !== 'delete' ||
              !(await resumesGoneEntity(request.entity))
            )
              throw e;
            ctx.logger.info(
              `${request.entity} is not in the catalog any more; ${requestKey} resumes, so goldenpath:lifecycle confirms the delete from the ledger`,
            );
            return undefined;
          });
        for (const g of gates?.gates ?? []) {
          ctx.logger.info(`${g.status.toUpperCase()} ${g.gate}: ${g.message}`);
        }
        triggers = [
          ...triggers,
          ...(gates?.evaluation.approvalTriggers ?? []).filter(
            t => !triggers.some(x => x.id === t.id),
          ),
        ] as ApprovalTrigger[];
        if (request.transition === 'delete') {
          try {
            destroy = await databaseDestroyOf(request.entity);
          } catch (e) {
            await auditStep(
              auditor,
              task,
              'low',
              {
                action: PREVIEW_ACTION_ID,
                stepId: ctx.step?.id ?? 'preview',
                requestKey,
                fingerprint,
                decision: 'deny',
                targets: [request.entity],
                result: 'failed',
                errorCode: ruleIdOf(e),
              },
              started,
            );
            throw e;
          }
          if (destroy) triggers = mergeTriggers(triggers, destroy.triggers);
        }
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
      // A database delete: the approval shows the destroy plan and binds to its digest — or, on
      // a resume with nothing left to destroy, to the digest of the approval the request holds.
      const held = destroy ? await heldApprovalDigest(destroy) : undefined;
      const { plan, planDigest } = destroy
        ? {
            plan: databaseDeleteApprovalPlan(destroy, triggers, gp, built.plan),
            planDigest: held ?? destroy.plan.planDigest,
          }
        : built;
      const markdown = destroy
        ? [
            databaseDestroyMarkdown(destroy, triggers, gp),
            ...(held
              ? [
                  `Nothing is left to destroy; ${requestKey} resumes under the approval it holds (digest ${held}), which covers the unregistration that remains.`,
                ]
              : []),
          ].join('\n')
        : planMarkdown(plan, planDigest, gp);
      ctx.logger.info(markdown);

      const found = await lookup();
      let idempotency: 'new' | 'replay' | 'resume' | 'conflict' = 'new';
      if (isRefusal(found)) {
        idempotency = 'conflict';
        ctx.logger.warn(found.message);
      } else if (found.mode === 'replay') idempotency = 'replay';
      else if (found.mode === 'resume') idempotency = 'resume';

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
      // The plan's effects are the request's (plan.effects); the preview itself has none.
      outputStepEffects(ctx, task, []);
    },
  });
  // An error the handler did not expect still leaves this invocation's record (§4.5).
  return withInvocationAudit(templateAction, {
    auditor,
    config,
    defaultStepId: 'preview',
    severity: 'low',
  });
}
