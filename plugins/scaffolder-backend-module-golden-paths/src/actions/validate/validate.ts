import type {
  AuditorService,
  AuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  CatalogView,
  checkTemplateParameters,
  deprecationFieldsRefusal,
  describeTrigger,
  evaluatePolicy,
  isValidRequestKey,
  killSwitchRequestKey,
  normalizeEntityRef,
  ownRotation,
  refusalText,
  switchRefusalOf,
  templateStepsOf,
  type KillSwitches,
  type LedgerRequestFact,
  type NormalizedRequest,
  type PolicyEvaluation,
  type PolicyFacts,
  type RequestKind,
  type RuleResult,
  type TemplateContext,
} from '@internal/plugin-golden-paths-common';
import {
  readGenerationSettings,
  readGoldenPathsConfig,
  readKillSwitches,
  readPublishSettings,
  type PublishSettings,
} from '../../config/readConfig';
import type {
  GoldenPathsService,
  LedgerRequest,
} from '@internal/plugin-golden-paths-node';
import path from 'node:path';
import { readDatabasePrices } from '../database/databaseSettings';
import { sharedDeleteRefusal } from '../lifecycle/sharedRepository';
import { ranThroughSwitchText } from '../shared/killSwitch';
import { lifecycleTransitionRefusal } from '../shared/lifecyclePermission';
import { wouldBeRefusedByOutput } from '../shared/schemas';
import {
  dryRunOutput,
  effectsOutput,
  outputStepEffects,
} from '../shared/stepOutputs';

import { withTimeout } from '../shared/withTimeout';
import { templateRefOf } from '../shared/templateRef';
import {
  FACT_TIMEOUT_MS,
  gatherFacts,
  GroupProjectionCache,
  readTemplate,
} from './gatherFacts';
import type { ProvisionerGap } from '../../provisioners/createDatabaseProvisioner';
import { publishSupportRefusal } from './publishSupport';
import { stepsRecordedUnderKey } from './stepsRecorded';

/** Days a development database lives when the request names no expiry (§3.3: today + 30 d). */
const DEV_DATABASE_DEFAULT_DAYS = 30;

/**
 * The §3.3 form default the JSON schema cannot express: a `dev` database request without
 * `expiresOn` expires 30 days from today. Applied before hashing, so the fingerprint records the
 * date; a rerun on a later day with no date is a different request (GP-I02 names expiresOn), and
 * API callers who want stable reruns pass the date.
 */
function withDatabaseDefaults(
  kind: RequestKind,
  raw: unknown,
  now: Date,
): unknown {
  if (kind !== 'database' || typeof raw !== 'object' || raw === null)
    return raw;
  const r = raw as Record<string, unknown>;
  const environment = r.environment ?? 'dev';
  if (
    environment !== 'dev' ||
    (r.expiresOn !== undefined && r.expiresOn !== '')
  ) {
    return raw;
  }
  const expires = new Date(
    now.getTime() + DEV_DATABASE_DEFAULT_DAYS * 86_400_000,
  );
  return { ...r, expiresOn: expires.toISOString().slice(0, 10) };
}
import { examples } from './validate.examples';
import { withInvocationAudit } from '../shared/invocationAudit';
import { actorOf, noteStepAudited } from '../shared/audit';
import { requesterOf, serviceOf } from '../shared/requester';

/** The action id (§4.1). */
export const VALIDATE_ACTION_ID = 'goldenpath:validate';

/** Template each request kind belongs to when the task does not say (API callers, tests). */
const DEFAULT_TEMPLATE: Record<RequestKind, string> = {
  service: 'service-node-http',
  worker: 'worker-node',
  database: 'postgres-database',
  lifecycle: 'lifecycle-transition',
};

