import type { AuditorService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  buildDescriptor,
  gpMessages,
  type DescriptorInput,
  type DescriptorPublishTarget,
} from '@internal/plugin-golden-paths-common';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import {
  readGenerationSettings,
  readPublishSettings,
  type PublishSettings,
} from '../../config/readConfig';
import { auditStep } from '../shared/audit';
import type { GoldenPathsService } from '@internal/plugin-golden-paths-node';
import { assertActionEnabled } from '../shared/killSwitch';
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
} from '../shared/stepOutputs';
import { assertValidEntity } from './validateEntity';
import { workspaceChildPath } from '../shared/workspaceChildPath';
import { assertDateTime, assertValidatedRequest } from '../shared/inputChecks';
import { withInvocationAudit } from '../shared/invocationAudit';

export const DESCRIPTOR_ACTION_ID = 'goldenpath:descriptor';

/** Where descriptor links point, per publish mode (§2.1: local mode has no web URL). */
export function publishTarget(
  publish: PublishSettings,
  mode: string,
  name: string,
  repoUrl: string | undefined,
): DescriptorPublishTarget {
  if (mode === 'github' && publish.githubOrg) {
    const slug = `${publish.githubOrg}/${name}`;
    return {
      mode: 'github',
      browseBase: `https://github.com/${slug}/blob/${publish.defaultBranch}`,
      sourceLocation: `url:https://github.com/${slug}/tree/${publish.defaultBranch}/`,
      projectSlug: slug,
    };
  }
  if (mode === 'gitlab' && publish.gitlabGroup) {
    const slug = `${publish.gitlabGroup}/${name}`;
    return {
      mode: 'gitlab',
      browseBase: `https://gitlab.com/${slug}/-/blob/${publish.defaultBranch}`,
      sourceLocation: `url:https://gitlab.com/${slug}/-/tree/${publish.defaultBranch}/`,
    };
  }
  return {
    mode: 'local',
    browseBase: `file://${path.resolve(repoUrl ?? publish.localRoot)}`,
  };
}

/**
 * `goldenpath:descriptor` (golden-paths.md §2.1, §2.2, §4.9): writes `catalog-info.yaml` and
 * `.goldenpath.yaml` into the workspace from the normalized request. A skeleton that ships its own
 * `catalog-info.yaml` is an authoring error (GP-V03). Entities are checked with the catalog
 * model's validators before anything is published. Dry run writes the same files.
 */
