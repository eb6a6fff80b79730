import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  APPROVAL_TRIGGERS,
  checkKillSwitches,
  DECISION_ANSWERS,
  goldenPathsApprovalDecidePermission,
  goldenPathsKillSwitchManagePermission,
  goldenPathsRequestCompensatePermission,
  goldenPathsRequestReadPermission,
  gpMessages,
  isValidRequestKey,
  requestFingerprint,
  scanForSecrets,
  stepsLeftEffects,
  templateNameOf,
  type CompensationReport,
  type NormalizedRequest,
  type SwitchRefusal,
} from '@internal/plugin-golden-paths-common';
import express, { Request, Response } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import {
  ApprovalRecord,
  CloseOutcome,
  DecisionRecord,
  GoldenPathsStore,
  RequestRecord,
  RequestsPosition,
  StepRecord,
  StepRepair,
} from '../database/GoldenPathsStore';
import { ApprovalService, ApprovalState, OpenedApproval } from './approvals';
import {
  AuditRecord,
  AuditSeverity,
  auditEventOf,
  emitAuditorEvent,
  writeAudit,
} from './audit';
import { CompensationService } from './compensation/CompensationService';
import { stepAction } from './compensation/plan';
import { GroupDirectory, isMember, memberGroups } from './groupDirectory';
import type { GoldenPathsNotifier } from './notifications/notifier';
import { approvalNeeded, deprecationNotice } from './notifications/messages';
import { refKey } from '../refKey';
import { killSwitchId } from './killSwitchIds';
import { KillSwitchService } from './killSwitches';
import type { LastDryRunService, TemplateSteps } from './dryRuns/lastDryRun';
import { templateForOpen } from './openTemplate';
import { LifecycleGatesService, lifecycleGatesQuery } from './lifecycleGates';
import {
  fullRef,
  isoTime,
  jsonObjectBody,
  jsonErrorHandler,
  oneOf,
  parse,
  NO_QUERY,
  parseQuery,
  decodePairCursor,
  encodePairCursor,
  isIsoInstant,
  withoutNul,
} from '@internal/suite-node';
import { openDrift } from './reconciler/Reconciler';
import { planRepair } from './repair/planRepair';
import { digest, object, reasonText, text } from './validation';

/** Dependencies of the golden-paths HTTP API. */
export interface RouterOptions {
  store: GoldenPathsStore;
  approvals: ApprovalService;
  killSwitches: KillSwitchService;
  /** Dry evaluation of §7 for the Lifecycle card (`GET /lifecycle/gates`). */
  lifecycleGates: LifecycleGatesService;
  /** Compensation of a request (§8 "Revert", `POST /requests/:key/compensate`). */
  compensation: CompensationService;
  /** The last dry run of what a kill switch covers, for the operator who lifts it (§4.7). */
  lastDryRuns: LastDryRunService;
  /**
   * The catalog's templates with their steps (a cached read): the steps `ledger:open` checks the
   * runtime action switches on when the scaffolder sends none (§4.7).
   */
  templateSteps: TemplateSteps;
  directory: GroupDirectory;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  logger: LoggerService;
  /** Tells route groups of a new approval (§4.9); absent: nobody is told. */
  notify?: GoldenPathsNotifier;
  clock: () => Date;
  /** Lease of a claim in ms (§4.3: 15 min). */
  leaseMs: number;
  /** Service principals that may write the ledger (default `plugin:scaffolder`). */
  ledgerWriters: readonly string[];
}

const KINDS = [
  'service',
  'worker',
  'library',
  'database',
  'lifecycle',
] as const;

const templateShape = z
  .object({
    name: text('template.name', 128),
    steps: z
      .array(
        z
          .object({
            id: text('template.steps[].id', 128),
            action: text('template.steps[].action', 128),
          })
          .strict(),
        { error: 'template.steps must be a list of { id, action }' },
      )
      .optional(),
  })
  .strict();

const openBody = z
  .object({
    fingerprint: digest('fingerprint'),
    request: object('request'),
    templateRef: fullRef('templateRef'),
    templateVersion: text('templateVersion', 64),
    kind: oneOf('kind', KINDS),
    taskId: text('taskId', 128),
    createdBy: fullRef('createdBy'),
    template: templateShape.optional(),
    dryRun: z.boolean({ error: 'dryRun must be true or false' }).optional(),
    // The preview's digest: kept in the audit record, so a dry run shows what it would do when
    // a kill switch is lifted (§4.7).
    planDigest: digest('planDigest').optional(),
    supersede: z
      .boolean({ error: 'supersede must be true or false' })
      .optional(),
  })
  .strict();

const stepClaimBody = z
  .object({
    fingerprint: text('fingerprint', 80),
    taskId: text('taskId', 128),
    action: text('action', 128).optional(),
  })
  .strict();

const stepCompleteBody = z
  .object({
    taskId: text('taskId', 128),
    status: oneOf('status', ['done', 'failed']),
    output: object('output').optional(),
    effectRef: text('effectRef', 2048).optional(),
  })
  .strict();

const closeBody = z
  .object({
    taskId: text('taskId', 128),
    status: oneOf('status', ['succeeded', 'failed']),
    outputs: object('outputs').optional(),
    errorCode: z
      .string()
      .regex(/^GP-[A-Z]\d{2}$/, 'errorCode must look like GP-E02')
      .optional(),
  })
  .strict();

const approvalOpenBody = z
  .object({
    planDigest: digest('planDigest'),
    triggers: z.array(
      z
        .object({
          id: oneOf('triggers[].id', APPROVAL_TRIGGERS),
          reasons: z
            .array(text('triggers[].reasons[]'), {
              error: 'triggers[].reasons must be a list of strings',
            })
            .min(1, 'triggers[].reasons must not be empty'),
        })
        .strict(),
      { error: 'triggers must be a list of { id, reasons }' },
    ),
    plan: object('plan').optional(),
    // the action asking for the approval: its kill switch refuses it (GP-K02)
    action: text('action', 128).optional(),
  })
  .strict();

const decisionBody = z
  .object({
    decision: oneOf('decision', ['approve', 'reject']),
    reason: reasonText(),
    route: fullRef('route').optional(),
    answers: z
      .object(
        Object.fromEntries(
          DECISION_ANSWERS.map(k => [
            k,
            z
              .boolean({ error: `answers.${k} must be true or false` })
              .optional(),
          ]),
        ),
      )
      .strict()
      .optional(),
    breakGlass: z
      .boolean({ error: 'breakGlass must be true or false' })
      .optional(),
  })
  .strict();