/** Options of {@link createGoldenPathValidateAction}. */
export interface GoldenPathValidateActionOptions {
  catalog: CatalogService;
  /** Root config; `goldenPaths` is read on every invocation (kill switches without a deploy). */
  config: Config;
  /** Service credentials for the policy's catalog reads (the policy must see the whole catalog). */
  auth: AuthService;
  /**
   * For lifecycle requests: whether the initiator holds `goldenpaths.lifecycle.transition` on the
   * entity (§6.4), asked at preflight with the same check `goldenpath:lifecycle` makes.
   */
  permissions: PermissionsService;
  auditor?: AuditorService;
  /**
   * The golden-paths ledger client, for the read-only lookup of this request's row (§4.9: GP-I02,
   * and GP-N03 is skipped only for this request's own earlier result). Without it validate knows
   * no row: an entity carrying the request key counts as taken (GP-N03), as after retention.
   */
  ledger?: Pick<GoldenPathsService, 'getRequest' | 'getSteps'>;
  /**
   * What database requests lack when the module has no database provisioner (`provisionerGap`):
   * such a request is refused here (GP-U03), before its key is claimed, instead of at the plan
   * step. Undefined: a provisioner exists (or the caller does not know, and leaves it to plan).
   */
  noProvisioner?: ProvisionerGap;
  /** Clock, for tests; the policy engine never reads one itself. */
  now?: () => Date;
  /** How long the ledger lookup may take before GP-I02 fails closed (GP-U01); default 2 s. */
  ledgerTimeoutMs?: number;
}

const LEDGER = 'the golden-paths ledger';

/**
 * A ledger row as the policy engine reads it. A lease this task holds is dropped, as the store
 * does at `ledger:open`: a Backstage retry (or restart recovery) keeps the task id and runs
 * validate again, and must resume instead of being refused GP-I03 by its own lease.
 */
function ledgerFact(row: LedgerRequest, taskId: string): LedgerRequestFact {
  const ownLease = row.leaseTaskId === taskId;
  return {
    requestKey: row.requestKey,
    fingerprint: row.fingerprint,
    templateRef: row.templateRef,
    templateVersion: row.templateVersion,
    request: row.request ?? {},
    status: row.status as LedgerRequestFact['status'],
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    ...(row.leaseTaskId && !ownLease
      ? {
          leaseTaskId: row.leaseTaskId,
          ...(row.leaseUntil ? { leaseUntil: row.leaseUntil } : {}),
          ...(row.leaseStartedAt ? { leaseStartedAt: row.leaseStartedAt } : {}),
        }
      : {}),
  };
}

/** What `ledger:open` would do with this row (§4.4), for the `existing` output. */
function existingOf(
  row: LedgerRequestFact | undefined,
  evaluation: PolicyEvaluation,
): 'none' | 'replay' | 'resume' {
  if (!row || row.fingerprint !== evaluation.fingerprint) return 'none';
  if (row.status === 'succeeded') return 'replay';
  return ['failed', 'awaiting-approval', 'open', 'running'].includes(row.status)
    ? 'resume'
    : 'none';
}

function templateContext(
  kind: RequestKind,
  templateRef: string | undefined,
  infoEntity: { metadata: Entity['metadata'] } | undefined,
  fetched: Entity | undefined,
): TemplateContext {
  const ref =
    (templateRef && normalizeEntityRef(templateRef, 'template')) ??
    `template:default/${DEFAULT_TEMPLATE[kind]}`;
  const name = ref.slice(ref.lastIndexOf('/') + 1);
  const version =
    fetched?.metadata.annotations?.['ops.example.com/version'] ??
    infoEntity?.metadata.annotations?.['ops.example.com/version'] ??
    '0.0.0';
  const steps = templateStepsOf(fetched);
  return { name, ref, version, ...(steps ? { steps } : {}) };
}

/** A parameter the template entity declares, as GP-X02 and the display-only filter see it. */
interface DeclaredParameter {
  name: string;
  uiField?: string;
  /** `type: 'null'`: a display-only field (GoldenPathAvailability) that holds no request value. */
  displayOnly?: boolean;
}

/** Parameters the template entity declares, on every page (for GP-X02 and display-only fields). */
function templateParameters(template: Entity | undefined): DeclaredParameter[] {
  const raw = (template?.spec as { parameters?: unknown } | undefined)
    ?.parameters;
  let pages: unknown[] = [];
  if (Array.isArray(raw)) pages = raw;
  else if (raw) pages = [raw];
  const out: DeclaredParameter[] = [];
  for (const page of pages) {
    const props = (page as { properties?: Record<string, unknown> })
      ?.properties;
    for (const [name, schema] of Object.entries(props ?? {})) {
      const field = schema as Record<string, unknown> | null;
      const uiField = field?.['ui:field'];
      out.push({
        name,
        ...(typeof uiField === 'string' ? { uiField } : {}),
        ...(field?.type === 'null' ? { displayOnly: true } : {}),
      });
    }
  }
  return out;
}

