import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  describeTrigger,
  gpMessages,
  type ApprovalTrigger,
  type NormalizedRequest,
} from '@internal/plugin-golden-paths-common';
import type { ApprovalStateView } from '@internal/plugin-golden-paths-node';
import { readGoldenPathsConfig } from '../../config/readConfig';
import type {
  DatabaseApplyResult,
  DatabasePlan,
} from '../../provisioners/DatabaseProvisioner';
import { planRefusal } from '../../provisioners/planModel';
import { auditStep } from '../shared/audit';
import { runClaimedStep, stepFingerprint } from '../shared/claimedStep';
import { assertActionEnabled } from '../shared/killSwitch';
import { failRequest } from '../shared/failRequest';
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
  effectResult,
  type EffectResult,
} from '../shared/stepOutputs';
import { buildDatabaseApprovalPlan } from './buildApprovalPlan';
import { postChangeRecord } from './changeRecord';
import { resourceNameOf } from './buildResourceDescriptor';
import { databaseApplyExamples } from './database.examples';
import {
  databaseRequestOf,
  planDatabase,
  requireProvisioner,
  type DatabaseActionOptions,
} from './databasePlan';
import { ruleIdOf } from '../shared/ruleIdOf';
import { GrantedApproval, grantedApproval } from '../shared/ledgerApproval';
import { withInvocationAudit } from '../shared/invocationAudit';

export const DATABASE_APPLY_ACTION_ID = 'goldenpath:database:apply';

/**
 * One `infra` change of the change ledger (incident-brief §4; evidence `ChangeInput` of kind
 * `infra`), with its idempotency key `gp:<requestKey>:apply`.
 */
export interface DatabaseInfraChange {
  idempotencyKey: string;
  entityRef: string;
  kind: 'infra';
  environment: string;
  ref: string;
  version: string;
  summary: string;
  actor: { type: 'user'; id: string };
  source: { system: string; externalId: string };
  startedAt: string;
  finishedAt: string;
  status: 'succeeded';
  correlationId: string;
  attributes: {
    workspace: string;
    plan: { add: number; change: number; destroy: number; replace: number };
    affectedEntities: string[];
    /**
     * The database already existed for this request when the step ran (an earlier attempt
     * created it and died before posting this record); `plan` is then the plan the rerun was
     * given, not the one that created it.
     */
    converged?: boolean;
  };
}

/** Where apply posts its change record (the evidence service's `writeChanges` fits). */
export interface DatabaseChangeWriter {
  writeChanges(items: DatabaseInfraChange[]): Promise<unknown>;
}

/** Options of {@link createGoldenPathDatabaseApplyAction}. */
export interface DatabaseApplyActionOptions extends DatabaseActionOptions {
  /** Change ledger; without it the record is only logged. */
  changes?: DatabaseChangeWriter;
}

type ApplyOutput = {
  resourceRef: string;
  endpoint: string;
  secretRef: string;
  database: string;
  role: string;
  provisioner: string;
  provisionerRunId: string;
  appliedAt: string;
  converged: boolean;
};

/** The change ledger's names of the request environments (incident-brief §4: `prod` → `production`). */
export const LEDGER_ENVIRONMENT: Record<string, string> = {
  dev: 'dev',
  staging: 'staging',
  prod: 'production',
};

/**
 * `goldenpath:database:apply` (golden-paths.md §4.9, provisioning pair 2/2):
 * - refuses an expired plan (GP-P07);
 * - `find(requestKey)` first: a database this request already created is returned, not
 *   created again (a rerun after an ambiguous failure converges, 25);
 * - re-plans and compares digests: a changed plan that needs approval is GP-A03 and a new
 *   approval is requested (24: apply what was reviewed);
 * - a plan with triggers needs the approval of exactly this digest, checked with the ledger;
 * - applies as a claimed ledger step inside `ctx.checkpoint` with the request key as the
 *   provider-side idempotency key, and posts one `infra` change (`gp:<requestKey>:apply`).
 * Outputs are references only: never a password, in outputs, logs or audit.
 */