const killSwitchBody = z
  .object({
    disabled: z.boolean({ error: 'disabled must be true or false' }),
    // shown in every GP-K01/K02/K03 and in GET /kill-switches: capped as decision reasons are
    reason: reasonText(),
    until: isoTime('until').optional(),
  })
  .strict();

const compensateQuery = z.object({
  dryRun: oneOf('dryRun', ['true', 'false']).optional(),
});

const compensateBody = z
  .object({
    reason: reasonText('reason must be a string').optional(),
    // The dry run's `planDigest`: a real run acts only on the plan the operator confirmed.
    planDigest: digest('planDigest').optional(),
  })
  .strict();

/** §8 step 3: at least one of `status`, `effectRef`; the reason goes to the critical audit record. */
const repairBody = z
  .object({
    status: oneOf('status', ['compensated']).optional(),
    effectRef: text('effectRef', 2048).optional(),
    reason: reasonText(),
  })
  .strict()
  .refine(b => b.status !== undefined || b.effectRef !== undefined, {
    error:
      'send status "compensated", effectRef, or both: a repair changes at least one',
  });

const stepParamShape = z.object({ step: text('step', 128) });

/** The `:id` of an approval route: looked up as it is, so only U+0000 is refused (a 500 before). */
const approvalIdParamShape = z.object({ id: withoutNul('id', z.string()) });

const approvalsQuery = z.object({
  status: oneOf('status', [
    'pending',
    'approved',
    'rejected',
    'expired',
    'superseded',
  ]).optional(),
  mine: oneOf('mine', ['true', 'false']).optional(),
  requestKey: z
    .string()
    .refine(isValidRequestKey, {
      error: iss => gpMessages.i01({ key: String(iss.input) }),
    })
    .optional(),
});

/** The most rows one page of `GET /requests` returns. */
const MAX_REQUESTS_PAGE = 500;
/** `GET /approvals`: the most approvals one answer lists, and the rows read per page. */
const INBOX_MAX = 500;
const INBOX_PAGE = 500;
/** The fewest rows a page of the inbox reads (the caller's own requests may fill one). */
const INBOX_PROBE = 50;

const requestsQuery = z.object({
  status: oneOf('status', [
    'open',
    'awaiting-approval',
    'running',
    'succeeded',
    'failed',
    'rejected',
    'compensated',
    'superseded',
  ]).optional(),
  createdBy: fullRef('createdBy').optional(),
  limit: z
    .string()
    .regex(/^\d+$/, {
      error: `limit must be an integer between 1 and ${MAX_REQUESTS_PAGE}`,
    })
    .transform(Number)
    .refine(n => n >= 1 && n <= MAX_REQUESTS_PAGE, {
      error: `limit must be an integer between 1 and ${MAX_REQUESTS_PAGE}`,
    })
    .default(100),
  cursor: z.string().optional(),
});

/** The opaque `nextCursor` of `GET /requests`: where the page ended. */
function requestsCursor(r: RequestRecord): string {
  return encodePairCursor(r.updatedAt, r.requestKey);
}

const REQUESTS_CURSOR_HINT =
  'pass the nextCursor of the previous page unchanged, with the same status and createdBy';

function parseRequestsCursor(cursor: string): RequestsPosition {
  // A value holding U+0000 (no page ends at one; PostgreSQL refuses it) or a time that is not
  // one is a 400 there.
  const [updatedAt, requestKey] = decodePairCursor(
    cursor,
    'GET /requests',
    REQUESTS_CURSOR_HINT,
    isIsoInstant,
  );
  return { updatedAt, requestKey };
}

/** The caller's user entity ref as their identity gives it (any case); none for a service. */
function userRef(credentials: BackstageCredentials): string | undefined {
  const p = credentials.principal as { type: string; userEntityRef?: string };
  return p.type === 'user' ? p.userEntityRef : undefined;
}

function actorOf(credentials: BackstageCredentials): string {
  const p = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  return p.userEntityRef ?? p.subject ?? p.type;
}

