import type { AuditorService } from '@backstage/backend-plugin-api';
import fs from 'node:fs/promises';
import path from 'node:path';
import { enterTaskSignal } from '../../git/gitCli';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  classifyRequestTriggers,
  describeTrigger,
  gpMessages,
  type ApprovalTrigger,
  type GoldenPathPlan,
  type NormalizedRequest,
} from '@internal/plugin-golden-paths-common';
import type { GoldenPathsService } from '@internal/plugin-golden-paths-node';
import type { EvidenceService } from '@internal/plugin-evidence-node';
import { readRepoFilesFacts } from '../../git/repoFilesFact';
import { parse as parseYaml } from 'yaml';
import {
  readGoldenPathsConfig,
  readPublishSettings,
} from '../../config/readConfig';
import {
  discardStaged,
  createRepositoryWith,
  isRejectedPush,
  pushStaged,
  isUrlRemote,
  readRemoteHead,
  stageCommit,
  type StagedCommit,
} from '../../git/localRepository';
import { auditStep, StepAudit } from '../shared/audit';
import {
  ClaimedStepResult,
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
import { resolveRemote, withoutUserInfo } from './remotePolicy';
import { workspaceChildPath } from '../shared/workspaceChildPath';
import { ruleIdOf } from '../shared/ruleIdOf';
import {
  assertBranchName,
  assertDateTime,
  assertValidatedRequest,
} from '../shared/inputChecks';
import { failRequest } from '../shared/failRequest';
import {
  boundPlan,
  ledgerApproval,
  type GrantedApproval,
} from '../shared/ledgerApproval';
import { withInvocationAudit } from '../shared/invocationAudit';

export const PUBLISH_GIT_ACTION_ID = 'goldenpath:publish:git';

type PublishOutput = {
  remoteUrl: string;
  commitSha: string;
  treeSha: string;
  repoContentsUrl: string;
  created: boolean;
  files: number;
};

/**
 * `goldenpath:publish:git` (golden-paths.md §4.9): publishes the workspace as one reproducible
 * commit (author from config, date = the request's creation time) to a local bare repository
 * or an allowed remote.
 * - create, remote absent: init and push; remote present: its `.goldenpath.yaml` decides —
 *   same request and tree → replay, same request and another tree → GP-I05, anything else → GP-N04;
 * - update: a fast-forward commit on the branch unless HEAD already holds the tree (replay);
 *   with `baseCommit` (the commit the workspace was built from, database:descriptor) a HEAD that
 *   moved since is refused with GP-E01 and the re-run rebuilds the workspace; without it (callers
 *   whose workspace is not a copy of the repository) the commit goes on the HEAD read at publish;
 * - the push runs as a claimed ledger step inside `ctx.checkpoint`, so neither a task retry nor
 *   a rerun in a new task pushes twice;
 * - create: the request validate checked (its fingerprint matches) must hold the approval its
 *   triggers need before anything is pushed — recomputed here from the request and asked of the
 *   ledger for the digest of the preview's plan, never taken from the approve step's word (§6);
 * - dry run builds the same tree and reports it, pushing nothing.
 */
export function createGoldenPathPublishGitAction(options: {
  config: Config;
  ledger: GoldenPathsService;
  auditor?: AuditorService;
  /** Receives the repository-file evidence of local publishes (§2.3); optional. */
  evidence?: Pick<EvidenceService, 'writeFacts'>;
}) {
  const { config, ledger, auditor } = options;
  const templateAction = createTemplateAction({
    id: PUBLISH_GIT_ACTION_ID,
    description:
      'Publishes the workspace to a git remote (a local bare repository or an allowed remote) as one reproducible commit; idempotent per request key.',
    examples: [
      {
        description: 'Publish a new service repository in local mode',
        example: `steps:
  - id: publish-local
    action: goldenpath:publish:git
    input:
      remoteUrl: \${{ steps.validate.output.names.repoUrl }}
      requestKey: \${{ steps.validate.output.requestKey }}
      fingerprint: \${{ steps.validate.output.fingerprint }}
      request: \${{ steps.validate.output.request }}
      templateRef: \${{ steps.validate.output.templateRef }}
      plan: \${{ steps.preview.output.plan }}
      createdAt: \${{ steps.open.output.createdAt }}
      mode: create
`,
      },
    ],
    supportsDryRun: true,
    schema: {
      input: {
        remoteUrl: z => z.string(),
        requestKey: requestKeyInput,
        fingerprint: fingerprintInput,
        request: z =>
          z
            .record(z.string(), z.unknown())
            .optional()
            .describe(
              'Create mode: the normalized request from goldenpath:validate. Its approval triggers are recomputed from it, and the approval they need is checked with the ledger before anything is pushed.',
            ),
        templateRef: z =>
          z
            .string()
            .optional()
            .describe(
              'Create mode: the templateRef of goldenpath:validate; with request and fingerprint it proves the request is the one validate checked.',
            ),
        plan: z =>
          z
            .record(z.string(), z.unknown())
            .optional()
            .describe(
              "Create mode: goldenpath:preview's plan, whose digest (with the request's own triggers) the approval must have been given for.",
            ),
        createdAt: z =>
          z.string().describe('Commit date: the request creation time.'),
        mode: z => z.enum(['create', 'update']).optional(),
        defaultBranch: z => z.string().optional(),
        commitMessage: z => z.string().optional(),
        sourcePath: z => z.string().optional(),
        baseCommit: z =>
          z
            .string()
            .optional()
            .describe(
              'Update mode: the commit the workspace was built from (database:descriptor output; empty = the repository had no commit). A HEAD that moved since is refused with GP-E01 rather than re-parented. Without it, update commits on top of the HEAD read at publish time.',
            ),
        contentDigest: z =>
          z
            .string()
            .optional()
            .describe(
              "Update mode: the digest of what this request writes into the shared repository (database:descriptor's sha256). The step is fingerprinted by it instead of the whole tree, so a resumed run on a repository others committed to meanwhile replays its done publish; other content of its own is GP-I05. Without it, the tree.",
            ),
      },
      output: {
        wouldBeRefusedBy: wouldBeRefusedByOutput,
        remoteUrl: z => z.string(),
        commitSha: z => z.string(),
        treeSha: z => z.string(),
        repoContentsUrl: z => z.string(),
        created: z => z.boolean(),
        replayed: z => z.boolean(),
        files: z => z.number(),
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
      const stepId = ctx.step?.id ?? 'publish';
      await assertActionEnabled({
        config,
        actionId: PUBLISH_GIT_ACTION_ID,
        stepId,
        requestKey,
        task,
        startedAt: started,
        auditor,
        release: ledger,
        report: ctx,
      });
      const publish = readPublishSettings(config);
      const remote = resolveRemote(ctx.input.remoteUrl, publish);
      // what messages, outputs, audit records and the ledger name: never `user:token@`; the raw
      // remote is only handed to git
      const shownRemote = withoutUserInfo(remote);
      /** This invocation's one audit record (§4.5), with what every record of it names. */
      const audit = (
        severity: 'low' | 'medium',
        record: Omit<
          StepAudit,
          'action' | 'stepId' | 'requestKey' | 'fingerprint' | 'targets'
        >,
      ) =>
        auditStep(
          auditor,
          task,
          severity,
          {
            action: PUBLISH_GIT_ACTION_ID,
            stepId,
            requestKey,
            fingerprint,
            targets: [shownRemote],
            ...record,
          },
          started,
        );
      /** Audits a refusal and, in a real run, fails the request and ends this task's lease. */
      const refuse = async (
        error: InputError,
        decision = 'deny',
        errorCode = ruleIdOf(error),
      ): Promise<never> => {
        // A dry run's record is low, as every dry run's (§4.5).
        await audit(task.dryRun ? 'low' : 'medium', {
          decision,
          result: 'failed',
          ...(errorCode ? { errorCode } : {}),
        });
        // The close step will not run: a rerun once it is fixed (or approved) resumes instead of
        // meeting this task's lease (GP-I03).
        if (!task.dryRun)
          await failRequest(ledger, requestKey, task.taskId, error);
        throw error;
      };
      const create = (ctx.input.mode ?? 'create') === 'create';
      // Checked on the inputs alone, before git runs: a template without them publishes nothing.
      let need: ApprovalNeed | undefined;
      if (create) {
        try {
          need = approvalNeedOf({ ...ctx.input, requestKey, fingerprint });
        } catch (e) {
          if (!(e instanceof InputError)) throw e;
          await refuse(e);
        }
      }
      const branch = ctx.input.defaultBranch ?? publish.defaultBranch;
      let source: string;
      try {
        assertBranchName('defaultBranch', branch);
        assertDateTime('createdAt', ctx.input.createdAt);
        source = workspaceChildPath(
          ctx.workspacePath,
          ctx.input.sourcePath,
          'sourcePath',
        );
      } catch (e) {
        if (e instanceof InputError) throw await refuse(e);
        throw e;
      }
      if (create) {
        const lost = await lostWorkspaceOf(source, requestKey);
        if (lost) throw await refuse(new InputError(lost));
      }
      const identity = {
        ...publish.author,
        date: ctx.input.createdAt,
        message:
          ctx.input.commitMessage ??
          `Create from golden path (request ${requestKey})`,
      };

      const head = await readRemoteHead(remote, branch);
      if (head.notARepository) {
        throw await refuse(
          new InputError(gpMessages.n04({ repo: shownRemote })),
        );
      }
      if (!head.exists && isUrlRemote(remote)) {
        throw await refuse(
          new InputError(
            `remoteUrl ${shownRemote} cannot be read; create the repository on its server first (goldenpath:publish:git pushes to existing remotes and creates only local ones)`,
          ),
        );
      }
      // Create: a repository that is there without a commit on the branch carries no marker of
      // this request either (§4.9: other or no key → GP-N04). Its content may be on another
      // branch (`master`), or a local one is empty but made by someone else (this action creates
      // local repositories itself, and removes one whose first push failed): pushing the branch
      // into it would publish into a repository this request did not create. Only a URL remote
      // with no refs at all is taken as made for it (such remotes must exist before publishing).
      if (
        create &&
        head.exists &&
        !head.commitSha &&
        (head.hasRefs || !isUrlRemote(remote))
      ) {
        throw await refuse(
          new InputError(gpMessages.n04({ repo: shownRemote })),
        );
      }
      const parent =
        ctx.input.mode === 'update' && head.commitSha
          ? { remote, branch, commit: head.commitSha }
          : undefined;
      let staged: StagedCommit | undefined;
      try {
        staged = await stageCommit(source, identity, parent);
        const contentsUrl = isUrlRemote(remote)
          ? shownRemote
          : `file://${remote}`;
        const base = {
          remoteUrl: shownRemote,
          treeSha: staged.treeSha,
          repoContentsUrl: contentsUrl,
          files: staged.files.length,
        };

        // What is already there decides before anything is written (§4.9).
        let replayOf: string | undefined;
        if (
          (ctx.input.mode ?? 'create') === 'create' &&
          head.exists &&
          head.commitSha
        ) {
          const marker = head.goldenPathYaml
            ? (parseYaml(head.goldenPathYaml) as { requestKey?: string })
            : undefined;
          if (marker?.requestKey !== requestKey) {
            throw await refuse(
              new InputError(gpMessages.n04({ repo: shownRemote })),
            );
          }
          if (head.treeSha !== staged.treeSha) {
            throw await refuse(
              new InputError(gpMessages.i05({ step: stepId, key: requestKey })),
            );
          }
          replayOf = head.commitSha;
        } else if (
          ctx.input.mode === 'update' &&
          head.treeSha === staged.treeSha
        ) {
          replayOf = head.commitSha;
        }
        // The workspace holds the files of `baseCommit` plus ours: committed on a newer HEAD it
        // would silently delete what others committed in between. The re-run rebuilds the
        // workspace from the new HEAD (§4.9).
        const baseCommit = ctx.input.baseCommit;
        if (
          ctx.input.mode === 'update' &&
          baseCommit !== undefined &&
          !replayOf &&
          (head.commitSha ?? '') !== baseCommit
        ) {
          throw await refuse(
            new InputError(gpMessages.e01({ remote: shownRemote })),
          );
        }

        // An update adds this request's files to what the repository holds (the workspace is
        // its HEAD plus ours): one that would delete files was not built from it. Above all a
        // task Backstage resumed (scaffolder.taskRecovery) runs its remaining steps in a fresh,
        // empty workspace, whose commit would wipe the shared repository.
        if (ctx.input.mode === 'update' && !replayOf && staged.deleted.length) {
          throw await refuse(
            new InputError(
              `goldenpath:publish:git would delete ${
                staged.deleted.length
              } file(s) of ${shownRemote} (${staged.deleted
                .slice(0, 3)
                .join(', ')}${
                staged.deleted.length > 3 ? ', …' : ''
              }); an update only adds this request's files to what is there, so the workspace was not built from it (a task resumed in a fresh workspace by scaffolder.taskRecovery loses the files its earlier steps wrote). Nothing was pushed; run the template again with the same request key to resume.`,
            ),
          );
        }

        // A new repository is created, an existing one (update mode) gets a commit.
        const effectType =
          (ctx.input.mode ?? 'create') === 'create'
            ? 'repo.create'
            : 'repo.commit';
        if (task.dryRun) {
          // A replay publishes nothing in a real run either (§4.9): `replayed`, not `would`.
          const wouldPublish = [
            {
              type: effectType,
              target: shownRemote,
              result: effectResult(task, Boolean(replayOf)),
            },
          ];
          const what = replayOf
            ? `would replay: ${shownRemote} already holds tree ${staged.treeSha}`
            : `would ${head.exists ? 'update' : 'create'} ${shownRemote} with ${
                staged.files.length
              } files, tree ${staged.treeSha}`;
          ctx.logger.info(what);
          if (need?.triggers.length && !replayOf) {
            ctx.logger.info(
              `a real run pushes only once approval of plan ${
                need.planDigest
              } is given: ${need.triggers.map(describeTrigger).join('; ')}`,
            );
          }
          await audit('low', {
            effects: wouldPublish,
            result: 'skipped',
          });
          ctx.output('remoteUrl', shownRemote);
          ctx.output('commitSha', replayOf ?? staged.commitSha);
          ctx.output('treeSha', staged.treeSha);
          ctx.output('repoContentsUrl', contentsUrl);
          ctx.output('created', false);
          ctx.output('replayed', Boolean(replayOf));
          ctx.output('files', staged.files.length);
          outputStepEffects(ctx, task, wouldPublish);
          return;
        }

        // §6: nothing that needs a human decision is created without it, whatever the template
        // wired before this step. A replay pushes nothing, so it needs none (its approval was
        // checked when it was created, and may have expired since).
        let approval: GrantedApproval | undefined;
        if (need?.triggers.length && !replayOf) {
          const answer = await ledgerApproval({
            ledger,
            config: readGoldenPathsConfig(config),
            requestKey,
            planDigest: need.planDigest,
            triggers: need.triggers,
            plan: need.plan as unknown as Record<string, unknown>,
            action: PUBLISH_GIT_ACTION_ID,
          });
          if (!answer.approved) {
            await refuse(answer.error, answer.decision, answer.ruleId);
          } else {
            approval = answer.approval;
            ctx.logger.info(
              `${requestKey}: approval ${approval.id ?? ''} of plan ${
                need.planDigest
              } is approved by ${
                approval.approvers.join(', ') || 'the ledger'
              }`,
            );
          }
        }

        const stagedCommit = staged;
        let result: ClaimedStepResult<PublishOutput>;
        try {
          result = await runClaimedStep<PublishOutput>({
            ledger,
            checkpoint: ctx.checkpoint as any,
            requestKey,
            stepId,
            // The tree is what this step publishes, so another tree is another publish (GP-I05).
            // In update mode the repository is shared (the infra repository): a resumed run
            // rebuilds on what others committed meanwhile, so its tree differs while the
            // request's own file may not; the digest of that file stands for it when given.
            fingerprint: stepFingerprint(
              fingerprint,
              remote,
              (!create && ctx.input.contentDigest) || stagedCommit.treeSha,
            ),
            taskId: task.taskId,
            action: PUBLISH_GIT_ACTION_ID,
            effect: async () => {
              if (replayOf) {
                return {
                  output: { ...base, commitSha: replayOf, created: false },
                  effectRef: `${shownRemote}@${replayOf}`,
                };
              }
              if (head.exists) {
                try {
                  await pushStaged(stagedCommit, remote, branch);
                } catch (e) {
                  // Someone pushed between our read of HEAD and this push: GP-E01 says to run
                  // again, which rebuilds the workspace on their commit (§4.9).
                  if (!create && isRejectedPush(e)) {
                    throw new InputError(
                      gpMessages.e01({ remote: shownRemote }),
                    );
                  }
                  throw e;
                }
              } else await createRepositoryWith(stagedCommit, remote, branch);
              return {
                output: {
                  ...base,
                  commitSha: stagedCommit.commitSha,
                  created: !head.exists,
                },
                effectRef: `${shownRemote}@${stagedCommit.commitSha}`,
              };
            },
          });
        } catch (e) {
          // The claim was refused or the push failed (runClaimedStep failed the request): this
          // invocation still leaves its one audit record (§4.5).
          const errorCode = ruleIdOf(e);
          await audit('medium', {
            result: 'failed',
            ...(errorCode ? { errorCode } : {}),
          });
          throw e;
        }
        const replayed = result.replayed || Boolean(replayOf);
        if (options.evidence && !remote.includes('://')) {
          await postRepoFilesEvidence(
            options.evidence,
            remote,
            result.output.commitSha,
            branch,
            requestKey,
            ctx.logger,
          );
        }
        ctx.logger.info(
          replayed
            ? `${shownRemote} already holds this request's commit ${result.output.commitSha}; nothing pushed`
            : `Pushed ${result.output.commitSha} (${result.output.files} files) to ${shownRemote}`,
        );
        const published = [
          {
            type: effectType,
            target: `${shownRemote}@${result.output.commitSha}`,
            result: effectResult(task, replayed),
          },
        ];
        await audit('medium', {
          ...(need ? { planDigest: need.planDigest } : {}),
          ...(approval ? { decision: 'approved' } : {}),
          effects: published,
          result: replayed ? 'replayed' : 'succeeded',
          ...(approval ? { extra: { approval } } : {}),
        });
        ctx.output('remoteUrl', shownRemote);
        ctx.output('commitSha', result.output.commitSha);
        ctx.output('treeSha', result.output.treeSha);
        ctx.output('repoContentsUrl', result.output.repoContentsUrl);
        ctx.output('created', !replayed && result.output.created);
        ctx.output('replayed', replayed);
        ctx.output('files', result.output.files);
        outputStepEffects(ctx, task, published);
      } finally {
        if (staged) await discardStaged(staged);
      }
    },
  });
  // An error the handler did not expect still leaves this invocation's record (§4.5).
  return withInvocationAudit(templateAction, {
    auditor,
    config,
    defaultStepId: 'publish',
    severity: 'medium',
  });
}

/** What a new repository needs approved (§6), and the plan digest the approval binds to. */
interface ApprovalNeed {
  triggers: ApprovalTrigger[];
  plan: GoldenPathPlan;
  planDigest: string;
}

/**
 * The approval a create-mode publish needs, from the request validate checked: its triggers
 * recomputed with golden-paths-common's `classifyRequestTriggers` (the ones validate computed),
 * bound to the preview's plan with those triggers. A create without the request, with one that
 * does not match its fingerprint, or for a kind that is not published as a new repository is
 * refused: otherwise the template alone would decide whether approval is needed.
 */
function approvalNeedOf(input: {
  requestKey: string;
  fingerprint: string;
  request?: Record<string, unknown>;
  templateRef?: string;
  plan?: Record<string, unknown>;
}): ApprovalNeed {
  const { request, templateRef, plan } = input;
  if (!request || !templateRef || !plan) {
    const missing = [
      ...(request ? [] : ['request']),
      ...(templateRef ? [] : ['templateRef']),
      ...(plan ? [] : ['plan']),
    ];
    throw new InputError(
      `goldenpath:publish:git in create mode needs ${missing.join(
        ', ',
      )} (goldenpath:validate's request and templateRef, goldenpath:preview's plan) to check the approval the request needs; pass them as the golden-path templates do. Nothing was pushed.`,
    );
  }
  const normalized = request as unknown as NormalizedRequest;
  assertValidatedRequest(templateRef, normalized, input.fingerprint);
  if (normalized.kind !== 'service' && normalized.kind !== 'worker') {
    throw new InputError(
      `goldenpath:publish:git creates repositories for service and worker requests only (got a ${String(
        normalized.kind,
      )} request); a database's Resource is committed to the infrastructure repository with mode update. Nothing was pushed.`,
    );
  }
  const triggers = classifyRequestTriggers(normalized);
  return {
    triggers,
    ...boundPlan(plan, {
      requestKey: input.requestKey,
      fingerprint: input.fingerprint,
      templateRef,
      approvalTriggers: triggers,
    }),
  };
}

/**
 * Local publish mode has no UrlReader for bare repositories, so the repository-file evidence is
 * posted here (golden-paths.md §2.3), idempotent per commit. Evidence is best effort: a failure is
 * logged and the checks that need it read as unknown, never as pass.
 */
async function postRepoFilesEvidence(
  evidence: Pick<EvidenceService, 'writeFacts'>,
  remote: string,
  commitSha: string,
  branch: string,
  requestKey: string,
  logger: { info(m: string): void; warn(m: string): void },
) {
  try {
    const facts = await readRepoFilesFacts(remote, commitSha, branch);
    if (!facts.length) return;
    const result = await evidence.writeFacts(
      facts.map(f => ({
        entityRef: f.entityRef,
        source: 'golden-paths',
        kind: 'repo.files',
        value: f.value,
        observedAt: f.value.commitAt,
        provenance: { url: `file://${remote}`, commitSha },
        idempotencyKey: `gp:${requestKey}:repo-files:${commitSha}:${f.entityRef}`,
      })),
    );
    logger.info(
      `Posted repository-file evidence for ${facts
        .map(f => f.entityRef)
        .join(', ')} (${result.summary.failed} refused)`,
    );
  } catch (e) {
    logger.warn(`Repository-file evidence not posted: ${(e as Error).message}`);
  }
}

/** Files `goldenpath:descriptor` writes; a service's repository holds its skeleton besides. */
const DESCRIPTOR_FILES = new Set(['catalog-info.yaml', '.goldenpath.yaml']);

/**
 * Why the workspace of a create-mode publish is not the one the template built, or undefined
 * when it is: it must hold this request's `.goldenpath.yaml` (written by `goldenpath:descriptor`)
 * and files besides the descriptor's (the skeleton). A task Backstage resumes
 * (`scaffolder.taskRecovery`) skips its finished steps and runs the rest in a fresh, empty
 * workspace: published as it is, the new repository would hold no code, or nothing at all.
 */
async function lostWorkspaceOf(
  source: string,
  requestKey: string,
): Promise<string | undefined> {
  const resumed =
    'the workspace has lost the files earlier steps wrote (a task resumed in a fresh workspace by scaffolder.taskRecovery). Nothing was pushed; run the template again with the same request key to resume.';
  const marker = await fs
    .readFile(path.join(source, '.goldenpath.yaml'), 'utf8')
    .then(text => parseYaml(text) as { requestKey?: unknown } | null)
    .catch(() => undefined);
  if (marker?.requestKey !== requestKey) {
    return `goldenpath:publish:git found no .goldenpath.yaml of request ${requestKey} in its workspace (goldenpath:descriptor writes it): ${resumed}`;
  }
  const entries = await fs.readdir(source);
  if (entries.every(name => DESCRIPTOR_FILES.has(name) || name === '.git')) {
    return `goldenpath:publish:git found only the catalog descriptor in its workspace, no skeleton: ${resumed}`;
  }
  return undefined;
}
