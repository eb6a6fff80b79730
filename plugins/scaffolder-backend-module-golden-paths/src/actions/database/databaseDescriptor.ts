import type {
  AuditorService,
  AuthService,
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
  type NormalizedRequest,
} from '@internal/plugin-golden-paths-common';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import {
  readGoldenPathsConfig,
  readPublishSettings,
} from '../../config/readConfig';
import { assertValidEntity } from '../descriptor/validateEntity';
import { auditStep } from '../shared/audit';
import type { GoldenPathsService } from '@internal/plugin-golden-paths-node';
import { assertActionEnabled } from '../shared/killSwitch';
import {
  fingerprintInput,
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
import {
  HOSTING,
  buildResourceDescriptor,
  resourceNameOf,
} from './buildResourceDescriptor';
import { componentFacts } from './componentFacts';
import { databaseDescriptorExamples } from './database.examples';
import { databaseRequestOf } from './databasePlan';
import { readInfraRepo } from './databaseSettings';
import { materializeHead, writeCatalogInfo } from './infraRepository';
import { workspaceChildPath } from '../shared/workspaceChildPath';
import { assertSecretReference } from './secretRef';
import { assertDateTime, assertValidatedRequest } from '../shared/inputChecks';
import { withInvocationAudit } from '../shared/invocationAudit';

export const DATABASE_DESCRIPTOR_ACTION_ID = 'goldenpath:database:descriptor';

/**
 * `goldenpath:database:descriptor` (golden-paths.md §3.3): writes the Resource of a database
 * request to `resources/<name>-<environment>.yaml` in the workspace, validated with the catalog
 * model. Local mode first copies the infrastructure repository's HEAD into the workspace and
 * regenerates its `catalog-info.yaml` (every Resource), so `goldenpath:publish:git` mode `update`
 * commits one more file and the local catalog provider finds the entity. A file of that name
 * carrying another request key is GP-N03. Deterministic: a dry run writes the same files.
 */
export function createGoldenPathDatabaseDescriptorAction(options: {
  config: Config;
  catalog: CatalogService;
  auth: AuthService;
  auditor?: AuditorService;
  /** The ledger, so a kill-switch stop releases the request (see `assertActionEnabled`). */
  ledger?: GoldenPathsService;
}) {
  const { config, catalog, auth, auditor } = options;
  const templateAction = createTemplateAction({
    id: DATABASE_DESCRIPTOR_ACTION_ID,
    description:
      'Writes the catalog Resource of a golden-path database (resources/<name>-<environment>.yaml) into the workspace; in local mode on top of the infrastructure repository, with its catalog-info.yaml regenerated.',
    examples: databaseDescriptorExamples,
    supportsDryRun: true,
    schema: {
      input: {
        request: z => z.record(z.string(), z.unknown()),
        requestKey: requestKeyInput,
        fingerprint: fingerprintInput,
        templateRef: z => z.string(),
        templateVersion: z => z.string(),
        createdAt: z =>
          z.string().optional().describe('The request creation time (ledger).'),
        publishMode: publishModeInput,
        secretRef: z =>
          z
            .string()
            .describe(
              'Reference to the credentials (apply output); never a value.',
            ),
        provisioner: z => z.string().optional(),
        targetPath: z => z.string().optional(),
      },
      output: {
        wouldBeRefusedBy: wouldBeRefusedByOutput,
        entityRef: z => z.string(),
        path: z => z.string(),
        sha256: z => z.string(),
        infraRepoUrl: z => z.string().optional(),
        baseCommit: z =>
          z
            .string()
            .optional()
            .describe(
              'Local mode: the infrastructure repository commit the workspace was copied from (empty when it had none); publish:git refuses to commit it on a newer HEAD.',
            ),
        resources: z => z.number(),
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
      const { requestKey } = ctx.input;
      const stepId = ctx.step?.id ?? 'descriptor';
      await assertActionEnabled({
        config,
        actionId: DATABASE_DESCRIPTOR_ACTION_ID,
        stepId,
        requestKey,
        task,
        startedAt: started,
        auditor,
        release: options.ledger,
        report: ctx,
      });
      const request = databaseRequestOf(ctx.input.request);
      // The Resource goes into the catalog: only the request validate checked may (GP-D rules).
      assertValidatedRequest(
        ctx.input.templateRef,
        ctx.input.request as unknown as NormalizedRequest,
        ctx.input.fingerprint,
      );
      assertSecretReference(ctx.input.secretRef);
      const provisioner = ctx.input.provisioner ?? 'local-postgres';
      // a typo would silently describe the database as another provider's (HOSTING's fallback)
      if (!(provisioner in HOSTING)) {
        throw new InputError(
          `provisioner must be one of ${Object.keys(HOSTING).join(
            ', ',
          )} (got ${JSON.stringify(provisioner)})`,
        );
      }
      if (ctx.input.createdAt) assertDateTime('createdAt', ctx.input.createdAt);
      const dir = workspaceChildPath(
        ctx.workspacePath,
        ctx.input.targetPath,
        'targetPath',
      );
      const resourceName = resourceNameOf(request);
      const entityRef = `resource:default/${resourceName}`;
      const component = await componentFacts(catalog, auth, request.component);
      const sku =
        readGoldenPathsConfig(config).database.sizes.find(
          s => s.id === request.size,
        )?.priceBookSku ?? `(size ${request.size})`;
      const entity = buildResourceDescriptor({
        request,
        requestKey,
        templateRef: ctx.input.templateRef,
        templateVersion: ctx.input.templateVersion,
        owner: component.owner,
        ...(component.system ? { system: component.system } : {}),
        ...(component.tier ? { componentTier: component.tier } : {}),
        secretRef: ctx.input.secretRef,
        priceBookSku: sku,
        provisioner,
        ...(ctx.input.createdAt ? { createdAt: ctx.input.createdAt } : {}),
      });
      try {
        await assertValidEntity(entity as unknown as Entity);
      } catch (e) {
        throw new InputError(
          `The descriptor of Resource ${resourceName} is not a valid catalog entity: ${
            (e as Error).message
          }`,
        );
      }

      const publish = readPublishSettings(config);
      let infraRepoUrl: string | undefined;
      let baseCommit: string | undefined;
      if (ctx.input.publishMode === 'local') {
        infraRepoUrl = path.join(
          path.resolve(publish.localRoot),
          `${readInfraRepo(config)}.git`,
        );
        baseCommit =
          (await materializeHead(infraRepoUrl, publish.defaultBranch, dir)) ??
          '';
      }
      const relative = path.join('resources', `${resourceName}.yaml`);
      const file = path.join(dir, relative);
      const existing = await fs.readFile(file, 'utf8').catch(() => undefined);
      if (existing !== undefined) {
        const other = parseYaml(existing) as Entity | undefined;
        const key = other?.metadata?.annotations?.[GP_KEYS.requestKey];
        if (key !== requestKey) {
          throw new InputError(
            gpMessages.n03({
              name: resourceName,
              ref: entityRef,
              owner: String(
                (other?.spec as { owner?: unknown })?.owner ?? 'unknown',
              ),
            }),
          );
        }
      }
      const text = `# Platform-owned; written by the postgres-database golden path (golden-paths.md §3.3).\n${stringify(
        entity,
        { lineWidth: 0 },
      )}`;
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, text, 'utf8');
      const resources =
        ctx.input.publishMode === 'local' ? await writeCatalogInfo(dir) : 1;
      const sha256 = createHash('sha256').update(text).digest('hex');
      ctx.logger.info(
        `Wrote ${relative}${
          infraRepoUrl
            ? ` on top of ${infraRepoUrl} (${resources} resources)`
            : ''
        }`,
      );
      // Written in a dry run too: the workspace's files are the dry run's contents (§4.9).
      const effects = [
        { type: 'workspace.write', target: relative, result: 'done' as const },
      ];
      await auditStep(
        auditor,
        task,
        'medium',
        {
          action: DATABASE_DESCRIPTOR_ACTION_ID,
          stepId,
          requestKey,
          targets: [entityRef],
          effects,
          result: 'succeeded',
        },
        started,
      );
      ctx.output('entityRef', entityRef);
      ctx.output('path', path.relative(ctx.workspacePath, file));
      ctx.output('sha256', `sha256:${sha256}`);
      if (infraRepoUrl) ctx.output('infraRepoUrl', infraRepoUrl);
      if (baseCommit !== undefined) ctx.output('baseCommit', baseCommit);
      ctx.output('resources', resources);
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