/** Creates the `/api/golden-paths` router (§4.8); every route goes through httpAuth. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { store, approvals, killSwitches, httpAuth, permissions } = options;
  const router = Router();
  router.use(jsonObjectBody({ limit: '1mb' }));
  const now = () => options.clock().toISOString();

  const anyone = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  async function allowed(
    creds: BackstageCredentials,
    permission: BasicPermission,
  ): Promise<boolean> {
    const [d] = await permissions.authorize([{ permission }], {
      credentials: creds,
    });
    return d.result === AuthorizeResult.ALLOW;
  }

  /**
   * A user whose permission policy allows `permission`. Users only: Backstage's permission
   * client allows every service principal, so a service token would pass any policy (§6.4 grants
   * these permissions to people: operators, readers).
   */
  /**
   * The caller's credentials when they hold `permission`. A critical route passes the audit
   * event its refusal is recorded under: who tried to throw a kill switch or compensate a
   * request without the right matters as much as who did (through the auditor only: a refused
   * attempt is no step of a request's ledger).
   */
  async function userWith(
    req: Request,
    permission: BasicPermission,
    refusal?: {
      eventId: string;
      severity: AuditSeverity;
      record: Record<string, unknown>;
    },
  ) {
    const creds = await httpAuth.credentials(req, { allow: ['user'] });
    if (!(await allowed(creds, permission))) {
      const error = new NotAllowedError(`${permission.name} is not allowed`);
      if (refusal) {
        await emitAuditorEvent(options.auditor, {
          ...refusal,
          at: now(),
          request: req,
          record: {
            ...refusal.record,
            actor: actorOf(creds),
            result: 'refused',
          },
          failed: error.message,
        });
      }
      throw error;
    }
    return creds;
  }

  /** A ledger writer (`goldenpath:validate`'s read-only row lookup) or a user allowed to read. */
  async function requestReader(req: Request) {
    const creds = await anyone(req);
    const p = creds.principal as { type: string; subject?: string };
    if (p.type === 'service') {
      if (!options.ledgerWriters.includes(p.subject ?? '')) {
        throw new NotAllowedError(
          `only ${options.ledgerWriters.join(', ')} and users with ${
            goldenPathsRequestReadPermission.name
          } may read a request (got ${p.subject})`,
        );
      }
      return creds;
    }
    if (!(await allowed(creds, goldenPathsRequestReadPermission)))
      throw new NotAllowedError(
        `${goldenPathsRequestReadPermission.name} is not allowed`,
      );
    return creds;
  }

  /** Ledger writes: the scaffolder's service principal only (§4.8). */
  async function ledgerWriter(req: Request) {
    const creds = await httpAuth.credentials(req, { allow: ['service'] });
    const subject = (creds.principal as { subject: string }).subject;
    if (!options.ledgerWriters.includes(subject)) {
      throw new NotAllowedError(
        `only ${options.ledgerWriters.join(
          ', ',
        )} may write the golden-paths ledger (got ${subject})`,
      );
    }
    return creds;
  }

  function requestKeyParam(req: Request): string {
    const key = req.params.key;
    if (!isValidRequestKey(key)) throw new InputError(gpMessages.i01({ key }));
    return key;
  }

  /** The `:step` of a step route: a template step id (at most 128 characters, as stored). */
  function stepParam(req: Request): string {
    return parse(stepParamShape, { step: req.params.step }).step;
  }

  /** The `:id` of an approval route. */
  function approvalIdParam(req: Request): string {
    return parse(approvalIdParamShape, { id: req.params.id }).id;
  }

  /**
   * Writes one audit record (§4.5) to `gp_events` and through the auditor. The record holds
   * keys, fingerprints, rule ids and outcomes — never request values.
   */
  async function audit(
    req: Request,
    p: {
      eventId: string;
      severity: AuditSeverity;
      requestKey?: string;
      record: Record<string, unknown>;
      failed?: string;
    },
  ) {
    await writeAudit(
      { auditor: options.auditor, store },
      { ...p, at: now(), request: req },
    );
  }

  /**
   * 400 GP-X01 when a field a route stores or audits looks like a secret (a string, or any string
   * or key inside an object, by its dotted path): the message names the field and the detector,
   * never the value. Absent fields are skipped.
   */
  function refuseSecrets(fields: Record<string, unknown>) {
    const given = Object.fromEntries(
      Object.entries(fields).filter(([, v]) => v !== undefined),
    );
    const secret = scanForSecrets(given).find(r => r.outcome === 'deny');
    if (secret) throw new InputError(secret.message ?? secret.id);
  }

  /** A 409 for a rule, in the shared error envelope with the rule's id (and `extra`). */
  function refuse(res: Response, ruleId: string, message: string, extra = {}) {
    const { req } = res;
    res.status(409).json({
      error: { name: 'ConflictError', message },
      ruleId,
      ...extra,
      request: { method: req.method, url: req.originalUrl },
      response: { statusCode: 409 },
    });
  }

  /**
   * A real run a kill switch stops (§4.7): audited as a critical skipped step with the rule, then
   * refused with 409 and the rule's text.
   */
  async function refuseBySwitch(
    req: Request,
    res: Response,
    key: string,
    record: Record<string, unknown>,
    denial: { id: string; message?: string },
  ) {
    await audit(req, {
      eventId: 'golden-path-step',
      severity: 'critical',
      requestKey: key,
      record: {
        ...record,
        decision: 'deny',
        rules: [{ id: denial.id, outcome: 'deny' }],
        result: 'skipped',
        errorCode: denial.id,
      },
      failed: denial.message,
    });
    refuse(res, denial.id, denial.message ?? denial.id);
  }

  /**
   * The first kill-switch denial (GP-K03, GP-K01, GP-K02) of a ledger open that names its
   * template, on the template's steps (`templateForOpen`: the body's, else those of the body's
   * `templateRef` in the cached catalog read, made only when an action switch could refuse on
   * them). An open without `template` (preview's read-only lookup) is not checked. Throws when a
   * reloaded config is malformed: a switch that cannot be read may be one that is off.
   */
  async function switchDenialAtOpen(
    key: string,
    body: z.infer<typeof openBody>,
    at: string,
  ) {
    if (!body.template) return undefined;
    const switches = await killSwitches.current(at);
    const template = await templateForOpen({
      template: body.template,
      templateRef: body.templateRef,
      switches,
      templateSteps: options.templateSteps,
      logger: options.logger,
    });
    const [denial] = checkKillSwitches(switches, template, key);
    if (denial?.id !== 'GP-K02') return denial;
    // Only a rerun whose earlier steps may have left an effect resumes them (V19); a first run
    // stopped here (or one whose steps failed or were compensated) has nothing left, and GP-K02
    // says so as GP-K01/K03 do.
    return checkKillSwitches(switches, template, key, {
      stepsRecorded: stepsLeftEffects(await store.listSteps(key)),
    })[0];
  }

  /**
   * The first kill-switch denial of a step claim (§8: a switch thrown after the request opened
   * stops it before its next effect): `all` (GP-K03), the template the request was opened from
   * (GP-K01), then the claiming action (GP-K02). `all` and the template apply whether or not the
   * claim names its action (`checkKillSwitches` compares the template's name lower-cased).
   * Throws when a reloaded config is malformed, as at open.
   */
  async function switchDenialAtClaim(
    key: string,
    stepId: string,
    action: string | undefined,
    at: string,
  ) {
    const switches = await killSwitches.current(at);
    const request = await store.getRequest(key);
    const name = request ? templateNameOf(request.templateRef) : '';
    return checkKillSwitches(
      switches,
      { name, steps: action ? [{ id: stepId, action }] : [] },
      key,
      // the claim of a step: the request is running, its earlier steps resume once switched on
      { stepsRecorded: true },
    )[0];
  }

  // ---- ledger (scaffolder only) ----

  router.post('/requests/:key/open', async (req, res) => {
    const creds = await ledgerWriter(req);
    const key = requestKeyParam(req);
    const body = parse(openBody, req.body);
    const secret = scanForSecrets(body.request).find(r => r.outcome === 'deny');
    if (secret) throw new InputError(secret.message ?? secret.id);
    const expected = requestFingerprint(
      body.templateRef,
      body.request as unknown as NormalizedRequest,
    );
    if (expected !== body.fingerprint) {
      throw new InputError(
        `fingerprint does not match request (expected ${expected}); send the normalized request and its fingerprint`,
      );
    }
    const at = now();
    const base = {
      action: 'goldenpath:ledger:open',
      stepId: 'ledger-open',
      taskId: body.taskId,
      correlationId: body.taskId,
      fingerprint: body.fingerprint,
      templateRef: body.templateRef,
      templateVersion: body.templateVersion,
      actor: { userRef: body.createdBy, via: 'api' },
      executionIdentity: actorOf(creds),
      dryRun: body.dryRun === true,
      ...(body.planDigest ? { planDigest: body.planDigest } : {}),
    };
    // A dry run is the operator's no-op proof before lifting a switch (§4.7), so a switch does
    // not stop it: it computes its mode as any dry run and records the refusal a real run gets
    // now (`wouldBeRefusedBy`). Real runs are refused here, before the claim (V18).
    let wouldBeRefusedBy: SwitchRefusal | undefined;
    const denial = await switchDenialAtOpen(key, body, at);
    if (denial && base.dryRun) {
      wouldBeRefusedBy = {
        ruleId: denial.id,
        message: denial.message ?? denial.id,
      };
    } else if (denial) {
      await refuseBySwitch(req, res, key, base, denial);
      return;
    }
    const result = await store.claimRequest(
      {
        requestKey: key,
        fingerprint: body.fingerprint,
        request: body.request,
        templateRef: body.templateRef,
        templateVersion: body.templateVersion,
        kind: body.kind,
        taskId: body.taskId,
        createdBy: body.createdBy,
        dryRun: body.dryRun,
        supersede: body.supersede,
      },
      at,
      options.leaseMs,
    );
    if (result.mode === 'refused') {
      await audit(req, {
        eventId: 'golden-path-step',
        severity: 'medium',
        requestKey: key,
        record: {
          ...base,
          ...(wouldBeRefusedBy ? { wouldBeRefusedBy } : {}),
          decision: 'deny',
          rules: [{ id: result.ruleId, outcome: 'deny' }],
          result: 'skipped',
          errorCode: result.ruleId,
        },
        failed: result.message,
      });
      refuse(res, result.ruleId, result.message, {
        dryRun: result.dryRun,
        ...(wouldBeRefusedBy ? { wouldBeRefusedBy } : {}),
      });
      return;
    }
    await audit(req, {
      eventId: 'golden-path-step',
      severity: base.dryRun ? 'low' : 'medium',
      requestKey: key,
      record: {
        ...base,
        attempt: result.request.attempts,
        mode: result.mode,
        decision: 'allow',
        // the switch this dry run ran through: the lift dialog's proof made while it was on
        ...(wouldBeRefusedBy ? { wouldBeRefusedBy } : {}),
        // the earlier run's steps are kept in its golden-path-run-superseded event
        ...(result.superseded
          ? {
              superseded: {
                status: result.superseded.status,
                steps: result.superseded.steps.length,
              },
            }
          : {}),
        result: result.mode === 'replay' ? 'replayed' : 'started',
      },
    });
    res.status(result.mode === 'create' && !result.dryRun ? 201 : 200).json({
      mode: result.mode,
      dryRun: result.dryRun,
      ...(wouldBeRefusedBy ? { wouldBeRefusedBy } : {}),
      request: result.request,
      ...(result.previous ? { previous: result.previous } : {}),
    });
  });

  router.post('/requests/:key/steps/:step/claim', async (req, res) => {
    await ledgerWriter(req);
    const key = requestKeyParam(req);
    const stepId = stepParam(req);
    const body = parse(stepClaimBody, req.body);
    const at = now();
    const denial = await switchDenialAtClaim(key, stepId, body.action, at);
    if (denial) {
      await refuseBySwitch(
        req,
        res,
        key,
        { action: body.action, stepId, taskId: body.taskId },
        denial,
      );
      return;
    }
    const result = await store.claimStep(
      {
        requestKey: key,
        stepId,
        fingerprint: body.fingerprint,
        taskId: body.taskId,
        action: body.action,
      },
      at,
      options.leaseMs,
    );
    if ('refused' in result) {
      // A request waiting for an approval runs no effect (§6.2): the refusal says why with the
      // text the approve step shows for its approval (GP-A01, or GP-A05 once it expired).
      const waiting =
        result.ruleId === 'GP-A01'
          ? await approvals.outstanding(key, at)
          : undefined;
      refuse(
        res,
        waiting?.ruleId ?? result.ruleId,
        waiting?.message ?? result.message,
      );
      return;
    }
    res.json(result);
  });

  router.post('/requests/:key/steps/:step/complete', async (req, res) => {
    await ledgerWriter(req);
    const key = requestKeyParam(req);
    const stepId = stepParam(req);
    const body = parse(stepCompleteBody, req.body);
    // A step's output is what a replay hands back to the template (`run: false` claims, and
    // GET /requests/:key shows it with its effect_ref): kept secret-free as request_json is.
    refuseSecrets({ output: body.output, effectRef: body.effectRef });
    const step = await store.completeStep(
      { requestKey: key, stepId, ...body },
      now(),
    );
    res.json({ step });
  });

  router.post('/requests/:key/close', async (req, res) => {
    const creds = await ledgerWriter(req);
    const key = requestKeyParam(req);
    const body = parse(closeBody, req.body);
    // The outputs a replay returns (`previous` of ledger:open) reach the template's output.
    refuseSecrets({ outputs: body.outputs });
    const at = now();
    const closeAudit = (
      result: CloseOutcome,
      closed: RequestRecord,
    ): AuditRecord => ({
      eventId: 'golden-path-step',
      severity: 'medium',
      at,
      requestKey: key,
      record: {
        action: 'goldenpath:ledger:close',
        stepId: 'ledger-close',
        taskId: body.taskId,
        fingerprint: closed.fingerprint,
        result,
        ...(body.errorCode ? { errorCode: body.errorCode } : {}),
      },
    });
    // The close decides in its transaction whether it records (§4.9 ledger:close): a change
    // records its status; a replay's close is recorded as `replayed` (V2), once per task; a close
    // sent again by the same task (a retry after a lost answer, or a duplicate arriving together
    // with the first) records nothing, as a repeated kill-switch PUT. Its `gp_events` record
    // commits with the close (a failed insert fails the close, and its retry records); only the
    // auditor event follows the commit.
    const { request, changed, recorded } = await store.closeRequest(
      { requestKey: key, ...body },
      at,
      (result, closed) => auditEventOf(closeAudit(result, closed)),
    );
    if (recorded) {
      await emitAuditorEvent(options.auditor, {
        ...closeAudit(recorded, request),
        request: req,
      });
    }
    if (changed && request.status === 'succeeded') {
      await announceDeprecation(request, creds);
    }
    res.json({ request });
  });

  /**
   * §7.1: a `deprecate` that succeeded tells the owners of its dependents. Once, when the request
   * first closes as succeeded; a catalog that cannot be read is a warning, never a failed close.
   */
  async function announceDeprecation(
    request: RequestRecord,
    credentials: BackstageCredentials,
  ) {
    const r = request.request;
    if (
      !options.notify ||
      request.kind !== 'lifecycle' ||
      r.transition !== 'deprecate' ||
      typeof r.entity !== 'string'
    ) {
      return;
    }
    try {
      const dependents = await options.lifecycleGates.dependentsOf(
        r.entity,
        credentials,
      );
      const notice =
        dependents &&
        deprecationNotice(
          {
            entityRef: r.entity,
            sunsetOn: typeof r.sunsetOn === 'string' ? r.sunsetOn : undefined,
            replacement:
              typeof r.replacement === 'string' ? r.replacement : undefined,
          },
          dependents,
        );
      if (notice) {
        await options.notify(notice, `${request.requestKey}'s deprecation`);
      }
    } catch (e) {
      options.logger.warn(
        `golden-paths: could not tell the dependents of ${
          r.entity
        } about its deprecation: ${(e as Error).message}`,
      );
    }
  }

  router.post('/requests/:key/approvals', async (req, res) => {
    await ledgerWriter(req);
    const key = requestKeyParam(req);
    const body = parse(approvalOpenBody, req.body);
    // The plan and the trigger reasons are stored with the approval and shown to every approver
    // (inbox, GET /approvals/:id, GET /requests/:key): kept secret-free as request_json is.
    refuseSecrets({ plan: body.plan, triggers: body.triggers });
    const at = now();
    // Asking for an approval is an effect of the step (approvers are asked and told, the request
    // waits, §4.1): a switch thrown after the request opened stops it as it stops a step claim
    // (§4.7), before anything is opened or sent.
    const denial = await switchDenialAtClaim(key, 'approve', body.action, at);
    if (denial) {
      await refuseBySwitch(
        req,
        res,
        key,
        { action: body.action ?? 'goldenpath:approve', stepId: 'approve' },
        denial,
      );
      return;
    }
    const openingAudit = (opened: OpenedApproval): AuditRecord => ({
      eventId: 'golden-path-approval',
      severity: 'high',
      at,
      requestKey: key,
      record: {
        action: 'goldenpath:approve',
        approvalId: opened.approval.id,
        planDigest: body.planDigest,
        triggers: body.triggers.map(t => t.id),
        routes: opened.approval.routes.map(r => r.group),
        // a new round waits; a revived one is approved when its decisions approve it
        decision:
          opened.approval.status === 'approved' ? 'approved' : 'needs-approval',
        ...(opened.revived ? { revived: true } : {}),
        ...(opened.replaces ? { replaces: opened.replaces.id } : {}),
        result: 'started',
      },
    });
    // A new approval, a fresh round after an expired one, or a superseded one current again
    // records; opening it again is answered from what is stored and records nothing, so the
    // record commits with the approval, the others it supersedes and the request's status (a
    // failed write undoes all of it and its retry does it and records it once). Only the
    // auditor event follows the commit.
    // The auditor gets the record the transaction stored, not one rebuilt from a later read.
    let stored: AuditRecord | undefined;
    const { action: _asking, ...approvalInput } = body;
    const state = await approvals.open(
      { requestKey: key, ...approvalInput },
      at,
      opened => auditEventOf((stored = openingAudit(opened))),
    );
    if (state.created || state.revived) {
      if (state.recorded && stored) {
        await emitAuditorEvent(options.auditor, { ...stored, request: req });
      }
      if (state.status === 'pending' && state.approval) {
        await options.notify?.(
          approvalNeeded(state.approval),
          `approval ${state.approval.id}`,
        );
      }
    }
    res.status(state.created ? 201 : 200).json(present(state));
  });

  // ---- reads ----

  /** One page, newest update first; `nextCursor` when more rows follow. */
  router.get('/requests', async (req, res) => {
    await userWith(req, goldenPathsRequestReadPermission);
    const q = parseQuery(requestsQuery, req.query);
    const rows = await store.listRequests({
      status: q.status,
      createdBy: q.createdBy,
      limit: q.limit + 1,
      after: q.cursor ? parseRequestsCursor(q.cursor) : undefined,
    });
    const items = rows.slice(0, q.limit);
    res.json({
      items,
      ...(rows.length > q.limit
        ? { nextCursor: requestsCursor(items[items.length - 1]) }
        : {}),
    });
  });

  router.get('/requests/:key', async (req, res) => {
    await requestReader(req);
    const key = requestKeyParam(req);
    const request = await store.getRequest(key);
    if (!request) throw new NotFoundError(`request "${key}" not found`);
    await approvals.settleDue(now(), key);
    const list = await store.listApprovals({ requestKey: key });
    const decisions = await store.listDecisions(list.map(a => a.id));
    res.json({
      request,
      steps: await store.listSteps(key),
      approvals: list.map(a => ({
        ...a,
        decisions: decisions.filter(d => d.approvalId === a.id),
      })),
      events: await store.listEvents(key),
      // §8 step 4: what the reconciler found different from the ledger and is still open
      drift: await openDrift(store, request),
    });
  });

  // ---- compensation (§8 "Revert") ----

  /**
   * `dryRun` defaults to `true`: a bare POST only shows the plan ("dry run first", §8) and its
   * `planDigest`. A real run (`dryRun=false`) needs a `reason` (≥ 10 characters) for the critical
   * audit record and the `planDigest` of the dry run the operator confirmed: when the plan changed
   * since, it answers 409 before anything acts or is recorded (as an approval binds to one plan
   * digest, §6). A dry run ignores a `planDigest` it is sent.
   */
  router.post('/requests/:key/compensate', async (req, res) => {
    const creds = await userWith(req, goldenPathsRequestCompensatePermission, {
      eventId: 'golden-path-compensation',
      severity: 'critical',
      record: {
        requestKey: req.params.key,
        // as sent, before validation: only a string is kept
        dryRun: typeof req.query.dryRun === 'string' ? req.query.dryRun : null,
      },
    });
    const key = requestKeyParam(req);
    const q = parseQuery(compensateQuery, req.query);
    const body = parse(compensateBody, req.body ?? {});
    // The reason goes to the audit trail and the auditor's log (dry runs included): GP-X01
    // names the field and the kind of secret, never the value.
    refuseSecrets({ reason: body.reason });
    const dryRun = q.dryRun !== 'false';
    if (!dryRun && !body.reason) {
      throw new InputError(
        'reason is required for a real run (dryRun=false): at least 10 characters, recorded in the audit trail',
      );
    }
    if (!dryRun && !body.planDigest) {
      throw new InputError(
        'planDigest is required for a real run (dryRun=false): send the planDigest of the dry run you reviewed (POST /requests/:key/compensate?dryRun=true answers it)',
      );
    }
    const at = now();
    const compensationAudit = (report: CompensationReport): AuditRecord => ({
      eventId: 'golden-path-compensation',
      severity: report.dryRun ? 'low' : 'critical',
      at,
      requestKey: key,
      record: compensationRecord(report, creds, body.reason),
      ...(report.failed > 0 && !report.dryRun
        ? {
            failed: `${report.failed} automated compensation item(s) refused or failed`,
          }
        : {}),
    });
    // A real run on a request that is already compensated changes nothing and records nothing
    // (as a repeated kill-switch PUT), so a real run's record commits with what it records in the
    // ledger (a failed insert rolls that back, and the run sent again records it); only the
    // auditor event follows the commit. A dry run writes nothing and records each time.
    const report = await options.compensation.run({
      requestKey: key,
      dryRun,
      planDigest: dryRun ? undefined : body.planDigest,
      credentials: creds,
      now: at,
      auditOf: acted => auditEventOf(compensationAudit(acted)),
      startedAuditOf: planned =>
        auditEventOf({
          ...compensationAudit(planned),
          record: {
            ...compensationRecord(planned, creds, body.reason),
            result: 'started',
          },
        }),
    });
    if (dryRun) {
      await writeAudit(
        { auditor: options.auditor, store },
        { ...compensationAudit(report), request: req },
      );
    } else if (report.acted) {
      await emitAuditorEvent(options.auditor, {
        ...compensationAudit(report),
        request: req,
      });
    }
    res.json(report);
  });

  // ---- repair state (§8 step 3) ----

  /**
   * The operator marks a step `compensated` or fixes its `effect_ref`, with a reason (audit
   * `critical`). A user action under the compensation permission: repair is step 3 of the same
   * rollback (§8) and the shared conventions list no other permission for it. The same body again
   * changes nothing and records nothing; the last step compensated makes the request
   * `compensated`, as a compensation run does.
   */
  router.post('/requests/:key/steps/:step/repair', async (req, res) => {
    const creds = await userWith(req, goldenPathsRequestCompensatePermission, {
      eventId: 'golden-path-step-repair',
      severity: 'critical',
      record: { requestKey: req.params.key, step: req.params.step },
    });
    const key = requestKeyParam(req);
    const stepId = stepParam(req);
    const body = parse(repairBody, req.body);
    // Reason and effect_ref are written to the audit trail and the auditor's log: GP-X01 names
    // the field and the kind of secret, never the value.
    refuseSecrets({ reason: body.reason, effectRef: body.effectRef });
    const at = now();
    const repairAudit = (repair: StepRepair): AuditRecord => ({
      eventId: 'golden-path-step-repair',
      severity: 'critical',
      at,
      requestKey: key,
      record: repairRecord(repair, creds, body.reason),
    });
    // A change's critical record commits with it: the same body again changes nothing and
    // records nothing, so a record lost after the commit could never be written (a failed insert
    // rolls the repair back and its retry records it). Only the auditor event follows the commit.
    const result = await store.repairStep(
      { requestKey: key, stepId, now: at },
      step => planRepair(key, step, body),
      repair => auditEventOf(repairAudit(repair)),
    );
    if (result.changed) {
      await emitAuditorEvent(options.auditor, {
        ...repairAudit(result),
        request: req,
      });
    }
    res.json({
      changed: result.changed,
      step: result.step,
      request: result.request,
      requestCompensated: result.requestCompensated,
    });
  });

  // ---- approvals inbox and decisions ----

  router.get('/approvals', async (req, res) => {
    const creds = await anyone(req);
    const q = parseQuery(approvalsQuery, req.query);
    const user = userRef(creds);
    // The approvals routed to a group the caller is a member of (directly or via child groups,
    // as `isMember`): the store reads only those, through `gp_approval_routes`. A caller in no
    // group (a service) has an empty inbox and nothing is read.
    const groups =
      user === undefined
        ? []
        : memberGroups(await options.directory.view(), user);
    if (user === undefined || groups.length === 0) {
      res.json({ items: [], truncated: false });
      return;
    }
    // Expired ones leave `pending` before the list is read, whatever status is asked for; in the
    // same read, pending approvals an instance not yet upgraded wrote without route rows get
    // them, so they are read below like the others (none: nothing more is read).
    await approvals.settleDue(now(), q.requestKey);
    // `mine=true` also drops what the caller requested (refs compared lower-cased), so the list
    // is read page by page until it holds up to INBOX_MAX of them, newest first; one more tells
    // whether the answer is cut (`truncated`), so a caller is never shown a part as the whole.
    const mayDecide = (a: ApprovalRecord) =>
      q.mine !== 'true' || refKey(a.requestedBy) !== refKey(user);
    const visible: ApprovalRecord[] = [];
    let after: ApprovalRecord | undefined;
    while (visible.length <= INBOX_MAX) {
      // A full inbox reads a few more rows, not a whole page, to tell whether it is cut.
      const limit = Math.min(
        INBOX_PAGE,
        Math.max(INBOX_MAX + 1 - visible.length, INBOX_PROBE),
      );
      const page = await store.listApprovals({
        status: q.status,
        requestKey: q.requestKey,
        routedTo: groups,
        after,
        limit,
      });
      visible.push(...page.filter(mayDecide));
      if (page.length < limit) break;
      after = page[page.length - 1];
    }
    const truncated = visible.length > INBOX_MAX;
    visible.splice(INBOX_MAX);
    const decisions = await store.listDecisions(visible.map(a => a.id));
    // §6.3: the decision record shows the prior rejections for the key. Read here, with the
    // approvals the caller may see, because approvers need not hold goldenpaths.request.read
    // (GET /requests/:key) and a rejection by another group never reaches their filtered inbox.
    const rejections = await store.listRejections(
      visible.map(a => a.requestKey),
    );
    const mine = new Set(groups.map(refKey));
    res.json({
      truncated,
      items: visible.map(a => ({
        ...a,
        decisions: decisions.filter(d => d.approvalId === a.id),
        // The open routes the caller may decide (a pending approval's routes of their groups
        // nobody decided yet): none once their group decided and the approval waits for others.
        decidableRoutes:
          a.status === 'pending'
            ? a.routes
                .filter(
                  r =>
                    mine.has(refKey(r.group)) &&
                    !decisions.some(
                      d => d.approvalId === a.id && d.route === r.group,
                    ),
                )
                .map(r => r.group)
            : [],
        priorRejections: rejections
          .filter(r => r.requestKey === a.requestKey && r.approvalId !== a.id)
          .map(({ requestKey: _key, ...r }) => r),
      })),
    });
  });

  /**
   * Who may read one approval (plan, request key, requester, triggers, decisions): the ledger
   * writers (the approve step polls it), the requester, members of one of its route groups (as
   * the inbox shows it to them) and users holding `goldenpaths.request.read` (who see it in the
   * request detail anyway). Other services may not: the permission client allows them anything.
   */
  async function mayReadApproval(
    creds: BackstageCredentials,
    approval: ApprovalRecord,
  ): Promise<boolean> {
    const p = creds.principal as { type: string; subject?: string };
    if (p.type === 'service')
      return options.ledgerWriters.includes(p.subject ?? '');
    const user = userRef(creds);
    if (!user) return false;
    if (refKey(approval.requestedBy) === refKey(user)) return true;
    const view = await options.directory.view();
    if (approval.routes.some(r => isMember(view, r.group, user))) return true;
    return allowed(creds, goldenPathsRequestReadPermission);
  }

  /**
   * The approval `id` when the caller may read it (`mayReadApproval`). Someone who may not gets
   * the answer for an unknown id, 404, on every approval route: ids reveal nothing.
   */
  async function readableApproval(
    creds: BackstageCredentials,
    id: string,
  ): Promise<ApprovalRecord> {
    const approval = await store.getApproval(id);
    if (!approval || !(await mayReadApproval(creds, approval)))
      throw new NotFoundError(`approval ${id} not found`);
    return approval;
  }

  router.get('/approvals/:id', async (req, res) => {
    const creds = await anyone(req);
    const approval = await readableApproval(creds, approvalIdParam(req));
    res.json(present(await approvals.describe(approval, now())));
  });

  router.post('/approvals/:id/decisions', async (req, res) => {
    const creds = await httpAuth.credentials(req, { allow: ['user'] });
    const approvalId = approvalIdParam(req);
    const body = parse(decisionBody, req.body);
    // The reason is stored with the decision and written to the audit trail: GP-X01 names the
    // field and the kind of secret, never the value.
    refuseSecrets({ reason: body.reason });
    // Before anything about the approval's state (its decide permission, routes, rejection,
    // digest): whoever may decide it is a member of one of its route groups, so may read it.
    await readableApproval(creds, approvalId);
    const hasDecidePermission = await allowed(
      creds,
      goldenPathsApprovalDecidePermission,
    );
    const decider = userRef(creds)!;
    const at = now();
    const decisionAudit = (
      decision: DecisionRecord,
      a: ApprovalRecord,
    ): AuditRecord => ({
      eventId: 'golden-path-approval-decision',
      severity: decision.breakGlass ? 'critical' : 'high',
      at,
      requestKey: a.requestKey,
      record: {
        action: 'goldenpath:approve',
        approvalId: a.id,
        planDigest: a.planDigest,
        route: decision.route,
        approver: decider,
        decision: decision.decision === 'approve' ? 'approved' : 'rejected',
        breakGlass: decision.breakGlass,
        status: a.status,
        result: 'succeeded',
      },
    });
    let result;
    // The record as written in the decision's transaction. The auditor gets this same record
    // after the commit: rebuilt from the approval read after the commit, it could name a status
    // that a concurrent decision on another route settled meanwhile (gp_events `pending`, the
    // auditor `approved` for one decision).
    let recorded: AuditRecord | undefined;
    try {
      // A stored decision's record commits with it: the same decision again is a repeat that
      // records nothing, so a record lost after the commit could never be written (a failed
      // insert rolls the decision back and its retry records it). Only the auditor event
      // follows the commit.
      result = await approvals.decide(
        {
          approvalId,
          decider,
          hasDecidePermission,
          ...body,
        },
        at,
        (decision, a) => {
          recorded = decisionAudit(decision, a);
          return auditEventOf(recorded);
        },
      );
    } catch (e) {
      const error = e as Error;
      if (error.name === 'NotAllowedError') {
        await audit(req, {
          eventId: 'golden-path-approval-decision',
          severity: 'high',
          record: {
            approvalId,
            approver: decider,
            decision: body.decision,
            result: 'refused',
          },
          failed: error.message,
        });
      }
      throw error;
    }
    if (result.created && recorded) {
      await emitAuditorEvent(options.auditor, { ...recorded, request: req });
    }
    res.status(result.created ? 201 : 200).json({
      decision: result.decision,
      // false: the same decision was recorded already (a retry, a second click)
      created: result.created,
      ...present(result.state),
    });
  });

  // ---- kill switches (§4.7) ----

  router.get('/kill-switches', async (req, res) => {
    await anyone(req);
    parseQuery(NO_QUERY, req.query);
    // a malformed reloaded config is named in `configError`, with the runtime switches listed
    res.json(await killSwitches.operatorView(now()));
  });

  /**
   * §4.7: the last dry run of the golden paths the switch covers, shown to the operator who
   * lifts it (who SHOULD run one first). Same permission as changing the switch; the dry runs'
   * request-level fields also need goldenpaths.request.read.
   */
  router.get('/kill-switches/:scope/:id/last-dry-run', async (req, res) => {
    const creds = await userWith(req, goldenPathsKillSwitchManagePermission);
    const scope = parse(
      z.object({ scope: oneOf('scope', ['all', 'template', 'action']) }),
      { scope: req.params.scope },
    ).scope;
    if (scope === 'all' && req.params.id !== 'all') {
      throw new InputError(
        `id must be "all" for the all scope (GET /kill-switches/all/all/last-dry-run)`,
      );
    }
    const id = scope === 'all' ? 'all' : killSwitchId(scope, req.params.id);
    // Who ran a dry run, its task, request key, fingerprint and plan digest are the request's,
    // which GET /requests/:key shows only with goldenpaths.request.read: an operator without it
    // sees when, template and outcome, and the answer says what was left out.
    res.json(
      await options.lastDryRuns.forSwitch(scope, id, now(), {
        requestDetails: await allowed(creds, goldenPathsRequestReadPermission),
      }),
    );
  });

  router.put('/kill-switches/:scope/:id', async (req, res) => {
    const creds = await userWith(req, goldenPathsKillSwitchManagePermission, {
      eventId: 'golden-path-kill-switch',
      severity: 'critical',
      record: {
        scope: req.params.scope,
        id: req.params.id,
        // as sent, before validation: only a boolean is kept
        disabled:
          typeof req.body?.disabled === 'boolean' ? req.body.disabled : null,
      },
    });
    const scope = parse(
      z.object({ scope: oneOf('scope', ['all', 'template', 'action']) }),
      { scope: req.params.scope },
    ).scope;
    const body = parse(killSwitchBody, req.body);
    // The reason is stored, shown to every requester in GP-K01/K02/K03 and audited: GP-X01
    // names the field and the kind of secret, never the value.
    refuseSecrets({ reason: body.reason });
    const at = now();
    // `all` has one switch: any other id would still throw the switch of every golden path
    // (`all/service-node-http` is not the template's switch), so it is refused.
    if (scope === 'all' && req.params.id !== 'all') {
      throw new InputError(
        `id must be "all" for the all scope (PUT /kill-switches/all/all switches off every golden path); to switch off one template or action use /kill-switches/template/<name> or /kill-switches/action/<id>`,
      );
    }
    const id = scope === 'all' ? 'all' : killSwitchId(scope, req.params.id);
    // A change's critical record commits with the switch (a failed insert leaves the switch as it
    // was, so a retry changes and records it); only the auditor event follows the commit.
    const switchAudit: AuditRecord = {
      eventId: 'golden-path-kill-switch',
      severity: 'critical',
      at,
      record: {
        scope,
        id,
        disabled: body.disabled,
        reason: body.reason,
        until: body.until,
        actor: actorOf(creds),
      },
    };
    const changed = await store.putKillSwitch(
      {
        scope,
        id,
        disabled: body.disabled,
        reason: body.reason,
        setBy: actorOf(creds),
        setAt: at,
        until: body.until,
      },
      () => {
        // A switch that ends before it is set would be stored and never take effect. Checked
        // only for a change: the same state sent again (a retry after `until` passed) is the
        // no-op below, not a refusal.
        if (body.until && Date.parse(body.until) <= Date.parse(at)) {
          throw new InputError(
            `until must be in the future (got ${body.until}, now ${at}); leave it out for a switch without an end`,
          );
        }
      },
      auditEventOf(switchAudit),
    );
    // The same state again changes nothing, so it records nothing: no second critical event,
    // and GP-K01/K02 keep saying since when (and by whom) the switch is really off.
    // The row is stored by now: a malformed reloaded config must not turn the answer into a 500
    // (the operator would think the switch was not set), so it is named in `configError`.
    if (!changed) {
      res.json(await killSwitches.operatorView(at));
      return;
    }
    await emitAuditorEvent(options.auditor, { ...switchAudit, request: req });
    res.json(await killSwitches.operatorView(at));
  });

  // ---- lifecycle gates (§4.8, §7) ----

  router.get('/lifecycle/gates', async (req, res) => {
    const credentials = await anyone(req);
    const q = parseQuery(lifecycleGatesQuery, req.query);
    res.json(
      await options.lifecycleGates.evaluate({ ...q, credentials }, now()),
    );
  });

  router.use(jsonErrorHandler({ logger: options.logger }));
  return router;
}

