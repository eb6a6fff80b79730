import { campaignsOf, evidenceHealthOf } from './entityScorecardExtras';
import {
  AuditorService,
  AuditorServiceCreateEventOptions,
  AuditorServiceEventSeverityLevel,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsRegistryService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  Campaign,
  CatalogIndex,
  CompiledStandard,
  SCORED_KINDS,
  RestrictedWaiver,
  WAIVER_KINDS,
  WAIVER_STATUSES,
  Waiver,
  computeCampaignProgress,
  computeRollups,
  decideGate,
  entityRefOf,
  isWaiverRequester,
  wasWithdrawn,
  normalizeEntityRef,
  rollupRowsToCsv,
  scorecardsCampaignManagePermission,
  scorecardsWaiverApprovePermission,
  scorecardsWaiverCreatePermission,
  scorecardsWaiverRevokePermission,
  validateWaiverApproval,
  validateWaiverRequest,
  waiverStatusAt,
} from '@internal/plugin-scorecards-common';
import { deniedEntityReads } from '@internal/plugin-evidence-node';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ScorecardsStore, WaiverPosition } from '../database/ScorecardsStore';
import { CatalogSnapshot, inCatalog } from '../evaluation/CatalogSnapshot';
import {
  ScorecardsEvaluator,
  campaignEntities,
} from '../evaluation/ScorecardsEvaluator';
import {
  CheckPermissionResource,
  ownsCheck,
  scorecardsCheckResourceRef,
} from '../permissions/checkRules';
import {
  DEFAULT_GATE_READINESS,
  GateReadinessConfig,
  UPHELD_DISPUTE_WINDOW_MS,
  summarizeChecks,
} from './checkSummaries';
import { YAML_CONTENT_TYPES, parseEvaluateRequest } from './evaluateBody';
import {
  fullRef,
  isIsoDate,
  isIsoInstant,
  isoTime,
  jsonErrorHandler,
  oneOf,
  parse,
  NO_QUERY,
  parseQuery,
  shown,
  stringError,
  jsonObjectBody,
  decodePairCursor,
  encodePairCursor,
  hasNul,
  isUniqueViolation,
  storableText,
  withoutNul,
} from '@internal/suite-node';
import { decisionBody, strictBody } from './validation';
import { ancestorChains, rollupGroupsOf } from './rollupAncestors';
import { createInternalResultsRouter } from './internalResultsRouter';
import { rollupEntriesOf } from './rollupEntries';
import { rollupEntityFilter, rollupFilterFields } from './rollupFilters';
import { addRollupHistoryRoute } from '../history/rollupHistoryRoute';
import { RollupSnapshotStore } from '../history/RollupSnapshotStore';
import {
  levelRowBefore,
  levelTrendAsOf,
  outageDropInEffect,
} from '../history/levelTrend';
import {
  rollupExpiringWithinDays,
  waiverExpiryWarningDays,
} from './waiverExpiryWarning';

/** Dependencies of the scorecards HTTP API. */
export interface RouterOptions {
  store: ScorecardsStore;
  evaluator: ScorecardsEvaluator;
  snapshot: CatalogSnapshot;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  permissionsRegistry: PermissionsRegistryService;
  userInfo: UserInfoService;
  logger: LoggerService;
  /** Writes the break-glass audit events of `GET /gate` (SR29) and every waiver write. */
  auditor: AuditorService;
  clock: () => Date;
  /** `scorecards.gates`: default `gateOnUnknown` and gate-readiness thresholds (§2.4, §7.6). */
  gates?: { unknown: 'warn' | 'block'; readiness: GateReadinessConfig };
}

const DAY_MS = 86400000;
/** Days of transitions the entity route reads: its 90-day trend, with a day to spare. */
const CARD_HISTORY_DAYS = 91;

const waiverBody = strictBody({
  entityRef: fullRef('entityRef'),
  // Stored in text columns and compared on a retry: no U+0000 (PostgreSQL refuses it), no lone
  // surrogate (stored as U+FFFD).
  checkId: storableText(
    'checkId',
    z.string({ error: stringError('checkId') }).min(1, 'checkId is required'),
  ),
  kind: oneOf('kind', WAIVER_KINDS),
  reason: storableText(
    'reason',
    z
      .string({ error: stringError('reason') })
      .max(2000, 'reason must be at most 2000 characters'),
  ),
  expiresAt: isoTime('expiresAt').optional(),
  owner: fullRef('owner').optional(),
  ticket: storableText(
    'ticket',
    z
      .string({ error: stringError('ticket') })
      .max(2048, 'ticket must be at most 2048 characters'),
  ).optional(),
});

const levelId = (field: string) => oneOf(field, ['L0', 'L1', 'L2', 'L3']);

/** `GET /campaigns`: `fields=summary` asks for each campaign's totals alone (ours). */
const CAMPAIGNS_QUERY = z.strictObject({
  fields: oneOf('fields', ['summary']).optional(),
});

/** `GET /checks`: `fields=definition` asks for the definitions alone (ours). */
const CHECKS_QUERY = z.strictObject({
  fields: oneOf('fields', ['definition']).optional(),
});

/** C0 controls and DEL: not in a one-line text. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/** A service tier of a campaign selector: the numbers of the `ops.example.com/tier` label. */
const selectorTier = z.literal([1, 2, 3], {
  error: iss =>
    `selector.tiers[] must be one of the numbers 1, 2, 3 (got ${shown(
      iss.input,
    )})`,
});
const campaignBody = strictBody({
  id: z
    .string({ error: stringError('id') })
    .regex(
      /^[a-z0-9][a-z0-9-]{0,62}$/,
      'id must be kebab-case, at most 63 characters',
    )
    .optional(),
  title: storableText(
    'title',
    z
      .string({ error: stringError('title') })
      .max(200, 'title must be at most 200 characters')
      .refine(v => v.trim() !== '', 'title must not be blank')
      // One line of text: a control character (U+0000 among them, which PostgreSQL refuses)
      // would break the page's heading and the CSV export.
      .refine(v => !CONTROL_CHARACTER.test(v), {
        error: 'title must be one line of text, without control characters',
      }),
  ),
  owner: fullRef('owner'),
  brief: storableText(
    'brief',
    z
      .string({ error: stringError('brief') })
      .max(20_000, 'brief must be at most 20000 characters'),
  ).default(''),
  selector: z
    .object({
      // Only scored kinds can reach a level: any other kind would select nothing, silently.
      kinds: z.array(oneOf('selector.kinds[]', SCORED_KINDS)).optional(),
      types: z.array(z.string()).optional(),
      lifecycles: z.array(z.string()).optional(),
      tiers: z.array(selectorTier).optional(),
      owners: z.array(fullRef('selector.owners[]')).optional(),
      systems: z.array(fullRef('selector.systems[]')).optional(),
      domains: z.array(fullRef('selector.domains[]')).optional(),
    })
    .strict()
    .default({}),
  goal: z.union(
    [
      z.object({ level: levelId('goal.level') }).strict(),
      z
        .object({
          checks: z.array(z.string()).min(1, 'goal.checks must not be empty'),
        })
        .strict(),
    ],
    {
      // The branch the body chose says what to fix (`goal.level must be one of L0, L1, L2, L3
      // (got "L9")`); only a goal with neither key gets the general shape.
      error: iss => {
        const input = iss.input;
        const keys =
          input && typeof input === 'object'
            ? ['level', 'checks'].filter(key => key in input)
            : [];
        // one shape chosen: its own first issue, unless that is a key of the other shape
        const branch =
          keys.length === 1 ? ['level', 'checks'].indexOf(keys[0]) : -1;
        const inner = (
          iss as { errors?: { message: string; code?: string }[][] }
        ).errors?.[branch]?.[0];
        return inner && inner.code !== 'unrecognized_keys'
          ? inner.message
          : 'goal must be { level } or { checks }';
      },
    },
  ),
  startsAt: isoTime('startsAt'),
  dueAt: isoTime('dueAt'),
  state: oneOf('state', ['draft', 'active', 'ended']).default('active'),
});