/**
 * The request without the parameters the template declares display-only (`type: 'null'`). They
 * hold no request value, but `${{ parameters }}` can carry them: an app that does not register
 * the GoldenPathAvailability field renders rjsf's own null field, which sets `availability: null`
 * on mount, and the strict request schema would refuse every run for it (GP-V02). Only the
 * declared ones are dropped: any other key is still the schema's to refuse.
 */
function withoutDisplayOnly(
  raw: Record<string, unknown>,
  parameters: readonly DeclaredParameter[],
): Record<string, unknown> {
  const displayOnly = new Set(
    parameters.filter(p => p.displayOnly).map(p => p.name),
  );
  if (!displayOnly.size) return raw;
  return Object.fromEntries(
    Object.entries(raw).filter(([name]) => !displayOnly.has(name)),
  );
}

/**
 * The display-only parameter of the shipped golden-path templates (the GoldenPathAvailability
 * field's `availability`, `type: 'null'`).
 */
const AVAILABILITY_PARAMETER = 'availability';

/**
 * Without the template (the catalog read failed) validate cannot tell which parameters are
 * display-only, and a run would be refused for a form's `availability: null` alone (GP-V02).
 * Only that key, and only when it holds null, is dropped then: every other key is refused as
 * it would be with the template read (GP-V02, or GP-D09 for a database's network-exposure
 * field whatever its value), so a request is not judged more leniently because the catalog did
 * not answer.
 */
function withoutNullAvailability(
  raw: Record<string, unknown>,
): Record<string, unknown> {
  if (raw[AVAILABILITY_PARAMETER] !== null) return raw;
  const { [AVAILABILITY_PARAMETER]: _dropped, ...rest } = raw;
  return rest;
}

/** Names the later steps use (§4.9 validate output `names`). */
function namesOf(
  request: NormalizedRequest,
  publish: PublishSettings,
): Record<string, string> {
  switch (request.kind) {
    case 'database': {
      const resourceName = `${request.name}-${request.environment}`;
      return {
        entityRef: `resource:default/${resourceName}`,
        resourceName,
        pgIdentifier: resourceName.replace(/-/g, '_'),
      };
    }
    case 'lifecycle':
      return { entityRef: request.entity };
    default: {
      const names: Record<string, string> = {
        entityRef: `component:default/${request.name}`,
      };
      if (publish.mode === 'local') {
        names.repoUrl = `${publish.localRoot.replace(/\/+$/, '')}/${
          request.name
        }.git`;
      } else if (publish.mode === 'github' && publish.githubOrg) {
        names.repoUrl = `github.com?owner=${encodeURIComponent(
          publish.githubOrg,
        )}&repo=${request.name}`;
        // Known before anything is published: register reads it, and a resumed run reads the
        // marker beside it, when the publish step is skipped (its outputs are then missing).
        names.catalogInfoUrl = `https://github.com/${encodeURIComponent(
          publish.githubOrg,
        )}/${request.name}/blob/${encodeURIComponent(
          publish.defaultBranch,
        )}/catalog-info.yaml`;
      } else if (publish.mode === 'gitlab' && publish.gitlabGroup) {
        names.repoUrl = `gitlab.com?owner=${encodeURIComponent(
          publish.gitlabGroup,
        )}&repo=${request.name}`;
      }
      return names;
    }
  }
}

/**
 * How the templates publish (`goldenPaths.publish`): `publish:github` takes the branch and the
 * visibility from here, so the branch it creates is the one the descriptor's links name
 * (`git.defaultBranch`). `repositoryUrl` is the output's Repository link (§3.1): the GitHub
 * repository, or in local mode the bare repository as a `file://` URL like the descriptor's own
 * links — which the templates show only in GitHub mode (a browser does not open a `file://` link
 * from the portal's page; in local mode their output shows `repositoryPath` as text). Database and
 * lifecycle requests have no repository of their own to link.
 */
function publishOutput(
  request: NormalizedRequest,
  publish: PublishSettings,
  names: Record<string, string>,
): {
  defaultBranch: string;
  repoVisibility: string;
  repositoryUrl?: string;
  repositoryPath?: string;
} {
  const out = {
    defaultBranch: publish.defaultBranch,
    repoVisibility: publish.githubVisibility,
  };
  if (request.kind !== 'service' && request.kind !== 'worker') return out;
  if (publish.mode === 'github' && publish.githubOrg) {
    return {
      ...out,
      repositoryUrl: `https://github.com/${encodeURIComponent(
        publish.githubOrg,
      )}/${request.name}`,
    };
  }
  if (publish.mode === 'local' && names.repoUrl) {
    // absolute: the configured root is relative to the backend's working directory
    // (`./.data/golden-paths/repos` by default), which a reader of the output does not know
    const repositoryPath = path.resolve(names.repoUrl);
    return {
      ...out,
      repositoryUrl: `file://${repositoryPath}`,
      repositoryPath,
    };
  }
  return out;
}