const EFFECT_RESULT: Record<string, string> = {
  would: 'would',
  compensated: 'compensated',
  failed: 'failed',
  refused: 'failed',
};

/** The audit record (§4.5) of one compensation: plan items with results, never request values. */
function compensationRecord(
  report: CompensationReport,
  creds: BackstageCredentials,
  reason: string | undefined,
): Record<string, unknown> {
  let result = 'compensated';
  if (report.dryRun || report.empty) result = 'skipped';
  else if (report.failed > 0) result = 'failed';
  return {
    action: 'goldenpath:compensate',
    stepId: 'compensate',
    actor: { userRef: actorOf(creds), via: 'api' },
    executionIdentity: 'plugin:golden-paths',
    dryRun: report.dryRun,
    planDigest: report.planDigest,
    ...(reason ? { reason } : {}),
    statusBefore: report.statusBefore,
    status: report.status,
    abandoned: report.abandoned,
    targets: report.items.flatMap(i => (i.target ? [i.target] : [])),
    effects: report.items.map(i => ({
      type: `${i.action}:${i.plan}`,
      target: i.target ?? i.stepId,
      result: EFFECT_RESULT[i.result] ?? 'skipped',
    })),
    items: report.items.map(i => ({
      stepId: i.stepId,
      action: i.action,
      class: i.class,
      plan: i.plan,
      automated: i.automated,
      result: i.result,
      ...(i.target ? { target: i.target } : {}),
      ...(i.detail ? { detail: i.detail } : {}),
    })),
    result,
  };
}