const gateQuery = z.object({
  entityRef: fullRef('entityRef'),
  stage: oneOf('stage', ['deploy', 'create']),
  breakGlass: z
    .string({
      error: iss =>
        `breakGlass must be one incident id or link (got ${JSON.stringify(
          iss.input,
        )})`,
    })
    .regex(/^\S{1,256}$/, {
      error: iss =>
        `breakGlass must be an incident id or link without spaces, at most 256 characters, e.g. INC-123 (got ${JSON.stringify(
          iss.input,
        )})`,
    })
    .optional(),
  breakGlassReason: z
    .string({ error: 'breakGlassReason must be one string' })
    .max(1000, 'breakGlassReason must be at most 1000 characters')
    .optional(),
});

/**
 * A bound of `GET /entities/…/history`: an ISO-8601 instant with a zone, or a UTC date
 * `YYYY-MM-DD` as `GET /rollups/history` takes — for `from` the first instant of that day, for
 * `to` its last (`T23:59:59.999Z`), since `to` is inclusive: `from=2026-03-01&to=2026-03-01`
 * is that whole day.
 */
const historyBound = (field: 'from' | 'to') =>
  z
    .string({ error: stringError(field) })
    .refine(v => isIsoDate(v) || isIsoInstant(v), {
      error: iss =>
        `${field} must be a date YYYY-MM-DD or an ISO-8601 UTC timestamp (got ${shown(
          iss.input,
        )})`,
    })
    .transform(v => {
      if (!isIsoDate(v)) return new Date(v).toISOString();
      return `${v}T${field === 'from' ? '00:00:00.000' : '23:59:59.999'}Z`;
    });

const historyQuery = z
  .object({
    from: historyBound('from').optional(),
    to: historyBound('to').optional(),
    checkId: withoutNul('checkId', z.string()).optional(),
  })
  .refine(q => !q.from || !q.to || q.from <= q.to, {
    error: iss => {
      const q = iss.input as { from: string; to: string };
      return `from must not be after to (got from=${q.from}, to=${q.to})`;
    },
  });
const rollupQuery = z
  .object({
    groupBy: oneOf('groupBy', ['owner', 'system', 'domain']).default('owner'),
    format: oneOf('format', ['json', 'csv']).default('json'),
    // ours: `summary` leaves out each row's per-check counts (4.1 MB of 4.6 for 1,000 systems
    // under 49 checks, measured), which the rollups page does not show
    fields: oneOf('fields', ['summary']).optional(),
    includeChildGroups: oneOf('includeChildGroups', ['true', 'false'])
      .optional()
      .transform(v => v === 'true'),
    ...rollupFilterFields,
  })
  .refine(q => !q.includeChildGroups || q.groupBy === 'owner', {
    error: 'includeChildGroups=true applies to groupBy=owner only',
    path: ['includeChildGroups'],
  });
const decisionBodies = {
  approve: decisionBody('approve'),
  reject: decisionBody('reject'),
  revoke: decisionBody('revoke'),
};

/** Page size of `GET /waivers` when only `cursor` is given, and the largest `limit`. */
const WAIVER_PAGE_DEFAULT = 100;
const WAIVER_PAGE_MAX = 500;

const waiverQuery = z.object({
  entityRef: fullRef('entityRef').optional(),
  checkId: withoutNul('checkId', z.string()).optional(),
  status: oneOf('status', WAIVER_STATUSES).optional(),
  limit: z
    .string()
    .refine(
      v =>
        /^\d{1,3}$/.test(v) && Number(v) >= 1 && Number(v) <= WAIVER_PAGE_MAX,
      {
        error: iss =>
          `limit must be an integer between 1 and ${WAIVER_PAGE_MAX} (got ${JSON.stringify(
            iss.input,
          )})`,
      },
    )
    .transform(Number)
    .optional(),
  cursor: z.string().optional(),
});

/** The stored statuses a derived status can come from (a waiver's status is derived at read). */
const STORED_STATUSES: Partial<Record<Waiver['status'], string[]>> = {
  pending: ['pending'],
  active: ['active'],
  rejected: ['rejected'],
  expired: ['pending', 'active', 'expired'],
  // revoked: any row whose revokedAt has passed
};

/**
 * The `:id` of a waiver or campaign route. No id holds U+0000 and PostgreSQL refuses it in a
 * lookup, so one is a 400 naming the parameter, not a 500.
 */
function idParam(req: Request): string {
  const id = req.params.id;
  if (hasNul(id)) {
    throw new InputError('id must not contain NUL characters (U+0000)');
  }
  return id;
}

/** `nextCursor` of `GET /waivers`: the position of a page's last waiver, opaque to clients. */
function waiverCursor(w: Waiver): string {
  return encodePairCursor(w.createdAt, w.id);
}

function parseWaiverCursor(cursor: string): WaiverPosition {
  const [createdAt, id] = decodePairCursor(
    cursor,
    'GET /waivers',
    undefined,
    isIsoInstant,
  );
  return { createdAt, id };
}

/** What a waiver write answers a caller who may not read the waiver's entity. */
function restrictedWaiver(waiver: Waiver): RestrictedWaiver {
  const { id, checkId, kind, status } = waiver;
  return { id, checkId, kind, status, restricted: true };
}

/** A waiver with its status as of `nowMs` (what every waiver route answers). */
function withStatusAt(waiver: Waiver, nowMs: number): Waiver {
  return { ...waiver, status: waiverStatusAt(waiver, nowMs) };
}

/**
 * The id of a campaign posted without one: the title as kebab-case (≤ 54 characters) and 8 hex
 * of the SHA-256 of the whole normalized campaign, so a retry of the same request names the
 * same campaign (200) and another campaign under the same title gets another id.
 */
export function derivedCampaignId(campaign: Omit<Campaign, 'id'>): string {
  const slug =
    campaign.title
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+/, '')
      .slice(0, 54)
      .replace(/-+$/, '') || 'campaign';
  const hash = createHash('sha256')
    .update(JSON.stringify(campaign))
    .digest('hex')
    .slice(0, 8);
  return `${slug}-${hash}`;
}

function userRef(credentials: BackstageCredentials): string {
  const p = credentials.principal as { type: string; userEntityRef?: string };
  if (p.type !== 'user' || !p.userEntityRef)
    throw new NotAllowedError('this action needs a user');
  return p.userEntityRef;
}

/** Who acts, as waivers and audit events name them: a user ref, or a service's subject. */
function actorRef(credentials: BackstageCredentials): string {
  const p = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (p.type === 'user' && p.userEntityRef) return p.userEntityRef;
  if (p.type === 'service' && p.subject) return p.subject;
  return p.type;
}

/**
 * Whether the caller withdraws their own request, which needs no `scorecards.waiver.revoke`:
 * a user (a service's subject is whatever its token config says, so a service never withdraws)
 * who requested a waiver that is still pending — it waives nothing, and left alone it would sit
 * in the approvers' queue until someone rejects it — or who withdrew it already (the repeat is
 * answered as it is). A waiver someone else revoked, rejected or approved is not theirs to end
 * or to answer for without the permission.
 */
function withdrawsOwnRequest(
  credentials: BackstageCredentials,
  waiver: Waiver,
): boolean {
  const p = credentials.principal as { type: string; userEntityRef?: string };
  if (p.type !== 'user' || !p.userEntityRef) return false;
  if (!isWaiverRequester(waiver, p.userEntityRef)) return false;
  return waiver.status === 'pending' || wasWithdrawn(waiver);
}