export function createGoldenPathDescriptorAction(options: {
  config: Config;
  auditor?: AuditorService;
  /** The ledger, so a kill-switch stop releases the request (see `assertActionEnabled`). */
  ledger?: GoldenPathsService;
}) {
  const { config, auditor } = options;
  const templateAction = createTemplateAction({
    id: DESCRIPTOR_ACTION_ID,
    description:
      'Writes the golden-path catalog descriptor (catalog-info.yaml with owner, system, lifecycle, tier, on-call and provenance) and .goldenpath.yaml into the workspace.',
    examples: [
      {
        description: 'Write the descriptor of a validated service request',
        example: `steps:
  - id: descriptor
    action: goldenpath:descriptor
    input:
      request: \${{ steps.validate.output.request }}
      requestKey: \${{ steps.validate.output.requestKey }}
      fingerprint: \${{ steps.validate.output.fingerprint }}
      templateRef: \${{ steps.validate.output.templateRef }}
      templateVersion: \${{ steps.validate.output.templateVersion }}
      createdAt: \${{ steps.open.output.createdAt }}
      names: \${{ steps.validate.output.names }}
      publishMode: \${{ steps.validate.output.publishMode }}
      ownerRotation: \${{ steps.validate.output.ownerRotation }}
`,
      },
    ],
    supportsDryRun: true,
    schema: {
      input: {
        request: z => z.record(z.string(), z.unknown()),
        requestKey: requestKeyInput,
        fingerprint: fingerprintInput,
        templateRef: z => z.string(),
        templateVersion: z => z.string(),
        createdAt: z =>
          z.string().describe('The request creation time (ledger).'),
        createdBy: z =>
          z
            .string()
            .optional()
            .describe(
              "Who opened the request (ledger:open's createdBy); default the task's user.",
            ),
        names: namesInput,
        publishMode: publishModeInput,
        targetPath: z => z.string().optional(),
        ownerRotation: z =>
          z
            .string()
            .optional()
            .describe(
              "validate's ownerRotation: a requested rotation equal to the owner group's own is not written (§2.1).",
            ),
      },
      output: {
        wouldBeRefusedBy: wouldBeRefusedByOutput,
        entityRefs: z => z.array(z.string()),
        path: z => z.string(),
        sha256: z => z.string(),
        dryRun: dryRunOutput,
        effects: effectsOutput,
      },
    },
    async handler(ctx) {
      const started = Date.now();
      const task = taskInfoOf(ctx);
      const { requestKey } = ctx.input;
      const stepId = ctx.step?.id ?? 'descriptor';
      await assertActionEnabled({
        config,
        actionId: DESCRIPTOR_ACTION_ID,
        stepId,
        requestKey,
        task,
        startedAt: started,
        auditor,
        release: options.ledger,
        report: ctx,
      });
      const request = ctx.input
        .request as unknown as DescriptorInput['request'];
      if (request.kind !== 'service' && request.kind !== 'worker') {
        throw new InputError(
          `goldenpath:descriptor writes service and worker descriptors; got a ${String(
            (request as { kind?: unknown }).kind,
          )} request`,
        );
      }
      assertValidatedRequest(
        ctx.input.templateRef,
        request,
        ctx.input.fingerprint,
      );
      const dir = workspaceChildPath(
        ctx.workspacePath,
        ctx.input.targetPath,
        'targetPath',
      );
      const target = path.join(dir, 'catalog-info.yaml');
      if (ctx.input.createdAt) assertDateTime('createdAt', ctx.input.createdAt);
      // A descriptor this request wrote in an earlier attempt (its marker names the request) is
      // rewritten on a retry; any other one came with the template (GP-V03).
      if (
        (await fs.stat(target).catch(() => undefined)) &&
        (await markerRequestKey(dir)) !== requestKey
      ) {
        const template = ctx.input.templateRef.slice(
          ctx.input.templateRef.lastIndexOf('/') + 1,
        );
        throw new InputError(gpMessages.v03({ template }));
      }
      const generation = readGenerationSettings(config);
      const descriptor = buildDescriptor({
        request,
        requestKey,
        fingerprint: ctx.input.fingerprint,
        templateRef: ctx.input.templateRef,
        templateVersion: ctx.input.templateVersion,
        createdAt: ctx.input.createdAt,
        // The requester as the ledger has it: a teammate rerunning the same request must not
        // change .goldenpath.yaml (its tree would then differ from the one published: GP-I05).
        createdBy: ctx.input.createdBy ?? task.userRef,
        ...(ctx.input.ownerRotation
          ? { ownerRotation: ctx.input.ownerRotation }
          : {}),
        publish: publishTarget(
          readPublishSettings(config),
          ctx.input.publishMode,
          request.name,
          ctx.input.names.repoUrl,
        ),
        ...(generation.dashboardUrlTemplate
          ? {
              dashboardUrl: generation.dashboardUrlTemplate.replace(
                '{name}',
                request.name,
              ),
            }
          : {}),
      });
      for (const entity of descriptor.entities) {
        try {
          await assertValidEntity(entity as unknown as Entity);
        } catch (e) {
          throw new InputError(
            `The descriptor of ${entity.kind} ${
              entity.metadata.name
            } is not a valid catalog entity: ${(e as Error).message}`,
          );
        }
      }
      const catalogInfo = `${descriptor.entities
        .map(e => stringify(e, { lineWidth: 0 }))
        .join('---\n')}`;
      const marker = `# Platform-owned; do not edit by hand (golden-paths.md §2.2).\n${stringify(
        descriptor.goldenPath,
      )}`;
      await fs.mkdir(dir, { recursive: true });
      await fs.writeFile(target, catalogInfo, 'utf8');
      await fs.writeFile(path.join(dir, '.goldenpath.yaml'), marker, 'utf8');
      const sha256 = createHash('sha256').update(catalogInfo).digest('hex');
      // Written in a dry run too: the workspace's files are the dry run's contents (§4.9).
      const effects = ['catalog-info.yaml', '.goldenpath.yaml'].map(name => ({
        type: 'workspace.write',
        target: path.relative(ctx.workspacePath, path.join(dir, name)),
        result: 'done' as const,
      }));
      await auditStep(
        auditor,
        task,
        'medium',
        {
          action: DESCRIPTOR_ACTION_ID,
          stepId,
          requestKey,
          fingerprint: ctx.input.fingerprint,
          targets: descriptor.entityRefs,
          effects,
          result: 'succeeded',
        },
        started,
      );
      ctx.output('entityRefs', descriptor.entityRefs);
      ctx.output('path', path.relative(ctx.workspacePath, target));
      ctx.output('sha256', `sha256:${sha256}`);
      outputStepEffects(ctx, task, effects);
    },
  });
  // An error the handler did not expect still leaves this invocation's record (§4.5).
  return withInvocationAudit(templateAction, {
    auditor,
    config,
    defaultStepId: 'descriptor',
    severity: 'medium',
  });
}

/** The request key of the `.goldenpath.yaml` marker in `dir`, if one is there and readable. */
async function markerRequestKey(dir: string): Promise<string | undefined> {
  const text = await fs
    .readFile(path.join(dir, '.goldenpath.yaml'), 'utf8')
    .catch(() => undefined);
  try {
    const marker = text ? parseYaml(text) : undefined;
    return typeof marker?.requestKey === 'string'
      ? marker.requestKey
      : undefined;
  } catch {
    return undefined;
  }
}