/** The audit record (§4.5) of one repair: the step before and after, the reason, the request. */
function repairRecord(
  result: StepRepair,
  creds: BackstageCredentials,
  reason: string,
): Record<string, unknown> {
  const { before, step, request } = result;
  const refOf = (s: StepRecord) =>
    s.effectRef ? { effectRef: s.effectRef } : {};
  return {
    action: 'goldenpath:repair',
    stepId: step.stepId,
    stepAction: stepAction(before),
    actor: { userRef: actorOf(creds), via: 'api' },
    executionIdentity: 'plugin:golden-paths',
    reason,
    before: { status: before.status, ...refOf(before) },
    after: { status: step.status, ...refOf(step) },
    requestStatusBefore: result.requestBefore.status,
    requestStatus: request.status,
    ...(result.approvalsSuperseded.length
      ? { approvalsSuperseded: result.approvalsSuperseded }
      : {}),
    targets: [
      ...new Set(
        [before.effectRef, step.effectRef].filter((r): r is string => !!r),
      ),
    ],
    effects: [
      ...(before.status !== step.status
        ? [{ type: 'step.status', target: step.stepId, result: 'done' }]
        : []),
      ...(before.effectRef !== step.effectRef
        ? [{ type: 'step.effect-ref', target: step.stepId, result: 'done' }]
        : []),
      ...(result.requestCompensated
        ? [
            {
              type: 'request.status',
              target: request.requestKey,
              result: 'compensated',
            },
          ]
        : []),
    ],
    result: 'succeeded',
  };
}

function present(state: ApprovalState) {
  return {
    status: state.status,
    approval: state.approval
      ? { ...state.approval, decisions: state.decisions }
      : undefined,
    message: state.message,
    ruleId: state.ruleId,
    errors: state.errors,
  };
}
