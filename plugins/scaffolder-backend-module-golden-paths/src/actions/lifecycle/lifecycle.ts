import type {
  AuditorService,
  AuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { InputError, NotAllowedError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  goldenPathsLifecycleTransitionPermission,
  isAllowedDecision,
  lifecycleOf,
  normalizeEntityRef,
} from '@internal/plugin-golden-paths-common';
import type { GoldenPathsService } from '@internal/plugin-golden-paths-node';
import { readPublishSettings } from '../../config/readConfig';
import {
  commitDescriptorChange,
  retireRepository,
  setReadOnly,
} from '../../git/lifecycleCommit';
import { auditStep } from '../shared/audit';
import { runClaimedStep, stepFingerprint } from '../shared/claimedStep';
import { assertActionEnabled } from '../shared/killSwitch';
import { fingerprintInput, requestKeyInput } from '../shared/schemas';
import { taskInfoOf } from '../shared/taskInfo';
import { annotationChange } from './descriptorChange';

export const LIFECYCLE_ACTION_ID = 'goldenpath:lifecycle';

const LOCAL_LOCATION = 'golden-paths-local:';

type LifecycleOutput = {
  from: string;
  to: string;
  commitSha: string;
  effects: string[];
};

/**
 * `goldenpath:lifecycle` (golden-paths.md §4.9, §7): one transition of a golden-path entity.
 * The gates are evaluated again now (state may have changed since the preview); any failed or
 * unknown gate refuses with the GP-L texts. In local publish mode the descriptor change is one
 * commit to the entity's bare repository, archive makes the repository read-only, delete moves
 * it out of the provider's root (the entity is unregistered; the repository is kept). The step
 * is claimed in the ledger and runs inside `ctx.checkpoint`; it then waits until the catalog
 * shows the new state. Dry run: gates only.
 *
 * Before anything else the initiator needs `goldenpaths.lifecycle.transition` on the entity
 * (§6.4). The check is here, not in the backend: every call this action makes (gates, ledger,
 * catalog) carries the scaffolder's own service credentials, so the backend never sees the user.
 */
export function createGoldenPathLifecycleAction(options: {
  config: Config;
  ledger: GoldenPathsService;
  catalog: CatalogService;
  auth: AuthService;
  permissions: PermissionsService;
  auditor?: AuditorService;
  pollMs?: number;
  waitSeconds?: number;
}) {
  const { config, ledger, catalog, auth, permissions, auditor } = options;
  const pollMs = options.pollMs ?? 500;
  return createTemplateAction({
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
      },
      output: {
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
      },
    },
    async handler(ctx) {
      const started = Date.now();
      const task = taskInfoOf(ctx);
      const { requestKey, entityRef, transition } = ctx.input;
      const stepId = ctx.step?.id ?? 'lifecycle';
      assertActionEnabled(config, LIFECYCLE_ACTION_ID, stepId, requestKey);
      const severity = transition === 'delete' ? 'critical' : 'high';

      // Fail closed, replays and dry runs included: who may not move the entity learns nothing
      // more and changes nothing.
      const initiator = await ctx.getInitiatorCredentials();
      const resourceRef = normalizeEntityRef(entityRef) ?? entityRef;
      const [permission] = await permissions.authorize(
        [{ permission: goldenPathsLifecycleTransitionPermission, resourceRef }],
        { credentials: initiator },
      );
      if (!isAllowedDecision(permission)) {
        await auditStep(
          auditor,
          task,
          severity,
          {
            action: LIFECYCLE_ACTION_ID,
            stepId,
            requestKey,
            targets: [entityRef],
            decision: 'deny',
            result: 'failed',
          },
          started,
        );
        const who =
          (initiator.principal as { userEntityRef?: string }).userEntityRef ??
          task.userRef;
        throw new NotAllowedError(
          `${goldenPathsLifecycleTransitionPermission.name} is not allowed for ${who} on ${resourceRef}; nothing was changed.`,
        );
      }

      if (ctx.input.mode === 'replay') {
        ctx.logger.info(
          `${requestKey}: replay; the transition already happened`,
        );
        await auditStep(
          auditor,
          task,
          severity,
          {
            action: LIFECYCLE_ACTION_ID,
            stepId,
            requestKey,
            targets: [entityRef],
            result: 'replayed',
          },
          started,
        );
        ctx.output('from', '');
        ctx.output('to', '');
        ctx.output('gates', []);
        ctx.output('replayed', true);
        return;
      }

      const answer = await ledger.lifecycleGates({
        entityRef,
        to: transition,
        replacement: ctx.input.replacement,
        sunsetOn: ctx.input.sunsetOn,
        reason: ctx.input.reason,
      });
      const gates = answer.gates.map(g => ({
        gate: g.gate,
        status: g.status,
        message: g.message,
      }));
      for (const g of answer.gates) {
        ctx.logger.info(`${g.status.toUpperCase()} ${g.gate}: ${g.message}`);
      }
      ctx.output('gates', gates);
      ctx.output('from', answer.from);
      ctx.output('to', answer.to ?? '');
      const refusals = [
        ...answer.evaluation.errors
          .filter(e => e.message && !answer.gates.some(g => g.ruleId === e.id))
          .map(e => e.message!),
        ...answer.gates.filter(g => g.status === 'fail').map(g => g.message),
        ...answer.gates
          .filter(g => g.status === 'unknown')
          .map(g => `${g.gate} could not be evaluated: ${g.message}`),
      ];
      if (
        answer.decision === 'deny' ||
        answer.decision === 'unknown' ||
        refusals.length
      ) {
        await auditStep(
          auditor,
          task,
          severity,
          {
            action: LIFECYCLE_ACTION_ID,
            stepId,
            requestKey,
            targets: [entityRef],
            decision: 'deny',
            result: 'failed',
            errorCode:
              answer.gates.find(g => g.status === 'fail')?.ruleId ??
              answer.evaluation.errors[0]?.id,
          },
          started,
        );
        throw new InputError(
          refusals.join('\n') ||
            `${transition} of ${entityRef} is not allowed now`,
        );
      }
      if (task.dryRun) {
        ctx.logger.info(
          `would ${transition} ${entityRef}: ${answer.from} → ${answer.to}`,
        );
        await auditStep(
          auditor,
          task,
          'low',
          {
            action: LIFECYCLE_ACTION_ID,
            stepId,
            requestKey,
            targets: [entityRef],
            decision: 'allow',
            effects: [
              {
                type:
                  transition === 'delete'
                    ? 'catalog.unregister'
                    : 'lifecycle.set',
                target: entityRef,
                result: 'would',
              },
            ],
            result: 'skipped',
          },
          started,
        );
        ctx.output('replayed', false);
        return;
      }

      const credentials = await auth.getOwnServiceCredentials();
      const entity = await catalog.getEntityByRef(entityRef, { credentials });
      if (!entity) throw new InputError(`${entityRef} is not in the catalog`);
      const location =
        entity.metadata.annotations?.['backstage.io/managed-by-location'] ?? '';
      if (!location.startsWith(LOCAL_LOCATION)) {
        throw new InputError(
          `${entityRef} is not in a locally published repository (${location}); lifecycle changes of GitHub repositories open a pull request, which this installation does not do yet`,
        );
      }
      const remote = location.slice(LOCAL_LOCATION.length);
      const publish = readPublishSettings(config);
      const to = answer.to ?? 'deleted';
      const nowIso = new Date().toISOString();

      const result = await runClaimedStep<LifecycleOutput>({
        ledger,
        checkpoint: ctx.checkpoint as any,
        requestKey,
        stepId,
        fingerprint: stepFingerprint(
          ctx.input.fingerprint,
          entityRef,
          transition,
        ),
        taskId: task.taskId,
        action: LIFECYCLE_ACTION_ID,
        effect: async () => {
          const effects: string[] = [];
          if (transition === 'delete') {
            const kept = await retireRepository(remote);
            effects.push(
              `repository moved out of the catalog's reach to ${kept}`,
            );
            return {
              output: { from: answer.from, to, commitSha: '', effects },
              effectRef: kept,
            };
          }
          if (transition === 'unarchive') {
            await setReadOnly(remote, false);
            effects.push('repository writable again');
          }
          const change = annotationChange({
            transition,
            replacement: ctx.input.replacement,
            sunsetOn: ctx.input.sunsetOn,
            reason: ctx.input.reason,
            today: nowIso.slice(0, 10),
          });
          const commit = await commitDescriptorChange({
            remote,
            branch: publish.defaultBranch,
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
            identity: {
              ...publish.author,
              date: nowIso,
              message: `${transition}: ${answer.from} → ${to} (request ${requestKey})\n\n${ctx.input.reason}`,
            },
          });
          effects.push(
            `descriptor commit ${commit.commitSha}${
              commit.changed ? '' : ' (already there)'
            }`,
          );
          if (transition === 'archive') {
            await setReadOnly(remote, true);
            effects.push('repository read-only (pre-receive hook)');
          }
          return {
            output: {
              from: answer.from,
              to,
              commitSha: commit.commitSha,
              effects,
            },
            effectRef: `${remote}@${commit.commitSha}`,
          };
        },
      });

      // The request stays running until the catalog shows the new state (§4.9).
      const deadline = Date.now() + (options.waitSeconds ?? 30) * 1000;
      for (;;) {
        const now = await catalog.getEntityByRef(entityRef, { credentials });
        const done =
          transition === 'delete' ? !now : now && lifecycleOf(now) === to;
        if (done) break;
        if (Date.now() + pollMs > deadline) {
          throw new InputError(
            `The change is committed (${
              result.output.commitSha || 'repository retired'
            }) but the catalog does not show ${entityRef} as ${to} yet; run again with the same key to confirm.`,
          );
        }
        await new Promise(r => setTimeout(r, pollMs));
      }
      for (const e of result.output.effects) ctx.logger.info(e);
      await auditStep(
        auditor,
        task,
        severity,
        {
          action: LIFECYCLE_ACTION_ID,
          stepId,
          requestKey,
          targets: [entityRef, remote],
          decision: 'allow',
          effects: [
            {
              type:
                transition === 'delete'
                  ? 'catalog.unregister'
                  : 'lifecycle.set',
              target: entityRef,
              result: result.replayed ? 'replayed' : 'done',
            },
          ],
          result: result.replayed ? 'replayed' : 'succeeded',
        },
        started,
      );
      if (result.output.commitSha)
        ctx.output('commitSha', result.output.commitSha);
      ctx.output('replayed', result.replayed);
    },
  });
}