export function createGoldenPathDatabaseApplyAction(
  options: DatabaseApplyActionOptions,
) {
  const { config, ledger, catalog, auth, auditor } = options;
  const now = options.now ?? (() => new Date());
  const templateAction = createTemplateAction({
    id: DATABASE_APPLY_ACTION_ID,
    description:
      'Applies an approved golden-path database plan with the configured provisioner (re-planned and compared by digest first); idempotent per request key; returns references only, never credentials.',
    examples: databaseApplyExamples,
    supportsDryRun: true,
    schema: {
      input: {
        request: validatedRequestInput,
        requestKey: requestKeyInput,
        fingerprint: fingerprintInput,
        templateRef: validatedTemplateRefInput,
        planDigest: z =>
          z
            .string()
            .describe('The digest the approval was given for (plan step).'),
        plan: z =>
          z
            .record(z.string(), z.unknown())
            .optional()
            .describe(
              'The plan of goldenpath:database:plan (id and expiry, GP-P07).',
            ),
        approvalDecision: z =>
          z
            .enum(['not-required', 'approved', 'replayed', 'would-require'])
            .optional()
            .describe('decision of goldenpath:approve'),
        approvalId: z => z.string().optional(),
        mode: z => z.enum(['create', 'resume', 'replay']).optional(),
      },
      output: {
        wouldBeRefusedBy: wouldBeRefusedByOutput,
        resourceRef: z => z.string(),
        endpoint: z => z.string().describe('host:port; no credentials'),
        secretRef: z =>
          z.string().describe('Reference to the credentials, never a value'),
        database: z => z.string(),
        role: z => z.string(),
        provisioner: z => z.string(),
        provisionerRunId: z => z.string().optional(),
        replayed: z => z.boolean(),
        dryRun: dryRunOutput,
        effects: effectsOutput,
      },
    },
    async handler(ctx) {
      const started = Date.now();
      const task = taskInfoOf(ctx);
      const { requestKey, fingerprint } = ctx.input;
      const stepId = ctx.step?.id ?? 'apply';
      await assertActionEnabled({
        config,
        actionId: DATABASE_APPLY_ACTION_ID,
        stepId,
        requestKey,
        task,
        startedAt: started,
        auditor,
        release: ledger,
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
      const provisioner = requireProvisioner(options.provisioner);
      const resourceName = resourceNameOf(request);
      const resourceRef = `resource:default/${resourceName}`;
      const gp = readGoldenPathsConfig(config);

      let approval: GrantedApproval | undefined;
      const audit = (
        result: 'succeeded' | 'failed' | 'replayed' | 'skipped',
        extra: {
          planDigest?: string;
          effect?: string;
          errorCode?: string;
          target?: string;
        } = {},
      ) =>
        auditStep(
          auditor,
          task,
          'high',
          {
            action: DATABASE_APPLY_ACTION_ID,
            stepId,
            requestKey,
            fingerprint,
            planDigest: extra.planDigest ?? ctx.input.planDigest,
            ...(ctx.input.mode ? { mode: ctx.input.mode } : {}),
            decision: approval ? 'approved' : 'not-required',
            targets: [resourceRef],
            effects: extra.effect
              ? [
                  {
                    type: 'db.apply',
                    target: extra.target ?? resourceRef,
                    result: extra.effect,
                  },
                ]
              : [],
            result,
            ...(extra.errorCode ? { errorCode: extra.errorCode } : {}),
            extra: {
              executionIdentity: provisioner.executionIdentity,
              ...(approval ? { approval } : {}),
            },
          },
          started,
        );
      /**
       * Audits a refusal and throws it. In a real run the request is failed and this task's lease
       * ended first: the close step will not run, and the rerun once the cause is fixed (or the
       * approval given) would otherwise meet GP-I03 until the lease expires.
       */
      const refuse = async (
        message: string,
        planDigest?: string,
      ): Promise<never> => {
        const error = new InputError(message);
        await audit('failed', {
          planDigest,
          effect: 'skipped',
          errorCode: ruleIdOf(message),
        });
        if (!task.dryRun) {
          await failRequest(ledger, requestKey, task.taskId, error);
        }
        throw error;
      };

      // GP-P07: the plan the approval was given for must still be fresh.
      const given = ctx.input.plan as Partial<DatabasePlan> | undefined;
      // an expiry that is no date (NaN) counts as expired, not as none
      const expiresMs = given?.expiresAt ? Date.parse(given.expiresAt) : NaN;
      if (given?.expiresAt && !(expiresMs > now().getTime())) {
        await refuse(
          gpMessages.p07({
            planId: String(given.planId ?? '(unknown)'),
            expiredAt: given.expiresAt,
          }),
        );
      }

      /** The step's outputs; `applied` is the `db.apply` effect its audit record carries. */
      const output = (
        r: ApplyOutput | DatabaseApplyResult,
        replayed: boolean,
        applied: { target: string; result: EffectResult },
      ) => {
        ctx.output('resourceRef', r.resourceRef);
        ctx.output('endpoint', r.endpoint);
        ctx.output('secretRef', r.secretRef);
        ctx.output('database', r.database);
        ctx.output('role', r.role);
        ctx.output('provisioner', provisioner.id);
        if (r.provisionerRunId)
          ctx.output('provisionerRunId', r.provisionerRunId);
        ctx.output('replayed', replayed);
        outputStepEffects(ctx, task, [{ type: 'db.apply', ...applied }]);
      };

      // Reconcile before create (25): what this request created earlier is the answer.
      const found = await provisioner.find(requestKey);
      if (found && task.dryRun) {
        ctx.logger.info(
          `${found.resourceRef} already exists for ${requestKey}; would apply nothing`,
        );
        // A real run applies nothing either: it converges on what is there (`replayed`).
        const converged = effectResult(task, true);
        await audit('skipped', {
          effect: converged,
          target: found.resourceRef,
        });
        output(found, true, { target: found.resourceRef, result: converged });
        return;
      }

      let plan: DatabasePlan | undefined;
      let triggers: ApprovalTrigger[] = [];
      if (!found) {
        ({ plan, triggers } = await planDatabase({
          config,
          gp,
          provisioner,
          catalog,
          auth,
          request,
          requestKey,
          dryRun: task.dryRun,
        }));
        const refusal = planRefusal(plan);
        if (refusal) await refuse(refusal, plan.planDigest);

        if (plan.planDigest !== ctx.input.planDigest) {
          const approvalInvolved =
            triggers.length > 0 || ctx.input.approvalDecision === 'approved';
          if (task.dryRun) {
            ctx.logger.warn(
              `The plan changed since it was shown (${ctx.input.planDigest} → ${
                plan.planDigest
              }); a real run would ${
                approvalInvolved
                  ? 'stop with GP-A03 and request a new approval'
                  : 'apply the fresh plan'
              }.`,
            );
          } else if (approvalInvolved) {
            // 24: apply what was reviewed. The backend supersedes the old approval.
            const state = await ledger.openApproval(requestKey, {
              planDigest: plan.planDigest,
              triggers,
              // The new approval shows what the approve step would have shown (§6.3).
              plan: buildDatabaseApprovalPlan(
                plan,
                triggers,
                gp,
              ) as unknown as Record<string, unknown>,
              action: DATABASE_APPLY_ACTION_ID,
            });
            await refuse(
              (state.ruleId === 'GP-A03' || state.status === 'refused') &&
                state.message
                ? state.message
                : gpMessages.a03({
                    oldDigest: ctx.input.planDigest,
                    newDigest: plan.planDigest,
                    newId: state.approval?.id ?? '(none)',
                  }),
              plan.planDigest,
            );
          } else {
            ctx.logger.info(
              `The plan changed since it was shown and needs no approval; applying ${plan.planDigest}.`,
            );
          }
        }

        if (triggers.length && !task.dryRun) {
          // The approval of exactly this digest, from the ledger, not from the template's word.
          const state: ApprovalStateView = await ledger.openApproval(
            requestKey,
            {
              planDigest: plan.planDigest,
              triggers,
              plan: buildDatabaseApprovalPlan(
                plan,
                triggers,
                gp,
              ) as unknown as Record<string, unknown>,
              action: DATABASE_APPLY_ACTION_ID,
            },
          );
          if (state.status !== 'approved') {
            await refuse(
              [state.message, ...(state.errors ?? [])]
                .filter(Boolean)
                .join('\n') ||
                `Approval needed before anything is created: ${triggers
                  .map(describeTrigger)
                  .join('; ')}.`,
              plan.planDigest,
            );
          }
          const granted = grantedApproval(state);
          // The input's approvalId names the approval when the ledger's state does not.
          approval = { ...granted, id: granted.id ?? ctx.input.approvalId };
        }
      }

      if (task.dryRun) {
        const would = await provisioner.apply(plan!, {
          dryRun: true,
          requestKey,
        });
        ctx.logger.info(
          `would apply ${plan!.planDigest}: ${plan!.resources
            .map(r => `${r.address} ${r.action}`)
            .join(', ')}`,
        );
        // What the provisioner finds already applied, a real run only converges on: `replayed`.
        const applied = effectResult(task, would.replayed);
        await audit('skipped', {
          planDigest: plan!.planDigest,
          effect: applied,
        });
        output(would, would.replayed, { target: resourceRef, result: applied });
        return;
      }

      let result;
      try {
        result = await runClaimedStep<ApplyOutput>({
          ledger,
          checkpoint: ctx.checkpoint as any,
          requestKey,
          stepId,
          // The step is the database of this request, whatever plan revision applied it.
          fingerprint: stepFingerprint(fingerprint, resourceRef),
          taskId: task.taskId,
          action: DATABASE_APPLY_ACTION_ID,
          effect: async () => {
            const appliedAt = now().toISOString();
            const applied =
              found ??
              (await provisioner.find(requestKey)) ??
              (await provisioner.apply(plan!, { dryRun: false, requestKey }));
            const out: ApplyOutput = {
              resourceRef: applied.resourceRef,
              endpoint: applied.endpoint,
              secretRef: applied.secretRef,
              database: applied.database,
              role: applied.role,
              provisioner: provisioner.id,
              provisionerRunId: applied.provisionerRunId ?? '',
              appliedAt,
              converged: applied.replayed,
            };
            // The effect runs only while the step is not recorded done: an earlier attempt may
            // have created the database (find() converges) and died before posting the change,
            // so it is posted here either way; its idempotency key makes a repost harmless (V30).
            await postChange(out, plan ?? inputPlanOf(ctx.input.plan));
            return {
              output: out,
              effectRef: `${provisioner.id}:${applied.database}`,
            };
          },
        });
      } catch (e) {
        await audit('failed', {
          planDigest: plan?.planDigest,
          effect: 'failed',
          errorCode: ruleIdOf(e),
        });
        throw e;
      }
      const replayed = result.replayed || result.output.converged;
      ctx.logger.info(
        replayed
          ? `${result.output.resourceRef} already exists for ${requestKey}; nothing applied`
          : `Created ${result.output.database} (owner ${result.output.role}) on ${result.output.endpoint}; credentials at ${result.output.secretRef}`,
      );
      const created = {
        target: result.output.resourceRef,
        result: effectResult(task, replayed),
      };
      await audit(replayed ? 'replayed' : 'succeeded', {
        planDigest: plan?.planDigest,
        effect: created.result,
        target: created.target,
      });
      output(result.output, replayed, created);

      async function postChange(
        out: ApplyOutput,
        applied: Partial<DatabasePlan> | undefined,
      ) {
        const change: DatabaseInfraChange = {
          idempotencyKey: `gp:${requestKey}:apply`,
          entityRef: out.resourceRef,
          kind: 'infra',
          environment:
            LEDGER_ENVIRONMENT[request.environment] ?? request.environment,
          ref: `${provisioner.id}:${out.database}`,
          version: applied?.module?.version ?? 'unknown',
          summary:
            `Create PostgreSQL ${request.engineVersion} database ${out.database} for ${request.component}`.slice(
              0,
              200,
            ),
          actor: { type: 'user', id: task.userRef },
          source: { system: 'golden-paths', externalId: requestKey },
          startedAt: out.appliedAt,
          finishedAt: now().toISOString(),
          status: 'succeeded',
          correlationId: task.taskId,
          attributes: {
            workspace: resourceName,
            plan: applied?.changes ?? {
              add: 0,
              change: 0,
              destroy: 0,
              replace: 0,
            },
            // No `converged` flag here: the ledger's infra attributes are a strict schema
            // (evidence-common `infraAttrsSchema`), and a refused record would be lost.
            affectedEntities: [out.resourceRef, request.component],
          },
        };
        // The database exists; a lost change record is a gap in evidence, not a failed apply.
        await postChangeRecord(options.changes, change, ctx.logger);
      }
    },
  });
  // An error the handler did not expect still leaves this invocation's record (§4.5).
  return withInvocationAudit(templateAction, {
    auditor,
    config,
    defaultStepId: 'apply',
    severity: 'high',
  });
}

/** The plan apply was given (database:plan output), as far as the change record needs it. */
function inputPlanOf(plan: unknown): Partial<DatabasePlan> | undefined {
  if (!plan || typeof plan !== 'object') return undefined;
  const p = plan as Partial<DatabasePlan>;
  return {
    ...(typeof p.module?.version === 'string' ? { module: p.module } : {}),
    ...(p.changes && typeof p.changes.add === 'number'
      ? { changes: p.changes }
      : {}),
  };
}