type AuditMeta = NonNullable<AuditorServiceCreateEventOptions['meta']>;

/** What every waiver audit event says about the waiver (never tokens or headers). */
function waiverAuditMeta(
  waiver: Pick<Waiver, 'id' | 'entityRef' | 'checkId' | 'kind'> &
    Partial<Pick<Waiver, 'status'>>,
  decision: 'request' | 'approve' | 'reject' | 'revoke',
  reason: string | undefined,
  by: string,
): AuditMeta {
  return {
    waiverId: waiver.id,
    entityRef: waiver.entityRef,
    checkId: waiver.checkId,
    kind: waiver.kind,
    decision,
    reason: reason ?? null,
    by,
    ...(waiver.status ? { fromStatus: waiver.status } : {}),
  };
}

/** Pending and active waivers, plus those that ended in the last 30 days (§7.4). */
function recentWaivers(waivers: readonly Waiver[], at: string): Waiver[] {
  const nowMs = Date.parse(at);
  return waivers
    .map(w => withStatusAt(w, nowMs))
    .filter(
      w =>
        w.status === 'pending' ||
        w.status === 'active' ||
        nowMs - Date.parse(w.revokedAt ?? w.expiresAt) <= 30 * DAY_MS,
    );
}

/** The standard as the gate reads it: checks without their own `gateOnUnknown` take the configured one. */
function withGateOnUnknown(
  standard: CompiledStandard,
  unknown: 'warn' | 'block',
): CompiledStandard {
  if (unknown === 'warn') return standard;
  const checks = standard.checks.map(c =>
    c.definition.gateOnUnknown ? c : { ...c, gateOnUnknown: unknown },
  );
  return { ...standard, checks, byId: new Map(checks.map(c => [c.id, c])) };
}

/**
 * The oldest catalog snapshot an evaluation on request reads (§2.5: the catalog copy is at most
 * 60 s old). A request that finds it older reads the catalog again and waits for it (one read
 * at a time, shared by concurrent requests); initScorecards' local task
 * (`SNAPSHOT_REFRESH_TASK_ID`, every 45 s) keeps it younger, so that wait is rare.
 */
const SNAPSHOT_MAX_AGE_SECONDS = 60;