const ruleView = (r: RuleResult) => ({
  id: r.id,
  outcome: r.outcome,
  ...(r.field ? { field: r.field } : {}),
  ...(r.message ? { message: r.message } : {}),
});

/**
 * `goldenpath:validate` — the policy preflight of golden-paths.md §4.9: kill switches, secret
 * scan, schema, key format (decided on the request and the template alone), for lifecycle
 * requests the initiator's `goldenpaths.lifecycle.transition` (§6.4), then every fact rule of §5
 * on facts from at most two batched catalog calls, the read-only ledger lookup and the approval
 * triggers of §6.1. A refusal is an `InputError` whose message is the exact text of §5 (one line
 * per failed rule, table order); the lifecycle permission refuses with `NotAllowedError`. No side
 * effects, so a dry run runs the same code and only reports `dryRun: true`.
 */
export function createGoldenPathValidateAction(
  options: GoldenPathValidateActionOptions,
) {
  const { catalog, config, auth, permissions, auditor, ledger } = options;
  const ledgerTimeoutMs = options.ledgerTimeoutMs ?? FACT_TIMEOUT_MS;
  const now = options.now ?? (() => new Date());
  // Group facts may be up to `goldenPaths.policy.groupCacheSeconds` old (default 5 s).
  const groups = new GroupProjectionCache(
    (config.getOptionalNumber('goldenPaths.policy.groupCacheSeconds') ?? 5) *
      1000,
  );

  const templateAction = createTemplateAction({
    id: VALIDATE_ACTION_ID,
    description:
      'Golden-path policy preflight: checks a request against the kill switches, the secret scan, the request schema and the catalog-backed policy rules before anything is created; returns the normalized request, request key, fingerprint, names, warnings and approval triggers.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        kind: z =>
          z
            .enum(['service', 'worker', 'database', 'lifecycle'])
            .describe('What the request creates or changes.'),
        request: z =>
          z
            .record(z.unknown())
            .describe(
              'The template parameters (or API body); validated by the golden-path request schema of the kind.',
            ),
        idempotencyKey: z =>
          z
            .string()
            .optional()
            .describe(
              'Request key; defaults to the business identity, e.g. service-node-http:<name>.',
            ),
      },
      output: {
        request: z =>
          z
            .record(z.unknown())
            .describe('The normalized request (defaults applied).'),
        requestKey: z => z.string(),
        fingerprint: z => z.string().describe('sha256:<hex> of the request.'),
        policyVersion: z => z.string(),
        decision: z => z.enum(['allow', 'needs-approval']),
        publishMode: z => z.enum(['local', 'github', 'gitlab']),
        names: z =>
          z.object({
            entityRef: z.string(),
            repoUrl: z.string().optional(),
            catalogInfoUrl: z.string().optional(),
            resourceName: z.string().optional(),
            pgIdentifier: z.string().optional(),
          }),
        warnings: z =>
          z.array(
            z.object({
              id: z.string(),
              outcome: z.string(),
              field: z.string().optional(),
              message: z.string().optional(),
            }),
          ),
        approvalTriggers: z =>
          z.array(z.object({ id: z.string(), reasons: z.array(z.string()) })),
        existing: z => z.enum(['none', 'replay', 'resume']),
        templateRef: z => z.string(),
        templateVersion: z => z.string(),
        ownerRotation: z =>
          z
            .string()
            .describe(
              "The owner group's own ops.example.com/oncall ('' when none): goldenpath:descriptor writes a requested rotation only when it differs (§2.1).",
            ),
        codeOwner: z =>
          z
            .string()
            .describe(
              "The owner group as CODEOWNERS names it: the group's github.com/team-slug (@org/team), else @<goldenPaths.publish.github.org>/<group name>, else @<group name> ('' for other kinds).",
            ),
        generation: z =>
          z
            .object({
              ciWorkflow: z.string(),
              ciVersion: z.string(),
              deployWorkflow: z.string(),
              nodeBaseImage: z.string(),
            })
            .describe(
              'Platform values the skeleton writes (goldenPaths.ci, goldenPaths.baseImages), never asked in the form.',
            ),
        publish: z =>
          z
            .object({
              defaultBranch: z.string(),
              repoVisibility: z.enum(['private', 'internal', 'public']),
              repositoryUrl: z.string().optional(),
            })
            .describe(
              'goldenPaths.publish as the templates use it: publish:github defaultBranch and repoVisibility, and the Repository link (service and worker requests).',
            ),
        dryRun: dryRunOutput,
        effects: effectsOutput,
        wouldBeRefusedBy: wouldBeRefusedByOutput,
      },
    },
    async handler(ctx) {
      const started = Date.now();
      const kind = ctx.input.kind as RequestKind;
      // a task without a user (a service token) is refused here, before anything is read: GP-O05
      const requester = requesterOf(ctx);
      // A dry run's templateInfo names `template:default/dry-run`: the ref comes from its metadata.
      const templateRef = templateRefOf(ctx);
      const dryRun = ctx.isDryRun === true;

      // Re-read on every run: a switch set in config takes effect without a deploy (§4.7).
      const policyConfig = readGoldenPathsConfig(config);
      const killSwitches = readKillSwitches(config);
      const publish = readPublishSettings(config);

      const credentials = await auth.getOwnServiceCredentials();
      // The kill switches need the template's steps (§4.7) and GP-X02 its parameters: the one
      // catalog read before the secret scan, keyed by the template ref alone.
      const read = await readTemplate({
        catalog,
        credentials,
        templateRef:
          templateRef ?? `template:default/${DEFAULT_TEMPLATE[kind]}`,
      });
      if (read.failure) ctx.logger.warn(read.failure);
      const declared = templateParameters(read.template);
      // What the request schema sees: the parameters less the template's display-only fields.
      const rawRequest = read.template
        ? withoutDisplayOnly(ctx.input.request, declared)
        : withoutNullAvailability(ctx.input.request);

      const listed = templateContext(
        kind,
        templateRef,
        ctx.templateInfo?.entity,
        read.template,
      );
      // §4.7: every action checks its own switch at start. The template's steps come from the
      // catalog; without them (template not in the catalog) validate still checks its own id,
      // first among the actions (the rule order K03 → K01 → K02 is the engine's).
      const template: TemplateContext = listed.steps?.some(
        s => s.action === VALIDATE_ACTION_ID,
      )
        ? listed
        : {
            ...listed,
            steps: [
              { id: ctx.step?.id ?? 'validate', action: VALIDATE_ACTION_ID },
              ...(listed.steps ?? []),
            ],
          };
      const at = now();
      const request = withDatabaseDefaults(kind, rawRequest, at);
      // The switches the policy enforces: all of them, except in a dry run that ran through one
      // (set below, before any other phase).
      let enforcedSwitches: KillSwitches | undefined = killSwitches;
      // Whether the ledger holds steps under the key GP-K02 names (asked only when it refuses).
      let stepsRecorded = false;
      const evaluate = (facts: PolicyFacts) =>
        evaluatePolicy({
          kind,
          template,
          request,
          ...(ctx.input.idempotencyKey !== undefined &&
          ctx.input.idempotencyKey !== ''
            ? { idempotencyKey: ctx.input.idempotencyKey }
            : {}),
          facts: {
            ...facts,
            killSwitches: enforcedSwitches,
            stepsRecorded,
            // Prices let validate report GP-D06/U02 and the cost trigger before anything exists.
            ...(kind === 'database'
              ? { prices: readDatabasePrices(config) }
              : {}),
          },
          config: policyConfig,
          now: at.toISOString(),
        });

      // K → X → V → I01 decide on the request alone: the engine stops before the fact phase
      // when one of them refuses, so it needs no catalog facts yet. Only a request that passed
      // them is turned into catalog refs (owner, system, name) or a ledger key, so a secret
      // typed into any field never leaves validate (§4.9 order).
      let screened = evaluate({ requester, catalog: [] });
      // A first run refused here created nothing; a rerun resumes its recorded steps (V19).
      if (screened.errors.some(e => e.id === 'GP-K02')) {
        stepsRecorded = await stepsRecordedUnderKey({
          input: {
            kind,
            template,
            request,
            idempotencyKey: ctx.input.idempotencyKey || undefined,
            config: policyConfig,
          },
          ledger,
          timeoutMs: ledgerTimeoutMs,
          logger: ctx.logger,
        });
        if (stepsRecorded) screened = evaluate({ requester, catalog: [] });
      }
      // §4.7: a dry run is the operator's no-op proof before lifting a switch, so the switches do
      // not stop it. The refusal a real run gets now (same rules, same text) goes to the log, the
      // `wouldBeRefusedBy` output and the audit record; the run goes on through every other rule.
      const wouldBeRefusedBy = dryRun
        ? switchRefusalOf(screened.errors)
        : undefined;
      if (wouldBeRefusedBy) {
        ctx.logger.warn(
          ranThroughSwitchText(VALIDATE_ACTION_ID, wouldBeRefusedBy),
        );
        enforcedSwitches = undefined;
        screened = evaluate({ requester, catalog: [] });
      }

      // GP-X02: the template collects something secret-looking, or the task carries secrets
      // other than the portal's own token. Kill switches (K) still come first.
      const taskSecretNames = Object.keys(ctx.secrets ?? {}).filter(
        // `backstageToken` and the scaffolder's own `__`-prefixed entries are not user input.
        k => k !== 'backstageToken' && !k.startsWith('__'),
      );
      const x02 = checkTemplateParameters(template.name, [
        ...declared,
        ...taskSecretNames.map(name => ({ name, uiField: 'Secret' })),
      ]);

      const audit = async (
        evaluation: PolicyEvaluation,
        decision: PolicyEvaluation['decision'],
        extraRules: RuleResult[] = [],
      ) => {
        if (!auditor) return;
        const rules = [...evaluation.rules, ...extraRules];
        const event = await auditor.createEvent({
          eventId: 'golden-path-step',
          severityLevel: 'low',
          meta: {
            action: VALIDATE_ACTION_ID,
            stepId: ctx.step?.id ?? 'validate',
            taskId: ctx.task.id,
            correlationId: ctx.task.id,
            requestKey: evaluation.requestKey ?? '',
            fingerprint: evaluation.fingerprint ?? '',
            templateRef: template.ref,
            templateVersion: template.version,
            policyVersion: evaluation.policyVersion,
            actor: actorOf(requester, serviceOf(ctx)),
            dryRun,
            // the dry run ran through a kill switch; `decision` is the rest of the policy's
            ...(wouldBeRefusedBy
              ? { wouldBeRefusedBy: { ...wouldBeRefusedBy } }
              : {}),
            decision,
            rules: rules.map(r => ({ id: r.id, outcome: r.outcome })),
            effects: [],
            durationMs: Date.now() - started,
            redaction: rules.some(r => r.id === 'GP-X01') ? 'applied' : 'none',
          },
        });
        // Written without auditStep: say so, or an error after it would be recorded twice.
        noteStepAudited();
        await event.success();
      };
      // Warnings go to the task log and the `warnings` output, never into the error (§4.1).
      const logWarnings = (evaluation: PolicyEvaluation) => {
        for (const w of evaluation.warnings) {
          if (w.message) ctx.logger.warn(w.message);
        }
      };
      /** Logs and audits a refusal; returns the error to throw. */
      const refused = async <E extends Error>(
        evaluation: PolicyEvaluation,
        error: E,
        extraRules: RuleResult[] = [],
      ): Promise<E> => {
        logWarnings(evaluation);
        await audit(evaluation, 'deny', extraRules);
        // The message names rules and fields only; a detected secret is never echoed (GP-X01).
        return error;
      };

      const killed = screened.errors.some(e => e.id.startsWith('GP-K'));
      if (!killed && x02.length) {
        throw await refused(screened, new InputError(refusalText(x02)), x02);
      }
      if (!screened.request) {
        throw await refused(
          screened,
          new InputError(screened.message ?? 'GP: refused'),
        );
      }

      // §6.4: who may not move the entity learns it here, before approval is requested, with
      // the refusal goldenpath:lifecycle itself would give (dry runs included; no facts read).
      if (screened.request.kind === 'lifecycle') {
        const denied = await lifecycleTransitionRefusal({
          permissions,
          getInitiatorCredentials: () => ctx.getInitiatorCredentials(),
          entityRef: screened.request.entity,
          fallbackUserRef: requester,
        });
        if (denied) throw await refused(screened, denied);
        // G-D1's own fields (a sunset date 30–365 days ahead, a replacement named) refuse here,
        // before ledger:open claims the key: refused by goldenpath:lifecycle after the claim, a
        // corrected date was another request under the same key (GP-I02).
        const { request: lc } = screened;
        const fields =
          lc.transition === 'deprecate'
            ? deprecationFieldsRefusal(lc, now().toISOString())
            : undefined;
        if (fields) {
          throw await refused(screened, new InputError(fields), [
            { id: 'GP-L05', outcome: 'deny', message: fields },
          ]);
        }
      }

      // GP-U03: publish settings the templates cannot carry out fail here, on config alone,
      // instead of in the publish or register step after approval (or after a database exists).
      const unsupported = publishSupportRefusal(
        screened.request.kind,
        publish,
        options.noProvisioner,
      );
      if (unsupported) {
        throw await refused(screened, new InputError(unsupported.message!), [
          unsupported,
        ]);
      }

      const factsStarted = Date.now();
      const gathered = await gatherFacts({
        groups,
        catalog,
        credentials,
        kind,
        request: rawRequest,
        requester,
      });
      const factsMs = Date.now() - factsStarted;
      for (const failure of gathered.failures) ctx.logger.warn(failure);

      let evaluation: PolicyEvaluation = evaluate(gathered.facts);
      let ledgerRow: LedgerRequestFact | undefined;
      // A derived key that is invalid only because the name is (GP-N01 says so) is not looked
      // up: the ledger would refuse it and the refusal would gain a misleading GP-U01.
      if (
        ledger &&
        evaluation.requestKey &&
        isValidRequestKey(evaluation.requestKey)
      ) {
        let row: LedgerRequest | undefined;
        let failed = false;
        try {
          // Read-only: the lookup never creates or claims anything (ledger:open does).
          row = await withTimeout(
            ledger.getRequest(evaluation.requestKey),
            ledgerTimeoutMs,
          );
        } catch (e) {
          failed = true;
          ctx.logger.warn(
            `${VALIDATE_ACTION_ID}: ledger lookup failed: ${String(
              (e as Error)?.message ?? e,
            )}`,
          );
        }
        // A superseded row is as good as none: ledger:open claims the key afresh (§4.4).
        if (row && row.status !== 'superseded')
          ledgerRow = ledgerFact(row, ctx.task.id);
        if (failed) {
          // Unknown is not pass: GP-I02 fails closed (GP-U01).
          evaluation = evaluate({
            ...gathered.facts,
            unavailable: [
              ...(gathered.facts.unavailable ?? []),
              { rule: 'GP-I02', source: LEDGER },
            ],
          });
        } else if (ledgerRow) {
          evaluation = evaluate({ ...gathered.facts, ledger: ledgerRow });
        }
      }

      if (evaluation.decision === 'deny') {
        throw await refused(
          evaluation,
          new InputError(evaluation.message ?? 'GP: refused'),
        );
      }
      // Deleting any entity of the shared infrastructure repository but a database Resource
      // (whose destroy plan goldenpath:lifecycle applies, §7.1) would retire every other
      // Resource: refused now, before approval is requested, with the text the action gives.
      const req = evaluation.request;
      if (req?.kind === 'lifecycle' && req.transition === 'delete') {
        const entity = gathered.facts.catalog.find(
          e => stringifyEntityRef(e).toLocaleLowerCase('en-US') === req.entity,
        );
        const refusal =
          entity && sharedDeleteRefusal(config, req.entity, entity);
        if (refusal) throw await refused(evaluation, new InputError(refusal));
      }
      logWarnings(evaluation);

      const normalized = evaluation.request!;
      const names = namesOf(normalized, publish);
      ctx.logger.info(
        `${VALIDATE_ACTION_ID}: ${evaluation.requestKey} ${
          evaluation.decision
        }${
          evaluation.approvalTriggers.length
            ? ` (approval: ${evaluation.approvalTriggers
                .map(describeTrigger)
                .join('; ')})`
            : ''
        }${
          dryRun ? ' [dry run: validate has no side effects]' : ''
        } (preflight ${Date.now() - started} ms, catalog facts ${factsMs} ms)`,
      );
      await audit(evaluation, evaluation.decision);

      ctx.output('request', normalized as unknown as Record<string, unknown>);
      ctx.output('requestKey', evaluation.requestKey!);
      ctx.output('fingerprint', evaluation.fingerprint!);
      ctx.output('policyVersion', evaluation.policyVersion);
      ctx.output('decision', evaluation.decision as 'allow' | 'needs-approval');
      ctx.output('publishMode', publish.mode);
      ctx.output('names', names as { entityRef: string });
      ctx.output('warnings', evaluation.warnings.map(ruleView));
      ctx.output(
        'approvalTriggers',
        evaluation.approvalTriggers.map(t => ({
          id: t.id,
          reasons: [...t.reasons],
        })),
      );
      // What the read-only lookup found; ledger:open still decides create/resume/replay
      // atomically (and preview reports it).
      ctx.output('existing', existingOf(ledgerRow, evaluation));
      ctx.output('templateRef', template.ref);
      ctx.output('templateVersion', template.version);
      ctx.output(
        'ownerRotation',
        ownerRotationOf(normalized, gathered.facts.catalog),
      );
      ctx.output(
        'codeOwner',
        codeOwnerOf(normalized, gathered.facts.catalog, publish.githubOrg),
      );
      const generation = readGenerationSettings(config);
      ctx.output('generation', {
        ciWorkflow: generation.ciWorkflow,
        ciVersion: generation.ciVersion,
        deployWorkflow: generation.deployWorkflow,
        nodeBaseImage: generation.nodeBaseImage,
      });
      ctx.output('publish', publishOutput(normalized, publish, names));
      // Catalog and ledger reads only: no effects, in a dry run or a real one.
      outputStepEffects(ctx, { dryRun }, []);
      if (wouldBeRefusedBy) ctx.output('wouldBeRefusedBy', wouldBeRefusedBy);
    },
  });
  // An error the handler did not expect still leaves this invocation's record (§4.5).
  return withInvocationAudit(templateAction, {
    auditor,
    config,
    defaultStepId: 'validate',
    severity: 'low',
    // validate's input names no key: the record names the one the request runs under
    requestKeyOf: (input, ctx) => requestKeyOfInput(input, ctx, config, now()),
  });
}

/**
 * The request key of an invocation that failed before its policy said it (§4.5: the record an
 * unexpected error leaves), derived from the input as the run derives it: `killSwitchRequestKey`
 * parses the request as the policy does, and the request is prepared as the handler prepares it
 * without the template (only a null `availability` dropped, as when the catalog does not answer).
 * Undefined when there is no key to name: a kind or request that cannot be read, a key built from
 * a secret-looking value (never written, GP-X01), or one outside the §4.2 format, which no ledger
 * row can be under.
 */
function requestKeyOfInput(
  input: Record<string, unknown>,
  ctx: Parameters<typeof templateRefOf>[0],
  config: Config,
  at: Date,
): string | undefined {
  const { kind, request, idempotencyKey } = input;
  if (typeof kind !== 'string' || !Object.hasOwn(DEFAULT_TEMPLATE, kind))
    return undefined;
  if (typeof request !== 'object' || request === null) return undefined;
  const requestKind = kind as RequestKind;
  const key = killSwitchRequestKey({
    kind: requestKind,
    template: templateContext(
      requestKind,
      templateRefOf(ctx),
      undefined,
      undefined,
    ),
    request: withDatabaseDefaults(
      requestKind,
      withoutNullAvailability(request as Record<string, unknown>),
      at,
    ),
    // as the handler passes it: an empty key is none
    ...(typeof idempotencyKey === 'string' && idempotencyKey !== ''
      ? { idempotencyKey }
      : {}),
    config: readGoldenPathsConfig(config),
  });
  return key && isValidRequestKey(key) ? key : undefined;
}

/**
 * The owner group as the skeleton's CODEOWNERS names it (§3.1: the group's
 * `github.com/team-slug`), for a service or worker request; '' otherwise. The skeleton wrote
 * `@acme/<group>` for every app until 2026-12-07, whatever its organisation or namespace.
 */
function codeOwnerOf(
  request: NormalizedRequest,
  catalog: readonly Entity[],
  githubOrg: string | undefined,
): string {
  if (request.kind !== 'service' && request.kind !== 'worker') return '';
  const group = new CatalogView(catalog).get(request.owner);
  const slug = group?.metadata.annotations?.['github.com/team-slug']?.trim();
  if (slug) return `@${slug}`;
  const name = group?.metadata.name ?? request.owner.replace(/^.*\//, '');
  return githubOrg ? `@${githubOrg}/${name}` : `@${name}`;
}

/** The owner group's own rotation for a service or worker request, '' otherwise (§2.1). */
function ownerRotationOf(
  request: NormalizedRequest,
  catalog: readonly Entity[],
): string {
  if (request.kind !== 'service' && request.kind !== 'worker') return '';
  return ownRotation(new CatalogView(catalog), request.owner) ?? '';
}