/** Creates the `/api/scorecards` router (§7.4); every route goes through httpAuth. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { store, evaluator, snapshot, httpAuth, permissions, clock } = options;
  const router = Router();
  router.use(createInternalResultsRouter(options)); // before the 1 MB parser: batches are larger
  // `POST /evaluate` also reads YAML (its own parser, below); every other route takes JSON only
  // (a YAML body there would reach the route as no body: an approval without its reason).
  const jsonOnlyBody = Router();
  jsonOnlyBody.use(jsonObjectBody({ limit: '1mb' }));
  const evaluateBody = jsonObjectBody({
    limit: '1mb',
    alsoAccept: {
      types: YAML_CONTENT_TYPES,
      named: 'application/json, application/yaml or text/yaml',
    },
  });
  // Marked as read, so the JSON-only parser below leaves it alone however express matched the
  // path (`/evaluate/`, `/Evaluate`).
  const markBodyRead: express.RequestHandler = (_req, res, next) => {
    res.locals.bodyRead = true;
    next();
  };
  router.use('/evaluate', evaluateBody, markBodyRead);
  router.use((req, res, next) =>
    res.locals.bodyRead ? next() : jsonOnlyBody(req, res, next),
  );
  const now = () => clock().toISOString();
  const gates = options.gates ?? {
    unknown: 'warn',
    readiness: DEFAULT_GATE_READINESS,
  };
  const gateStandard = withGateOnUnknown(evaluator.standard, gates.unknown);
  // Evaluations on request read a snapshot at most 60 s old (§2.5), or half the freshness
  // window if that is shorter, so a quiet scheduler does not
  // turn catalog checks unknown (SR23) and `catalogLabel` says what the catalog carries: with
  // half the window (300 s) the card showed `none` for minutes after the catalog stamped a level.
  const freshSnapshot = () =>
    snapshot.getFresh(
      Math.min(
        SNAPSHOT_MAX_AGE_SECONDS,
        evaluator.standard.config.catalogFreshForSeconds / 2,
      ),
    );
  /**
   * `freshSnapshot`, read again once (at most every 5 s) when it does not hold `ref`: a
   * just-created entity (e.g. by a golden path) is not in a snapshot taken before it.
   */
  const snapshotHolding = async (ref: string) => {
    const snap = await freshSnapshot();
    return snap.byRef.has(ref) ? snap : snapshot.getFresh(5);
  };
  const expiryWarningDays = waiverExpiryWarningDays(evaluator.standard.config);
  const rollupExpiringWindow = rollupExpiringWithinDays(
    evaluator.standard.config,
  );
  /** What the entity route and `POST /evaluate` answer about waivers besides the waivers. */
  const waiverThresholds = {
    waiverExpiryWarningDays: expiryWarningDays,
    // The false-positive cap the request dialog holds an expiry to before sending (§2.8).
    waiverFalsePositiveMaxDays:
      evaluator.standard.config.waivers.falsePositiveMaxDays,
  };

  const credentials = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  /**
   * A snapshot that holds the entities of `rows` whose results were stored after it was taken:
   * the catalog module posts a new entity's results before the next scheduled refresh, and
   * rollups and campaigns would otherwise count it under no owner, System or Domain. Rows of
   * entities gone from the catalog (stored before the snapshot) cause no re-read; at most one
   * re-read per 5 s.
   */
  async function snapshotCovering(
    rows: readonly { entityRef: string; changedAt: string }[],
  ) {
    const snap = await snapshot.get();
    const takenAt = snap.index.refreshedAtMs;
    const behind = rows.some(
      r => !snap.byRef.has(r.entityRef) && Date.parse(r.changedAt) >= takenAt,
    );
    return behind ? snapshot.getFresh(5) : snap;
  }

  /** The stored latest rows of entities still in the catalog, and the snapshot that says so. */
  async function latestInCatalog() {
    const latest = await store.listLatestSummaries();
    const snap = await snapshotCovering(latest);
    return { latest: latest.filter(row => inCatalog(snap, row)), snap };
  }

  /**
   * Runs a waiver write inside an audit event: `initiated` before anything is checked or
   * written, then `succeeded` or `failed` (403, 404, 409, … with the error). The answer waits
   * for the record; if the auditor cannot record the start, nothing is written.
   */
  async function audited<T>(
    req: Request,
    eventId: string,
    severityLevel: AuditorServiceEventSeverityLevel,
    meta: AuditMeta,
    fn: () => Promise<{ value: T; meta?: AuditMeta }>,
  ): Promise<T> {
    const event = await options.auditor.createEvent({
      eventId,
      severityLevel,
      request: req,
      meta,
    });
    let out: { value: T; meta?: AuditMeta };
    try {
      out = await fn();
    } catch (error) {
      await event
        .fail({
          error: error instanceof Error ? error : new Error(String(error)),
        })
        .catch(auditError =>
          options.logger.error(
            `scorecards: could not record the failure of ${eventId} for ${
              meta.campaignId !== undefined
                ? `campaign ${String(meta.campaignId)}`
                : `waiver ${String(meta.waiverId ?? '(new)')}`
            }`,
            auditError,
          ),
        );
      throw error;
    }
    await event.success(out.meta ? { meta: out.meta } : undefined);
    return out.value;
  }

  async function requireAllowed(
    req: Request,
    permission: BasicPermission | ResourcePermission,
    resourceRef?: string,
  ): Promise<BackstageCredentials> {
    return authorize(await credentials(req), permission, resourceRef);
  }

  /** Those of `refs` the caller may not read (`catalog.entity.read`), in one request. */
  async function unreadable(
    creds: BackstageCredentials,
    refs: string[],
  ): Promise<Set<string>> {
    if (refs.length === 0) return new Set();
    const decisions = await permissions.authorize(
      refs.map(resourceRef => ({
        permission: catalogEntityReadPermission,
        resourceRef,
      })),
      { credentials: creds },
    );
    return new Set(
      refs.filter((_, i) => decisions[i].result !== AuthorizeResult.ALLOW),
    );
  }

  async function authorize(
    creds: BackstageCredentials,
    permission: BasicPermission | ResourcePermission,
    resourceRef?: string,
  ): Promise<BackstageCredentials> {
    const [decision] = await permissions.authorize(
      [
        resourceRef
          ? { permission: permission as ResourcePermission, resourceRef }
          : { permission: permission as BasicPermission },
      ],
      { credentials: creds },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `${permission.name} is not allowed${
          resourceRef ? ` on ${resourceRef}` : ''
        }`,
      );
    }
    return creds;
  }

  async function readableEntity(req: Request, ref: string) {
    await requireAllowed(req, catalogEntityReadPermission, ref);
    const snap = await snapshotHolding(ref);
    const entity = snap.byRef.get(ref);
    if (!entity) throw new NotFoundError(`entity ${ref} is not in the catalog`);
    return { entity, snap };
  }

  /**
   * The catalog entity `ref` for a caller who may read it, re-reading the catalog once when the
   * snapshot does not hold it (a just-created entity), as `readableEntity` does; 404
   * `entity x is not in the catalog` when it is not there or the caller may not read it — the
   * same answer, so a write route never tells an unreadable entity exists.
   */
  async function catalogEntity(ref: string, creds: BackstageCredentials) {
    const notFound = new NotFoundError(`entity ${ref} is not in the catalog`);
    const [decision] = await permissions.authorize(
      [{ permission: catalogEntityReadPermission, resourceRef: ref }],
      { credentials: creds },
    );
    if (decision.result !== AuthorizeResult.ALLOW) throw notFound;
    const entity = (await snapshotHolding(ref)).byRef.get(ref);
    if (!entity) throw notFound;
    return entity;
  }

  /** Whether `ref` is a Group of the catalog (read again once before saying no). */
  async function isCatalogGroup(ref: string): Promise<boolean> {
    if (!ref.startsWith('group:')) return false;
    if ((await snapshot.get()).byRef.has(ref)) return true;
    return (await snapshot.getFresh(5)).byRef.has(ref);
  }

  const entityRefParam = (req: Request) =>
    `${req.params.kind}:${req.params.namespace}/${req.params.name}`.toLowerCase();

  router.get('/entities/:kind/:namespace/:name', async (req, res) => {
    const ref = entityRefParam(req);
    const { entity, snap } = await readableEntity(req, ref);
    const at = now();
    const { evaluation, sourceHealth, firstSeenAt } =
      await evaluator.evaluateDetailed(entity, at, snap);
    if (!evaluation.scored) {
      res.json(evaluation);
      return;
    }
    const [waivers, transitions, campaigns, latest] = await Promise.all([
      store.listWaivers({ entityRef: ref }),
      // what the card shows: the 90-day trend (the first level row in it says, by its `from`,
      // the level before it) and 14 days of regressions; every row kept (two years) was read
      store.listTransitions({
        entityRef: ref,
        from: new Date(
          Date.parse(at) - CARD_HISTORY_DAYS * DAY_MS,
        ).toISOString(),
      }),
      store.listCampaigns(),
      store.getLatest(ref),
    ]);
    const nowMs = Date.parse(at);
    // Past days are the stored history's, as `GET …/history` gives them: with no level row, the
    // stored level held every day since the first evaluation. Only today shows this evaluation
    // (the badge's level), which the history records at the next pass or post. Days before the
    // first evaluation are not-rated: nobody measured them.
    const trend = levelTrendAsOf(
      transitions,
      latest?.snapshot.level ?? evaluation.level,
      at,
      firstSeenAt,
    );
    if (trend.length > 0) {
      trend[trend.length - 1] = {
        ...trend[trend.length - 1],
        level: evaluation.level,
      };
    }
    res.json({
      ...evaluation,
      waivers: recentWaivers(waivers, at),
      ...waiverThresholds,
      trend,
      regressions: transitions.filter(
        t => t.regression && nowMs - Date.parse(t.at) <= 14 * DAY_MS,
      ),
      evidenceHealth: evidenceHealthOf(evaluation, sourceHealth),
      campaigns: campaignsOf(
        campaignEntities([evaluation], snap)[0],
        campaigns,
        at,
      ),
      catalogLabel:
        entity.metadata.labels?.['ops.example.com/maturity-level'] ?? null,
    });
  });

  router.get('/entities/:kind/:namespace/:name/history', async (req, res) => {
    const ref = entityRefParam(req);
    const query = parseQuery(historyQuery, req.query);
    await readableEntity(req, ref);
    // from, to and checkId select the transitions returned; the level trend is the entity's
    // as of `to`, from all its level rows (they have no checkId, and the level at `to` may be
    // told only by a row after it). With `from`, `levelInEffect` is the level row before it:
    // the cause of the level the range starts with (e.g. an outage that began earlier), and
    // `outageInEffect` the outage drop still lowering the level then, also when a partial
    // recovery of another cause came after it (the trend hatches from its first day).
    const [transitions, levelRows, latest] = await Promise.all([
      store.listTransitions({ entityRef: ref, ...query }),
      store.listTransitions({ entityRef: ref, levelsOnly: true }),
      store.getLatest(ref),
    ]);
    const at = query.to ?? now();
    res.json({
      ...(query.from && {
        levelInEffect: levelRowBefore(levelRows, query.from),
        outageInEffect: outageDropInEffect(levelRows, query.from),
      }),
      levels: latest
        ? levelTrendAsOf(
            levelRows,
            latest.snapshot.level,
            at,
            latest.firstSeenAt,
          )
        : [],
      transitions,
    });
  });

  router.get('/rollups', async (req, res) => {
    const query = parseQuery(rollupQuery, req.query);
    const creds = await credentials(req);
    const { latest, snap } = await latestInCatalog();
    // Rows are limited to entities the caller may read.
    const canRead = await readableRefs(
      creds,
      latest.map(l => l.entityRef),
    );
    const readable = latest.filter(l => canRead.has(l.entityRef));
    const at = now();
    const { groupBy, format, fields, includeChildGroups, ...filters } = query;
    let evaluations = readable.map(l => l.summary);
    if (Object.values(filters).some(v => v !== undefined)) {
      const entities = campaignEntities(evaluations, snap);
      const include = rollupEntityFilter(filters, {
        standard: evaluator.standard,
        campaign: filters.campaign
          ? await store.getCampaign(filters.campaign)
          : undefined,
        entities,
        now: at,
      });
      evaluations = entities.filter(include).map(e => e.evaluation);
    }
    const entries = await rollupEntriesOf({
      store,
      evaluations,
      snapshot: snap,
      now: at,
      definedChecks: evaluator.standard.byId,
    });
    const rows = computeRollups(entries, {
      groupBy,
      now: at,
      expiringWithinDays: rollupExpiringWindow,
      ...(includeChildGroups
        ? {
            ancestorsOf: await readableAncestors(
              creds,
              snap.index,
              rollupGroupsOf(entries),
            ),
          }
        : {}),
    });
    if (format === 'csv') {
      res
        .type('text/csv')
        .setHeader(
          'content-disposition',
          `attachment; filename="scorecards-rollup-${groupBy}.csv"`,
        )
        .send(rollupRowsToCsv(rows));
      return;
    }
    // The window `waiversExpiring14d` counts in (the largest expiry warning day), for headings.
    res.json({
      items:
        fields === 'summary' ? rows.map(({ checks: _, ...row }) => row) : rows,
      waiversExpiringWithinDays: rollupExpiringWindow,
    });
  });

  // Daily rollup snapshots of one key, for keys the caller may read (§2.10).
  addRollupHistoryRoute(router, {
    snapshots: new RollupSnapshotStore(store.db),
    credentials,
    authorize,
  });

  // ---- dry run, gate, checks ----

  // A dry run: the same evaluation as GET /entities/… for an entity given in the body (it need
  // not be in the catalog), without history and without writing anything.
  router.post(
    '/evaluate',
    express.text({ type: YAML_CONTENT_TYPES, limit: '1mb' }),
    async (req, res) => {
      const creds = await credentials(req);
      const body = parseEvaluateRequest(req);
      const ref = entityRefOf(body.entity);
      // Read again for a ref the snapshot does not hold before treating it as unregistered, so
      // a just-registered entity's evidence is not shown to someone who may not read it.
      const snap = await snapshotHolding(ref);
      const registered = snap.byRef.has(ref);
      // A registered entity's evidence and waivers are shown only to those who may read it.
      if (registered) {
        await authorize(creds, catalogEntityReadPermission, ref);
      }
      // The evidence of the owner group and its parents the posted entity names is read only
      // for a caller who may read those groups (their checks are unknown otherwise), or naming
      // any group as owner would show its on-call and escalation evidence. A registered
      // entity's own owner chain, which its card shows to whoever may read it, is not asked.
      const stored = snap.byRef.get(ref);
      const ownChain = new Set(
        stored ? evaluator.ownerChainOf(stored, snap) : [],
      );
      const withheld = await unreadable(
        creds,
        evaluator.ownerChainOf(body.entity, snap).filter(r => !ownChain.has(r)),
      );
      const at = body.now ?? now();
      const seen = new Set<string>();
      let evaluation = await evaluator.evaluate(
        body.entity,
        at,
        snap,
        withheld,
        seen,
      );
      // Every other entity the evaluation looked up (its System, dependencies, APIs, members,
      // …) counts as the catalog shows it to this caller: one it may not read is absent, so a
      // posted entity cannot probe whether an unreadable entity exists or what it declares.
      seen.delete(ref);
      for (const r of ownChain) seen.delete(r);
      for (const r of withheld) seen.delete(r);
      const hidden = await unreadable(creds, [...seen]);
      if (hidden.size > 0) {
        evaluation = await evaluator.evaluate(
          body.entity,
          at,
          snap,
          new Set([...withheld, ...hidden]),
        );
      }
      if (!evaluation.scored) {
        res.json(evaluation);
        return;
      }
      // Waivers are created for catalog entities only, so an unregistered ref's waivers belong
      // to a deleted entity, whose readers can no longer be told: none are listed.
      const waivers = registered
        ? await store.listWaivers({ entityRef: ref })
        : [];
      // The entity route's waiver thresholds, so a dry run's waivers warn and cap as the card does.
      res.json({
        ...evaluation,
        waivers: recentWaivers(waivers, at),
        ...waiverThresholds,
      });
    },
  );

  router.get('/gate', async (req, res) => {
    const creds = await credentials(req);
    const query = parseQuery(gateQuery, req.query);
    const ref = query.entityRef;
    await authorize(creds, catalogEntityReadPermission, ref);
    const snap = await freshSnapshot();
    const entity = snap.byRef.get(ref);
    if (!entity) {
      throw new NotFoundError(
        `entity ${ref} is not in the catalog; POST /evaluate dry-runs an entity that is not registered yet`,
      );
    }
    const { evaluation, firstSeenAt } = await evaluator.evaluateDetailed(
      entity,
      now(),
      snap,
    );
    if (!evaluation.scored) {
      throw new InputError(
        `entityRef "${ref}" is a ${
          entity.kind
        }, which is not scored; gates apply to ${SCORED_KINDS.join(', ')}`,
      );
    }
    const principal = creds.principal as {
      type: string;
      userEntityRef?: string;
    };
    const by = principal.type === 'user' ? principal.userEntityRef : undefined;
    const auditId = randomUUID();
    const { decision, audit } = decideGate({
      evaluation,
      standard: gateStandard,
      stage: query.stage,
      firstSeenAt,
      ...(query.breakGlass && by
        ? {
            breakGlass: {
              incident: query.breakGlass,
              reason: query.breakGlassReason ?? '',
              by,
              auditId,
            },
          }
        : {}),
      catalog: snap.index,
      ownerRef: normalizeEntityRef(
        (entity.spec as Record<string, unknown> | undefined)?.owner,
        'group',
        entity.metadata.namespace ?? 'default',
      ),
    });
    if (query.breakGlass && !by && decision.decision === 'block') {
      decision.breakGlassRefused =
        'break glass needs a user token of a member of the owner group; a service principal cannot break glass';
    }
    // Every break-glass attempt on a blocked gate is audited, used or refused (SR29, 37). The
    // response waits for the event: no audit record, no override.
    if (query.breakGlass && (audit || decision.breakGlassRefused)) {
      const event = await options.auditor.createEvent({
        eventId: 'gate-break-glass',
        severityLevel: 'high',
        request: req,
        meta: {
          auditId,
          entityRef: ref,
          stage: query.stage,
          incident: query.breakGlass,
          reason: query.breakGlassReason ?? '',
          by: by ?? principal.type,
          overridden: decision.reasons
            .filter(r => r.state === 'fail')
            .map(r => r.checkId),
        },
      });
      if (audit) {
        await event.success({ meta: { decision: decision.decision } });
      } else {
        await event.fail({
          error: new NotAllowedError(decision.breakGlassRefused),
          meta: { decision: decision.decision },
        });
      }
    }
    res.json(decision);
  });

  async function checkSummaries(only?: ReadonlySet<string>) {
    const at = now();
    // only what a summary counts (upheld disputes of the last 30 days), not every waiver ever
    const [{ latest }, waivers] = await Promise.all([
      latestInCatalog(),
      store.listWaivers({
        kind: 'false-positive',
        approvedSince: new Date(
          Date.parse(at) - UPHELD_DISPUTE_WINDOW_MS,
        ).toISOString(),
      }),
    ]);
    return summarizeChecks({
      standard: evaluator.standard,
      latest: latest.map(l => l.summary),
      waivers,
      now: at,
      readiness: gates.readiness,
      only,
    });
  }

  // `fields=definition` (ours): the checks' definitions alone, in standard order, from memory.
  // The scorecard tab, the waiver queue and the rollup filters need only those (waiver rules,
  // ids); the summaries read every entity's latest results.
  router.get('/checks', async (req, res) => {
    await credentials(req);
    const { fields } = parseQuery(CHECKS_QUERY, req.query);
    if (fields === 'definition') {
      res.json({
        items: evaluator.standard.checks.map(c => ({
          definition: c.definition,
        })),
      });
      return;
    }
    res.json({ items: await checkSummaries() });
  });

  // The standard's identity and changelog (§2.2: "shown on the checks page"), newest first.
  router.get('/standard', async (req, res) => {
    await credentials(req);
    parseQuery(NO_QUERY, req.query);
    const { standard } = evaluator;
    res.json({
      id: standard.id,
      version: standard.version,
      owner: standard.owner,
      changelog: [...standard.changelog].sort((a, b) => b.version - a.version),
    });
  });

  router.get('/checks/:id', async (req, res) => {
    await credentials(req);
    const { standard } = evaluator;
    const id = req.params.id;
    if (!standard.byId.has(id)) {
      throw new NotFoundError(
        `check "${id}" is not in the standard ${standard.id}@${standard.version}`,
      );
    }
    const [summary] = await checkSummaries(new Set([id]));
    res.json(summary);
  });

  // ---- waivers ----

  // Waivers of entities the caller may read (`catalog.entity.read`, like the entity's own
  // scorecard): reasons, tickets and decisions are entity data. Oldest first; paged when
  // `limit` or `cursor` is given, else the whole list (what the catalog module's active-waiver
  // cache and the portal read).
  router.get('/waivers', async (req, res) => {
    const query = parseQuery(waiverQuery, req.query);
    const creds = await credentials(req);
    if (query.entityRef) {
      await authorize(creds, catalogEntityReadPermission, query.entityRef);
    }
    const paged = query.limit !== undefined || query.cursor !== undefined;
    const limit = query.limit ?? WAIVER_PAGE_DEFAULT;
    // Rows are read in batches until a page (plus one, to know there is more) has passed the
    // status and readability filters.
    const batch = paged ? Math.max(limit + 1, 200) : undefined;
    let after = query.cursor ? parseWaiverCursor(query.cursor) : undefined;
    const nowMs = Date.parse(now());
    const items: Waiver[] = [];
    for (;;) {
      const rows = await store.listWaivers({
        entityRef: query.entityRef,
        checkId: query.checkId,
        statuses: query.status ? STORED_STATUSES[query.status] : undefined,
        after,
        limit: batch,
      });
      const matching = rows
        .map(w => withStatusAt(w, nowMs))
        .filter(w => !query.status || w.status === query.status);
      const canRead = query.entityRef
        ? new Set([query.entityRef])
        : await readableRefs(creds, [
            ...new Set(matching.map(w => w.entityRef)),
          ]);
      items.push(...matching.filter(w => canRead.has(w.entityRef)));
      if (batch === undefined || rows.length < batch || items.length > limit)
        break;
      const last = rows[rows.length - 1];
      after = { createdAt: last.createdAt, id: last.id };
    }
    if (paged && items.length > limit) {
      const page = items.slice(0, limit);
      res.json({
        items: page,
        nextCursor: waiverCursor(page[limit - 1]),
        waiverExpiryWarningDays: expiryWarningDays,
      });
      return;
    }
    res.json({ items, waiverExpiryWarningDays: expiryWarningDays });
  });

  router.post('/waivers', async (req, res) => {
    const body = parse(waiverBody, req.body);
    const creds = await credentials(req);
    const id = randomUUID();
    const reason = body.reason.trim();
    const meta = {
      ...waiverAuditMeta(
        {
          id,
          entityRef: body.entityRef,
          checkId: body.checkId,
          kind: body.kind,
        },
        'request',
        reason,
        actorRef(creds),
      ),
      expiresAt: body.expiresAt ?? null,
    };
    const { waiver, retry } = await audited(
      req,
      'waiver-create',
      'medium',
      meta,
      async () => {
        await authorize(
          creds,
          scorecardsWaiverCreatePermission,
          body.entityRef,
        );
        const requestedBy = userRef(creds);
        // An entity the caller may not read answers as one that does not exist: a 403, or a
        // 409 naming an open waiver, would tell that it is there (and the waiver data is
        // entity data, as GET /waivers treats it).
        const entity = await catalogEntity(body.entityRef, creds);
        // §2.8: the owner is the group that must retire the waiver.
        if (body.owner && !(await isCatalogGroup(body.owner))) {
          throw new InputError(
            `owner "${body.owner}" must be a group in the catalog`,
          );
        }
        const owner =
          body.owner ??
          normalizeEntityRef(
            (entity.spec as { owner?: unknown } | undefined)?.owner,
            'group',
            entity.metadata.namespace ?? 'default',
          );
        const at = now();
        const nowMs = Date.parse(at);
        const pair = { entityRef: body.entityRef, checkId: body.checkId };
        const existing = await store.listWaivers(pair);
        const request = { ...body, owner: owner ?? '', requestedBy };
        const verdict = validateWaiverRequest(
          request,
          evaluator.standard,
          existing,
          at,
        );
        // The same request again (a retry whose answer was lost): answered with the stored
        // waiver, as a retried decision is, not with an error about itself.
        if (!verdict.ok && verdict.retryOf)
          return retryAnswer(verdict.retryOf, nowMs);
        if (!verdict.ok) throw statusError(verdict.status, verdict.message);
        // After the request's own rules (an unscored kind such as a Group has no spec.owner
        // either, and is refused for that): a waiver nobody must retire is never stored.
        if (!owner)
          throw new InputError(
            `owner is required: ${body.entityRef} has no spec.owner to default to; name the group that must retire the waiver`,
          );
        // Open rows whose window is over (a lapsed pending request, an active waiver past its
        // expiry the scheduled pass has not marked yet) still hold the pair's one open slot in
        // the database: close them as the pass would.
        for (const w of existing) {
          const status = waiverStatusAt(w, nowMs);
          if (
            (w.status === 'pending' || w.status === 'active') &&
            status !== w.status
          )
            await store.updateWaiver(w.id, [w.status], { status });
        }
        const created: Waiver = {
          id,
          entityRef: body.entityRef,
          checkId: body.checkId,
          kind: body.kind,
          reason,
          owner,
          requestedBy,
          createdAt: at,
          expiresAt: body.expiresAt!,
          ...(body.ticket ? { ticket: body.ticket } : {}),
          status: 'pending',
        };
        try {
          await store.insertWaiver(created);
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
          // Another request for the pair (another replica, a retry) inserted first: answer
          // what the request would have got after it.
          const again = validateWaiverRequest(
            request,
            evaluator.standard,
            await store.listWaivers(pair),
            at,
          );
          if (!again.ok && again.retryOf)
            return retryAnswer(again.retryOf, nowMs);
          throw again.ok
            ? new ConflictError(
                `a pending or active waiver already exists for ${body.entityRef} and ${body.checkId}`,
              )
            : statusError(again.status, again.message);
        }
        return {
          value: { waiver: created, retry: false },
          meta: { status: created.status, owner },
        };
      },
    );
    res.status(retry ? 200 : 201).json(waiver);
  });

  /** The answer to a retried waiver request: the stored waiver, audited as unchanged. */
  function retryAnswer(stored: Waiver, nowMs: number) {
    const waiver = withStatusAt(stored, nowMs);
    return {
      value: { waiver, retry: true },
      meta: {
        waiverId: waiver.id,
        status: waiver.status,
        owner: stored.owner,
        unchanged: true,
      },
    };
  }

  /**
   * A decision's or revoke's answer to `creds`: the waiver when they may read its entity, decided
   * exactly as `GET /waivers` decides which waivers to list (`readableRefs`); otherwise only what
   * names it and its check. Those routes need no `catalog.entity.read`, and reason, ticket,
   * owner, people and decisions are entity data that `GET /waivers` never shows such a caller.
   * (`POST /waivers` needs no such answer: a caller who may not read the entity gets 404.)
   */
  async function waiverAnswer(
    waiver: Waiver,
    creds: BackstageCredentials,
  ): Promise<Waiver | RestrictedWaiver> {
    const canRead = await readableRefs(creds, [waiver.entityRef]);
    return canRead.has(waiver.entityRef) ? waiver : restrictedWaiver(waiver);
  }

  /** The waiver of `:id`, or 404. */
  async function waiverOf(req: Request): Promise<Waiver> {
    const id = idParam(req);
    const waiver = await store.getWaiver(id);
    if (!waiver) throw new NotFoundError(`waiver ${id} not found`);
    return waiver;
  }

  async function decide(req: Request, decision: 'approve' | 'reject') {
    const creds = await credentials(req);
    const { reason } = parse(decisionBodies[decision], req.body);
    const waiver = await waiverOf(req);
    const meta = waiverAuditMeta(waiver, decision, reason, actorRef(creds));
    // Approving makes a failing check count as satisfied: audited like a permission change.
    const severity = decision === 'approve' ? 'high' : 'medium';
    const event = `waiver-${decision}`;
    const decided = await audited(req, event, severity, meta, async () => {
      const check = evaluator.standard.byId.get(waiver.checkId);
      if (!check)
        throw new ConflictError(
          `check ${waiver.checkId} is no longer in the standard`,
        );
      // SR30: the next pass closes this waiver as revoked; approving it now would audit an
      // exception that can never cover anything.
      // Only a pending waiver is refused: an approval retried after the check retired (its first
      // answer lost) is answered below as the waiver stands.
      if (
        decision === 'approve' &&
        waiver.status === 'pending' &&
        check.retiresAtMs !== null &&
        check.retiresAtMs <= Date.parse(now())
      )
        throw new ConflictError(
          `check ${check.id} retired at ${check.definition.retiresAt} and is no longer evaluated; its waivers cannot be approved`,
        );
      const [permission] = await permissions.authorizeConditional(
        [{ permission: scorecardsWaiverApprovePermission }],
        { credentials: creds },
      );
      let allowed = permission.result === AuthorizeResult.ALLOW;
      let ownership: string[] | undefined;
      const ownershipRefs = async () =>
        (ownership ??= (await options.userInfo.getUserInfo(creds))
          .ownershipEntityRefs);
      if (permission.result === AuthorizeResult.CONDITIONAL) {
        const ownershipEntityRefs = await ownershipRefs();
        const resource: CheckPermissionResource = {
          id: check.id,
          class: check.class,
          severity: check.severity,
          owner: check.definition.owner,
          callerOwnershipRefs: ownershipEntityRefs,
        };
        allowed = createConditionAuthorizer(
          options.permissionsRegistry.getPermissionRuleset(
            scorecardsCheckResourceRef,
          ),
        )(permission, resource);
      }
      if (!allowed) {
        throw new NotAllowedError(
          `scorecards.waiver.approve is not allowed on check ${check.id}`,
        );
      }
      const by = userRef(creds);
      // §2.8: a false-positive waiver disputes the check's evidence, so its approver is a member
      // of the check's owner group, whatever else the policy allows (a rejection, too).
      if (waiver.kind === 'false-positive') {
        if (!ownsCheck(await ownershipRefs(), check.definition.owner)) {
          throw new NotAllowedError(
            `a false-positive waiver on ${check.id} can only be ${
              decision === 'approve' ? 'approved' : 'rejected'
            } by a member of the check’s owner group ${check.definition.owner}`,
          );
        }
      }
      const at = now();
      const status = decision === 'approve' ? 'active' : 'rejected';
      // A retried decision (its first answer was lost) is answered as the waiver stands, first
      // decision time and reason kept, as a second revoke is: the same person deciding the same
      // way again is no conflict, while another decision or another decider still is (409).
      const retried = (w: Waiver) =>
        w.status === status &&
        w.approvedBy !== undefined &&
        w.approvedBy.toLowerCase() === by.toLowerCase();
      const unchanged = (w: Waiver) => ({
        value: withStatusAt(w, Date.parse(at)),
        meta: { status, unchanged: true },
      });
      if (retried(waiver)) return unchanged(waiver);
      const verdict = validateWaiverApproval(waiver, by, at);
      if (!verdict.ok) throw statusError(verdict.status, verdict.message);
      const moved = await store.updateWaiver(waiver.id, ['pending'], {
        status,
        approved_by: by,
        approved_at: at,
        decision_reason: reason ?? null,
      });
      const current = (await store.getWaiver(waiver.id))!;
      if (!moved) {
        // A concurrent request moved it first; if that was this same decision, this is its retry.
        if (retried(current)) return unchanged(current);
        throw new ConflictError(`waiver ${waiver.id} is no longer pending`);
      }
      return {
        value: withStatusAt(current, Date.parse(now())),
        meta: { status },
      };
    });
    return waiverAnswer(decided, creds);
  }

  router.post('/waivers/:id/approve', async (req, res) => {
    res.json(await decide(req, 'approve'));
  });
  router.post('/waivers/:id/reject', async (req, res) => {
    res.json(await decide(req, 'reject'));
  });

  router.post('/waivers/:id/revoke', async (req, res) => {
    const creds = await credentials(req);
    const { reason } = parse(decisionBodies.revoke, req.body);
    const waiver = await waiverOf(req);
    const by = actorRef(creds);
    // The requester may withdraw a request that never counted without the permission; an
    // approved waiver counts on the level, so ending it stays a permission decision (§7.4).
    const withdrawal = withdrawsOwnRequest(creds, waiver);
    const meta: AuditMeta = {
      ...waiverAuditMeta(waiver, 'revoke', reason, by),
      ...(withdrawal ? { withdrawn: true } : {}),
    };
    // Only a pending waiver is withdrawn: one approved since it was read needs the permission.
    const revocable: Waiver['status'][] = withdrawal
      ? ['pending']
      : ['pending', 'active'];
    const revoked = await audited(
      req,
      'waiver-revoke',
      'medium',
      meta,
      async () => {
        if (!withdrawal)
          await authorize(creds, scorecardsWaiverRevokePermission);
        // Revoking twice answers the revoked waiver as it is, first reason and revoker kept
        // (idempotent).
        if (waiver.status === 'revoked')
          return {
            value: withStatusAt(waiver, Date.parse(now())),
            meta: { status: 'revoked', unchanged: true },
          };
        const status = waiverStatusAt(waiver, Date.parse(now()));
        if (status !== 'pending' && status !== 'active') {
          throw new ConflictError(
            `waiver ${waiver.id} is ${status}; only pending or active waivers can be revoked`,
          );
        }
        const moved = await store.updateWaiver(waiver.id, revocable, {
          status: 'revoked',
          revoked_at: now(),
          revoked_by: by,
          decision_reason: reason,
        });
        const current = withStatusAt(
          (await store.getWaiver(waiver.id))!,
          Date.parse(now()),
        );
        if (!moved) {
          // Someone else moved it meanwhile: a concurrent revoke wins with its own reason (and,
          // for a withdrawal, the record says who ended it: not necessarily the requester).
          if (current.status === 'revoked')
            return {
              value: current,
              meta: {
                status: 'revoked',
                unchanged: true,
                ...(withdrawal && current.revokedBy
                  ? { revokedBy: current.revokedBy }
                  : {}),
              },
            };
          if (withdrawal && current.status === 'active')
            throw new ConflictError(
              `waiver ${waiver.id} was approved meanwhile and now counts: a withdrawal ends only a pending request; revoking it needs scorecards.waiver.revoke`,
            );
          throw new ConflictError(
            `waiver ${waiver.id} is ${current.status}; only pending or active waivers can be revoked`,
          );
        }
        return { value: current, meta: { status: 'revoked' } };
      },
    );
    res.json(await waiverAnswer(revoked, creds));
  });

  // ---- campaigns ----

  /**
   * The groups above each group an owner rollup counts on (`rollupGroupsOf`, §2.11), nearest
   * first, limited to groups the caller may read: a parent group the caller may not see gets
   * no row.
   */
  async function readableAncestors(
    creds: BackstageCredentials,
    index: CatalogIndex,
    groups: Iterable<string>,
  ): Promise<(groupRef: string) => readonly string[]> {
    const chains = ancestorChains(index, groups);
    const readable = await readableRefs(creds, [
      ...new Set([...chains.values()].flat()),
    ]);
    return ref => (chains.get(ref) ?? []).filter(p => readable.has(p));
  }

  /**
   * The refs of `refs` the caller may read (`catalog.entity.read`). Batched as evidence-node's
   * `deniedEntityReads` does: a blanket decision first beyond one batch, then batches of 50, so
   * an unpaged list naming hundreds of entities never sends the permission backend a body over
   * its 100 kB limit.
   */
  async function readableRefs(
    creds: BackstageCredentials,
    refs: readonly string[],
  ): Promise<Set<string>> {
    if (refs.length === 0) return new Set();
    const denied = await deniedEntityReads(permissions, creds, refs);
    return new Set(refs.filter(ref => !denied.has(ref)));
  }

  /** Every entity a campaign may select, from the latest results and the snapshot, read once. */
  async function campaignEntitiesNow() {
    const { latest, snap } = await latestInCatalog();
    return campaignEntities(
      latest.map(l => l.summary),
      snap,
    );
  }

  /**
   * Progress of campaigns as the caller sees them: totals, per-owner counts and the burn-up are
   * each campaign's own (what every participant measures against); the entity list names only
   * entities the caller may read and counts the others in `restrictedEntities`. Latest results
   * and the snapshot are read once for all campaigns of a request.
   */
  async function withProgress(
    campaigns: readonly Campaign[],
    creds: BackstageCredentials,
  ) {
    if (campaigns.length === 0) return [];
    const entities = await campaignEntitiesNow();
    const at = now();
    const all = [];
    for (const campaign of campaigns) {
      all.push({
        campaign,
        progress: computeCampaignProgress(
          campaign,
          entities,
          at,
          await store.campaignPoints(campaign.id),
        ),
      });
    }
    // One decision per entity any campaign lists, not per entity of the catalog.
    const canRead = await readableRefs(creds, [
      ...new Set(all.flatMap(c => c.progress.entities.map(e => e.entityRef))),
    ]);
    const items = all.map(({ campaign, progress }) => {
      const listed = progress.entities.filter(e => canRead.has(e.entityRef));
      return {
        ...campaign,
        progress: {
          ...progress,
          entities: listed,
          restrictedEntities: progress.entities.length - listed.length,
        },
      };
    });
    return items;
  }

  /**
   * Campaigns with their totals alone (`GET /campaigns?fields=summary`, ours): what the campaigns
   * list and the rollups' campaign filter show. The full progress of every campaign lists every
   * entity in scope with its status and the daily burn-up (26 MB for 50 campaigns over 5,000
   * entities, measured); the totals are each campaign's own and name no entity, so no entity's
   * read permission is asked.
   */
  async function withTotals(campaigns: readonly Campaign[]) {
    if (campaigns.length === 0) return [];
    const entities = await campaignEntitiesNow();
    const at = now();
    return campaigns.map(campaign => {
      const { campaignId, asOf, totals } = computeCampaignProgress(
        campaign,
        entities,
        at,
      );
      return { ...campaign, progress: { campaignId, asOf, totals } };
    });
  }

  router.get('/campaigns', async (req, res) => {
    const creds = await credentials(req);
    const { fields } = parseQuery(CAMPAIGNS_QUERY, req.query);
    // canCreate lets the campaigns page offer "New campaign" only to who may create one.
    const [decision] = await permissions.authorize(
      [{ permission: scorecardsCampaignManagePermission }],
      { credentials: creds },
    );
    const campaigns = await store.listCampaigns();
    res.json({
      items:
        fields === 'summary'
          ? await withTotals(campaigns)
          : await withProgress(campaigns, creds),
      canCreate: decision.result === AuthorizeResult.ALLOW,
    });
  });

  router.get('/campaigns/:id', async (req, res) => {
    const creds = await credentials(req);
    const id = idParam(req);
    const campaign = await store.getCampaign(id);
    if (!campaign) throw new NotFoundError(`campaign ${id} not found`);
    const [item] = await withProgress([campaign], creds);
    res.json(item);
  });

  // Campaign writes are audited like waivers: created, answered as a retry, or refused (a
  // permission, a bad goal, an owner the catalog lacks), each event completed.
  router.post('/campaigns', async (req, res) => {
    const body = parse(campaignBody, req.body);
    const { id: givenId, ...content } = body;
    const meta: AuditMeta = {
      campaignId: givenId ?? derivedCampaignId(content),
      owner: body.owner,
      state: body.state,
      dueAt: body.dueAt,
    };
    await audited(req, 'campaign-create', 'medium', meta, async () => {
      const status = await createCampaign(body, req, res);
      return { value: undefined, meta: { ...meta, status } };
    });
  });

  /** POST /campaigns after its body parsed: answers, and says with which status. */
  async function createCampaign(
    body: z.infer<typeof campaignBody>,
    req: Request,
    res: express.Response,
  ): Promise<number> {
    const creds = await requireAllowed(req, scorecardsCampaignManagePermission);
    if (Date.parse(body.dueAt) <= Date.parse(body.startsAt)) {
      throw new InputError(
        `dueAt must be after startsAt (got ${body.dueAt} <= ${body.startsAt})`,
      );
    }
    // A level the standard does not define has no title and no gating checks: the campaign
    // page could not name its goal, and every entity would be measured against its ceiling.
    const levels = evaluator.standard.levels.map(l => l.id);
    if ('level' in body.goal && !levels.includes(body.goal.level)) {
      throw new InputError(
        `goal.level ${body.goal.level} is not a level of the standard ${
          evaluator.standard.id
        }@${evaluator.standard.version} (levels: ${levels.join(', ')})`,
      );
    }
    if ('checks' in body.goal) {
      const unknown = body.goal.checks.filter(
        id => !evaluator.standard.byId.has(id),
      );
      if (unknown.length > 0)
        throw new InputError(
          `goal.checks names unknown checks: ${unknown.join(', ')}`,
        );
    }
    // As a waiver's owner (§2.8): the group answerable for the campaign, so one the catalog
    // knows — a typo would leave the campaign with nobody to ask.
    if (!(await isCatalogGroup(body.owner))) {
      throw new InputError(
        `owner "${body.owner}" must be a group in the catalog`,
      );
    }
    const { id, ...content } = body;
    const campaign: Campaign = {
      ...body,
      id: id ?? derivedCampaignId(content),
    };
    // Posting the same campaign again is a no-op (idempotent by id); a different one conflicts.
    const answerExisting = async (existing: Campaign) => {
      if (JSON.stringify(existing) !== JSON.stringify(campaign)) {
        throw new ConflictError(
          `campaign ${campaign.id} already exists with different content`,
        );
      }
      res.status(200).json((await withProgress([existing], creds))[0]);
    };
    const existing = await store.getCampaign(campaign.id);
    if (existing) {
      await answerExisting(existing);
      return 200;
    }
    // Checked after the retry above, which answers the stored campaign even once its deadline
    // passed: a new draft or active campaign already past due would list every entity it has
    // not finished as overdue from its first day.
    const at = now();
    if (campaign.state !== 'ended' && campaign.dueAt <= at) {
      throw new InputError(
        `dueAt must be in the future for a campaign in state ${campaign.state} (got ${campaign.dueAt}, now ${at}); post state "ended" to record a campaign that is over`,
      );
    }
    const by =
      (creds.principal as { userEntityRef?: string }).userEntityRef ??
      'service';
    try {
      await store.insertCampaign(campaign, by, at);
    } catch (error) {
      // A concurrent request (a retry, another replica) inserted the id first.
      const winner = isUniqueViolation(error)
        ? await store.getCampaign(campaign.id)
        : undefined;
      if (!winner) throw error;
      await answerExisting(winner);
      return 200;
    }
    res.status(201).json((await withProgress([campaign], creds))[0]);
    return 201;
  }

  router.use(jsonErrorHandler({ logger: options.logger }));
  return router;
}

function statusError(status: number, message: string): Error {
  switch (status) {
    case 403:
      return new NotAllowedError(message);
    case 404:
      return new NotFoundError(message);
    case 409:
      return new ConflictError(message);
    default:
      return new InputError(message);
  }
}
