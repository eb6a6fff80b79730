import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  checkLedger,
  gpMessages,
  switchLifted,
  type ApprovalDecision,
  type ApprovalRecord,
  type AuditEvent,
  type GoldenPathRequest,
  type KillSwitchState,
  type RequestStatus,
  type RequestStep,
  type RuntimeKillSwitch,
} from '@internal/plugin-golden-paths-common';
import { Knex } from 'knex';
import { monotonicFactory, ulid } from 'ulid';
import { closedRequestMessage, isClosed } from './closedRequests';
import { refKey } from '../refKey';

// Events written in the same millisecond keep their order.
const eventId = monotonicFactory();

const migrationsDir = resolvePackagePath(
  '@internal/plugin-golden-paths-backend',
  'migrations',
);

// The rows are the API's records (golden-paths-common): the router returns them as they are.
export type {
  ApprovalRecord,
  ApprovalRoute,
  RequestStatus,
} from '@internal/plugin-golden-paths-common';

/** One row of `gp_requests`, as the API returns it. */
export type RequestRecord = GoldenPathRequest;

/** Input of a claim at `goldenpath:ledger:open` (§4.4). */
export interface ClaimInput {
  requestKey: string;
  fingerprint: string;
  request: Record<string, unknown>;
  templateRef: string;
  templateVersion: string;
  kind: string;
  taskId: string;
  createdBy: string;
  /** Report the mode the claim would take without writing (§4.6). */
  dryRun?: boolean;
  /**
   * A `succeeded` lifecycle row that no longer matches reality becomes `superseded` first (§4.4).
   * Honoured only for a lifecycle request with the row's fingerprint and template; otherwise the
   * claim is checked as any other (GP-I02 for another request, replay for the same).
   */
  supersede?: boolean;
}

/** The run a fresh claim replaced (§4.4), as kept in its `golden-path-run-superseded` event. */
export interface SupersededRun {
  status: RequestStatus;
  fingerprint: string;
  templateVersion: string;
  attempts: number;
  createdAt: string;
  updatedAt: string;
  steps: {
    stepId: string;
    action?: string;
    status: StepRecord['status'];
    fingerprint: string;
    effectRef?: string;
    attempt: number;
    startedAt: string;
    finishedAt?: string;
  }[];
}

/** A claim either proceeds in a mode or is refused with the catalogue text. */
export type ClaimResult =
  | {
      mode: 'create' | 'resume' | 'replay';
      request: RequestRecord;
      /** Recorded outputs of the original run (replay). */
      previous?: Record<string, unknown>;
      /** The earlier run this fresh claim replaced (mode `create` on a superseded row). */
      superseded?: SupersededRun;
      dryRun: boolean;
    }
  | {
      mode: 'refused';
      ruleId: string;
      message: string;
      request: RequestRecord;
      dryRun: boolean;
    };

/** Where a page of `listRequests` ends: the last row's `updated_at` and key. */
export interface RequestsPosition {
  updatedAt: string;
  requestKey: string;
}

/** What a close of a request is audited as (§4.9 ledger:close, V2). */
export type CloseOutcome = 'succeeded' | 'failed' | 'replayed';

/** One row of `gp_steps`. */
export type StepRecord = RequestStep;

/** One row of `gp_approval_decisions` (§6.3). */
export type DecisionRecord = ApprovalDecision;

/** A rejection with the request key and plan digest of its approval (the inbox's history). */
export interface RejectionRecord extends DecisionRecord {
  requestKey: string;
  planDigest: string;
}

/** One row of `gp_kill_switches` (runtime switches, §4.7). */
export type { RuntimeKillSwitch };

/** What `repairStep` did (§8 step 3). */
export interface StepRepair {
  /** False when the step already was in the state asked for: nothing was written. */
  changed: boolean;
  before: StepRecord;
  step: StepRecord;
  requestBefore: RequestRecord;
  request: RequestRecord;
  /** True when this repair left every step compensated and so the request too. */
  requestCompensated: boolean;
  /** Pending approvals superseded with the request. */
  approvalsSuperseded: string[];
}

/** One audit record kept in `gp_events` (§4.5). */
export type EventRecord = AuditEvent;

/** How `completeCompensation` ended a compensation run. */
export interface CompensationDone {
  /** The run still held the lease (else it expired and someone else took the request). */
  finished: boolean;
  /** Approvals it superseded (those still pending). */
  superseded: number;
  /** The request's status after it. */
  status?: RequestStatus;
}

/** How `openApproval` makes the approval of a plan digest current. */
export type ApprovalOpening =
  /** A new round, inserted unless a concurrent opener inserted this round first. */
  | { insert: ApprovalRecord }
  /** A superseded approval current again (GP-P07), changed only while still superseded. */
  | {
      revive: {
        id: string;
        status: ApprovalRecord['status'];
        expiresAt: string;
        decidedAt?: string;
      };
    }
  /** The stored approval as it is (the same plan opened again). */
  | { keep: ApprovalRecord };

/** What `openApproval` did. */
export interface ApprovalOpened {
  /** The approval of the digest as stored after the opening. */
  approval: ApprovalRecord;
  /** This call inserted it (a concurrent opener that lost the insert did not). */
  created: boolean;
  /** This call revived it (a concurrent opener that found it revived did not). */
  revived: boolean;
  /** The request's other approvals this call superseded, as they were before. */
  superseded: ApprovalRecord[];
}

/** An audit record to append to `gp_events`: its id is given when it is written. */
export type NewEvent = Omit<EventRecord, 'id'>;

/**
 * `insertDecision` found the approval no longer pending under its row lock (superseded by a
 * compensation or a new plan, or settled by a decision on another route since it was read):
 * nothing was stored. `approval` is the row as locked, for the caller's 409 text.
 */
export class ApprovalNotPendingError extends ConflictError {
  constructor(readonly approval: ApprovalRecord) {
    super(`approval ${approval.id} is ${approval.status}, no longer pending`);
  }
}

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
const parseJson = <T>(v: unknown): T | undefined =>
  typeof v === 'string' && v !== '' ? (JSON.parse(v) as T) : undefined;
const opt = <T>(v: T | null | undefined): T | undefined =>
  v === null ? undefined : v;

/** The `gp_requests` columns a status change writes. */
function requestStatusUpdate(
  status: RequestStatus,
  now: string,
  planDigest?: string,
) {
  return {
    status,
    updated_at: now,
    ...(planDigest ? { plan_digest: planDigest } : {}),
    // A request that waits for (or was refused) a human decision holds no task's lease: the
    // task that asked stops at the approve step, and a rerun after the decision resumes
    // instead of meeting GP-I03 until the lease expires (V9).
    ...(status === 'awaiting-approval' || status === 'rejected'
      ? { lease_task_id: null, lease_until: null, lease_started_at: null }
      : {}),
  };
}

/**
 * The request's status once an approval of it is current: it waits for a pending one, and an
 * approved one lets a waiting request run (`open`); a rejected one leaves it (settling does).
 */
function requestStatusFor(
  approval: ApprovalRecord['status'],
  request: RequestStatus,
): RequestStatus | undefined {
  if (approval === 'pending') return 'awaiting-approval';
  if (approval !== 'approved') return undefined;
  return request === 'awaiting-approval' ? 'open' : request;
}

function toRequest(r: any): RequestRecord {
  return {
    requestKey: r.request_key,
    fingerprint: r.fingerprint,
    request: parseJson(r.request_json) ?? {},
    templateRef: r.template_ref,
    templateVersion: r.template_version,
    kind: r.kind,
    status: r.status,
    planDigest: opt(r.plan_digest),
    outputs: parseJson(r.outputs_json),
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    leaseTaskId: opt(r.lease_task_id),
    leaseUntil: opt(r.lease_until),
    leaseStartedAt: opt(r.lease_started_at),
    attempts: Number(r.attempts),
    lastErrorCode: opt(r.last_error_code),
    expiresAt: opt(r.expires_at),
  };
}

function toStep(r: any): StepRecord {
  return {
    requestKey: r.request_key,
    stepId: r.step_id,
    fingerprint: r.fingerprint,
    status: r.status,
    ...(r.action ? { action: r.action } : {}),
    output: parseJson(r.output_json),
    effectRef: opt(r.effect_ref),
    taskId: opt(r.task_id),
    attempt: Number(r.attempt),
    startedAt: r.started_at,
    finishedAt: opt(r.finished_at),
  };
}

function toApproval(r: any): ApprovalRecord {
  return {
    id: r.id,
    requestKey: r.request_key,
    planDigest: r.plan_digest,
    round: Number(r.round ?? 0),
    triggers: parseJson(r.triggers_json) ?? [],
    routes: parseJson(r.routes_json) ?? [],
    status: r.status,
    requestedBy: r.requested_by,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    decidedAt: opt(r.decided_at),
    plan: parseJson(r.plan_json),
  };
}

/** An approval stored without its `gp_approval_routes` rows, with the groups they would hold. */
export interface UnroutedApproval {
  id: string;
  /** `refKey` form, each once */
  groups: string[];
}

/**
 * The route groups of a stored `routes_json`, as `refKey` gives them, each once: the `group` of
 * every route that has a string one; none when it is not a JSON list. The rule of migration
 * `20261207000000_approval_routes`, and for a well-formed record the groups `insertRoutesIn`
 * writes.
 */
/** The route row of an approval that routes to no group (`writeMissingRoutes`). */
const NO_GROUP_ROUTE = '';

function routeGroups(routesJson: unknown): string[] {
  let parsed: unknown;
  try {
    parsed =
      typeof routesJson === 'string' ? JSON.parse(routesJson) : undefined;
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  const groups = new Set<string>();
  for (const route of parsed) {
    const group = (route as { group?: unknown } | null)?.group;
    if (typeof group === 'string') groups.add(refKey(group));
  }
  return [...groups];
}

/** Code-unit order: ISO-8601 timestamps by time, ULID-based ids by creation. */
const compareText = (a: string, b: string) => {
  if (a === b) return 0;
  return a < b ? -1 : 1;
};

function toDecision(r: any): DecisionRecord {
  return {
    approvalId: r.approval_id,
    route: r.route,
    approver: r.approver,
    decision: r.decision,
    reason: r.reason,
    answers: parseJson(r.answers_json),
    decidedAt: r.decided_at,
    breakGlass: Boolean(r.break_glass),
  };
}

function toEvent(r: any): EventRecord {
  return {
    id: r.id,
    requestKey: opt(r.request_key),
    at: r.at,
    eventType: r.event_type,
    severity: r.severity,
    record: parseJson(r.record_json) ?? {},
  };
}

/** `lastErrorCode` of a request `failExpiredLeases` failed. */
const LEASE_EXPIRED = 'lease-expired';

const addMs = (iso: string, ms: number) =>
  new Date(Date.parse(iso) + ms).toISOString();

/**
 * A 409 for a rule of §10 (`GP-I03`), carrying the rule's id: the error handler answers it with
 * `ruleId`, as the routes' own rule refusals do, so a client can branch on the rule.
 */
function ruleConflict(ruleId: string, message: string): ConflictError {
  return Object.assign(new ConflictError(message), { ruleId });
}

/** GP-I03's text for request `key`, held by task `taskId` since its lease started. */
function heldByMessage(
  key: string,
  taskId: string,
  request: Pick<RequestRecord, 'leaseStartedAt' | 'createdAt'>,
): string {
  return gpMessages.i03({
    key,
    taskId,
    startedAt: request.leaseStartedAt ?? request.createdAt,
  });
}

/**
 * The ledger of §4.3: requests with claims and leases, idempotent step records, approvals bound
 * to a plan digest with their decisions, runtime kill switches and the append-only events.
 */
export class GoldenPathsStore {
  static async create(database: DatabaseService): Promise<GoldenPathsStore> {
    const knex = await database.getClient();
    if (!database.migrations?.skip) {
      await knex.migrate.latest({
        directory: migrationsDir,
        tableName: 'golden_paths_knex_migrations',
      });
    }
    return new GoldenPathsStore(knex);
  }

  private readonly isPg: boolean;

  constructor(readonly db: Knex) {
    const client = String(
      (db.client as { config?: { client?: unknown } }).config?.client ?? '',
    );
    this.isPg = client === 'pg' || client.includes('postgres');
  }

  /**
   * A row read with a row lock on PostgreSQL; SQLite serializes writers per transaction.
   *
   * Lock order: every write on a request locks the request's `gp_requests` row first, then its
   * approvals or steps. Two writes that took them in opposite orders (a decision locked its
   * approval and then the request, an opening the request and then that approval) could each
   * hold what the other waits for, and PostgreSQL broke the deadlock by failing one with a 500.
   */
  private locked(tx: Knex.Transaction, table: string, where: object) {
    const q = tx(table).where(where);
    return this.isPg ? q.forUpdate().first() : q.first();
  }

  /**
   * The approval `id` and its request, both under row locks taken in the lock order (request,
   * then approval): the approval's request is read without a lock, that request locked, then the
   * approval locked and checked to still belong to it. `undefined` when the approval (or its
   * request) is gone.
   */
  private async lockedApproval(
    tx: Knex.Transaction,
    id: string,
  ): Promise<{ approval: any; request: any } | undefined> {
    const unlocked = await tx('gp_approvals')
      .where({ id })
      .first('request_key');
    if (!unlocked) return undefined;
    const request = await this.locked(tx, 'gp_requests', {
      request_key: unlocked.request_key,
    });
    const approval = await this.locked(tx, 'gp_approvals', { id });
    // An approval never moves to another request; a mismatch means it was deleted (retention)
    // and is treated as gone.
    if (!approval || approval.request_key !== unlocked.request_key) {
      return undefined;
    }
    return { approval, request };
  }

  // ---- requests (§4.4) ----

  async getRequest(requestKey: string): Promise<RequestRecord | undefined> {
    const row = await this.db('gp_requests')
      .where({ request_key: requestKey })
      .first();
    return row ? toRequest(row) : undefined;
  }

  /**
   * Requests, most recently updated first (ties by key, descending), at most `limit` (default
   * 100); `after` continues behind the last row of the previous page (keyset paging: a row
   * updated meanwhile moves to the front and is not repeated on later pages; the requests page
   * reads the first page again with each older one, so it is not skipped either).
   */
  async listRequests(
    filter: {
      status?: string;
      createdBy?: string;
      limit?: number;
      after?: RequestsPosition;
    } = {},
  ): Promise<RequestRecord[]> {
    const q = this.db('gp_requests')
      .orderBy([
        { column: 'updated_at', order: 'desc' },
        { column: 'request_key', order: 'desc' },
      ])
      .limit(filter.limit ?? 100);
    if (filter.status) q.where({ status: filter.status });
    if (filter.createdBy) q.where({ created_by: filter.createdBy });
    const after = filter.after;
    if (after) {
      afterInDescendingOrder(
        q,
        ['updated_at', after.updatedAt],
        ['request_key', after.requestKey],
      );
    }
    return (await q).map(toRequest);
  }

  /**
   * Claims a request key atomically: `INSERT … ON CONFLICT DO NOTHING`, then a locked read that
   * decides create / replay / resume or refuses GP-I02 / GP-I03 / GP-I04 (never check-then-insert).
   */
  async claimRequest(
    input: ClaimInput,
    now: string,
    leaseMs: number,
  ): Promise<ClaimResult> {
    const dryRun = input.dryRun === true;
    const token = ulid(Date.parse(now));
    const fresh = {
      request_key: input.requestKey,
      fingerprint: input.fingerprint,
      request_json: JSON.stringify(input.request),
      template_ref: input.templateRef,
      template_version: input.templateVersion,
      kind: input.kind,
      status: 'open',
      created_by: input.createdBy,
      created_at: now,
      updated_at: now,
      claim_token: token,
      lease_task_id: input.taskId,
      lease_until: addMs(now, leaseMs),
      lease_started_at: now,
      attempts: 1,
      plan_digest: null,
      outputs_json: null,
      last_error_code: null,
    };
    if (!dryRun) {
      await this.db('gp_requests')
        .insert(fresh)
        .onConflict('request_key')
        .ignore();
    }
    return this.db.transaction(async tx => {
      const row = await this.locked(tx, 'gp_requests', {
        request_key: input.requestKey,
      });
      if (!row) {
        // Only reachable in a dry run: the key is unknown.
        return { mode: 'create', request: toRequest(fresh), dryRun };
      }
      if (row.claim_token === token) {
        return { mode: 'create', request: toRequest(row), dryRun };
      }
      let existing = toRequest(row);
      // §4.4 last row: a succeeded lifecycle request whose result no longer matches the entity is
      // run afresh, as the same request (fingerprint and template). `supersede` on any other row
      // would take over another request's key without GP-I02, so it runs the normal checks.
      const supersedes =
        input.supersede === true &&
        existing.status === 'succeeded' &&
        existing.kind === 'lifecycle' &&
        input.kind === 'lifecycle' &&
        existing.fingerprint === input.fingerprint &&
        refKey(existing.templateRef) === refKey(input.templateRef);
      if (existing.status === 'superseded' || supersedes) {
        if (dryRun) return { mode: 'create', request: existing, dryRun };
        const superseded = await this.archiveRun(tx, existing, now);
        const { request_key: _key, ...replacement } = fresh;
        await tx('gp_requests')
          .where({ request_key: input.requestKey })
          .update(replacement);
        const replaced = await tx('gp_requests')
          .where({ request_key: input.requestKey })
          .first();
        return {
          mode: 'create',
          request: toRequest(replaced),
          dryRun,
          superseded,
        };
      }
      const ownLease = existing.leaseTaskId === input.taskId;
      const [denial] = checkLedger({
        ledger: {
          ...existing,
          ...(ownLease ? { leaseTaskId: undefined } : {}),
        },
        requestKey: input.requestKey,
        fingerprint: input.fingerprint,
        templateRef: input.templateRef,
        templateVersion: input.templateVersion,
        request: input.request,
        now,
      }).filter(r => r.outcome === 'deny');
      if (denial) {
        return {
          mode: 'refused',
          ruleId: denial.id,
          message: denial.message ?? denial.id,
          request: existing,
          dryRun,
        };
      }
      if (existing.status === 'rejected' || existing.status === 'compensated') {
        const message =
          existing.status === 'rejected'
            ? await this.rejectionMessage(tx, existing.requestKey)
            : `Request "${existing.requestKey}" was compensated; start a new request with a new key.`;
        return {
          mode: 'refused',
          ruleId: existing.status === 'rejected' ? 'GP-A02' : 'GP-I04',
          message,
          request: existing,
          dryRun,
        };
      }
      if (existing.status === 'succeeded') {
        if (!dryRun) {
          await tx('gp_requests')
            .where({ request_key: input.requestKey })
            .update({ attempts: existing.attempts + 1, updated_at: now });
          existing = { ...existing, attempts: existing.attempts + 1 };
        }
        return {
          mode: 'replay',
          request: existing,
          previous: existing.outputs ?? {},
          dryRun,
        };
      }
      // failed / awaiting-approval / open or running with an expired lease (or our own lease,
      // a Backstage retry of the same task): resume.
      if (!dryRun) {
        const attempts = ownLease ? existing.attempts : existing.attempts + 1;
        const update = {
          status: existing.status === 'failed' ? 'open' : existing.status,
          lease_task_id: input.taskId,
          lease_until: addMs(now, leaseMs),
          lease_started_at: ownLease ? existing.leaseStartedAt ?? now : now,
          attempts,
          updated_at: now,
        };
        await tx('gp_requests')
          .where({ request_key: input.requestKey })
          .update(update);
        existing = toRequest({ ...row, ...update });
      }
      return { mode: 'resume', request: existing, dryRun };
    });
  }

  /**
   * Ends the recorded run of a request that a fresh claim replaces (§4.4 "old row → superseded;
   * fresh claim"): its steps are copied into one append-only `golden-path-run-superseded` event
   * (step ids, actions, statuses, effect refs, attempts and times — not outputs, which may carry
   * request values) and then deleted, so the fresh run claims every step anew instead of
   * replaying the old run's effects (`run: false`) or meeting GP-I05. One transaction with the
   * replacement: either both happen or neither.
   */
  private async archiveRun(
    tx: Knex.Transaction,
    request: RequestRecord,
    now: string,
  ): Promise<SupersededRun> {
    const steps = (
      await tx('gp_steps')
        .where({ request_key: request.requestKey })
        .orderBy(['started_at', 'step_id'])
    ).map(toStep);
    const run: SupersededRun = {
      status: request.status,
      fingerprint: request.fingerprint,
      templateVersion: request.templateVersion,
      attempts: request.attempts,
      createdAt: request.createdAt,
      updatedAt: request.updatedAt,
      steps: steps.map(st => ({
        stepId: st.stepId,
        ...(st.action ? { action: st.action } : {}),
        status: st.status,
        fingerprint: st.fingerprint,
        ...(st.effectRef ? { effectRef: st.effectRef } : {}),
        attempt: st.attempt,
        startedAt: st.startedAt,
        ...(st.finishedAt ? { finishedAt: st.finishedAt } : {}),
      })),
    };
    const id = eventId(Date.parse(now));
    await tx('gp_events').insert({
      id,
      request_key: request.requestKey,
      at: now,
      event_type: 'golden-path-run-superseded',
      severity: 'medium',
      record_json: JSON.stringify({
        id,
        at: now,
        requestKey: request.requestKey,
        action: 'goldenpath:ledger:open',
        redaction: 'none',
        superseded: run,
        result: 'superseded',
      }),
    });
    await tx('gp_steps').where({ request_key: request.requestKey }).delete();
    return run;
  }

  private async rejectionMessage(
    tx: Knex.Transaction,
    requestKey: string,
  ): Promise<string> {
    const approval = await tx('gp_approvals')
      .where({ request_key: requestKey, status: 'rejected' })
      .orderBy('created_at', 'desc')
      .first();
    const decision = approval
      ? await tx('gp_approval_decisions')
          .where({ approval_id: approval.id, decision: 'reject' })
          .first()
      : undefined;
    if (!approval || !decision) {
      return `Request "${requestKey}" was rejected. Change the request and run it with a new key.`;
    }
    return gpMessages.a02({
      group: decision.route,
      id: approval.id,
      at: decision.decided_at,
      reason: decision.reason,
    });
  }

  /**
   * Ends a claim: `succeeded` records the outputs replays return; idempotent per status. 409 on
   * a closed request (a repeated `succeeded` close of a succeeded one, a replay's ledger:close,
   * excepted), while another task's live lease holds it (GP-I03), and while it waits for an
   * approval unless the closing task holds its lease (a waiting request holds none: the task that
   * asked stopped at the approve step, and only a rerun that resumed it may end it) — a request
   * closed `succeeded` before anyone decided would have run nothing that needed the approval.
   * `changed` is false when the close found the request already so (a replay's close, or a
   * `failed` close sent again with the same error code before any rerun took the request).
   * `recorded` is what the close is audited as, decided in the same transaction, so of two closes
   * of one task sent together exactly one records and the other answers as a retry: a close that
   * changed the request records its status; a successful close of a `succeeded` request records
   * `replayed` only when it takes the task's close marker (`gp_close_records`, once per task).
   * `auditOf` gives the `gp_events` record of a close that records, appended in the same
   * transaction as the marker: were it written after the commit, a crash or a failed insert in
   * between would leave the marker without its record, and the retry, finding the marker, would
   * record nothing. A failed insert rolls the close back, so the retry records it.
   */
  async closeRequest(
    p: {
      requestKey: string;
      taskId: string;
      status: 'succeeded' | 'failed';
      outputs?: Record<string, unknown>;
      errorCode?: string;
    },
    now: string,
    auditOf?: (recorded: CloseOutcome, request: RequestRecord) => NewEvent,
  ): Promise<{
    request: RequestRecord;
    changed: boolean;
    recorded?: CloseOutcome;
  }> {
    return this.db.transaction(async tx => {
      const row = await this.locked(tx, 'gp_requests', {
        request_key: p.requestKey,
      });
      if (!row) throw new NotFoundError(`request "${p.requestKey}" not found`);
      const existing = toRequest(row);
      if (existing.status === 'succeeded') {
        // A replay's ledger:close, or the same close sent again (a retry after a lost answer).
        if (p.status === 'succeeded') {
          const first = await this.markClosed(tx, p, 'replayed', now);
          if (first && auditOf) {
            await this.insertEvent(tx, auditOf('replayed', existing));
          }
          return {
            request: existing,
            changed: false,
            ...(first ? { recorded: 'replayed' as const } : {}),
          };
        }
        throw new ConflictError(
          `request "${p.requestKey}" already succeeded; it cannot be closed as failed`,
        );
      }
      if (isClosed(existing.status)) {
        throw new ConflictError(
          closedRequestMessage(
            p.requestKey,
            existing.status,
            `closing it as ${p.status}`,
          ),
        );
      }
      // A failed close sent again: no rerun took the request since (a resume makes it `open`
      // and leases it), so there is nothing to write and nothing new to record.
      if (
        existing.status === 'failed' &&
        p.status === 'failed' &&
        !existing.leaseTaskId &&
        existing.lastErrorCode === p.errorCode
      ) {
        return { request: existing, changed: false };
      }
      if (
        existing.status === 'awaiting-approval' &&
        existing.leaseTaskId !== p.taskId
      ) {
        throw new ConflictError(
          `request "${p.requestKey}" is waiting for an approval, so task ${p.taskId} cannot close it as ${p.status}: once the approval is decided, run the template again with the same inputs (that run resumes and closes it)`,
        );
      }
      if (
        existing.leaseTaskId &&
        existing.leaseTaskId !== p.taskId &&
        existing.leaseUntil &&
        existing.leaseUntil > now
      ) {
        throw ruleConflict(
          'GP-I03',
          heldByMessage(p.requestKey, existing.leaseTaskId, existing),
        );
      }
      const update = {
        status: p.status,
        outputs_json:
          p.status === 'succeeded' ? json(p.outputs ?? {}) : row.outputs_json,
        last_error_code: p.status === 'failed' ? p.errorCode ?? null : null,
        lease_task_id: null,
        lease_until: null,
        lease_started_at: null,
        updated_at: now,
      };
      await tx('gp_requests')
        .where({ request_key: p.requestKey })
        .update(update);
      // A changed close always records; a succeeded one also takes the task's marker, so the
      // same task's close arriving next answers as a retry (a marker left by this task's close of
      // a run superseded since is taken over).
      if (p.status === 'succeeded') {
        await this.markClosed(tx, p, 'succeeded', now, { takeOver: true });
      }
      const request = toRequest({ ...row, ...update });
      if (auditOf) await this.insertEvent(tx, auditOf(p.status, request));
      return { request, changed: true, recorded: p.status };
    });
  }

  /**
   * Takes the once-per-task marker of a successful close: `true` when this close inserted it (it
   * records), `false` when the task's successful close is already on record. The primary key
   * (request_key, task_id) decides between two closes sent together, whichever database: the
   * second insert waits for the first transaction and then finds the row. A `failed` close takes
   * no marker: a task restarted with its id (Backstage's task retry) that replays a request
   * another run finished is a replay, recorded as one.
   */
  private async markClosed(
    tx: Knex.Transaction,
    p: { requestKey: string; taskId: string },
    outcome: Exclude<CloseOutcome, 'failed'>,
    now: string,
    o: { takeOver?: boolean } = {},
  ): Promise<boolean> {
    const insert = tx('gp_close_records')
      .insert({
        request_key: p.requestKey,
        task_id: p.taskId,
        outcome,
        recorded_at: now,
      })
      .onConflict(['request_key', 'task_id']);
    if (o.takeOver) {
      await insert.merge(['outcome', 'recorded_at']);
      return true;
    }
    const inserted = await insert.ignore().returning('task_id');
    return inserted.length > 0;
  }

  /**
   * Fails the requests whose task stopped without closing them (§4.9 `ledger:close`: "the
   * backend marks it on lease expiry"): `open` or `running` with a lease that ended `graceMs`
   * ago or more, at most `batch` a call. A task that died with its process (a deploy, an OOM
   * kill) left them `running` for good: listed as running, never pruned. Each becomes `failed`
   * with `lastErrorCode` `lease-expired`, with `auditOf`'s `gp_events` record in the same
   * transaction. Its steps and its ended lease stay as they are: a rerun with the same key
   * resumes the request, as after any failure, and claims a step whose lease ended again; a
   * task that was only slow still completes its step and closes the request. Returns the
   * requests as they were before.
   */
  async failExpiredLeases(
    now: string,
    graceMs: number,
    auditOf: (request: RequestRecord) => NewEvent,
    batch = 100,
  ): Promise<RequestRecord[]> {
    const cutoff = addMs(now, -graceMs);
    const expired = (q: Knex.QueryBuilder) =>
      q
        .whereIn('status', ['open', 'running'])
        .whereNotNull('lease_until')
        .where('lease_until', '<=', cutoff);
    const candidates = await this.db('gp_requests')
      .modify(expired)
      .orderBy('lease_until')
      .limit(batch)
      .select('request_key');
    const failed: RequestRecord[] = [];
    for (const { request_key: requestKey } of candidates) {
      const request = await this.db.transaction(async tx => {
        const row = await this.locked(tx, 'gp_requests', {
          request_key: requestKey,
        });
        // A rerun may have resumed it since the listing: only a lease still ended is failed.
        if (
          !row ||
          !['open', 'running'].includes(row.status) ||
          !row.lease_until ||
          row.lease_until > cutoff
        ) {
          return undefined;
        }
        // The lease keeps naming the task: a step that was only slow still records its result
        // and its task may still close the request, as after any lease that ran out.
        const update = {
          status: 'failed',
          last_error_code: LEASE_EXPIRED,
          updated_at: now,
        };
        await tx('gp_requests')
          .where({ request_key: requestKey })
          .update(update);
        const before = toRequest(row);
        await this.insertEvent(tx, auditOf(before));
        return before;
      });
      if (request) failed.push(request);
    }
    return failed;
  }

  async setRequestStatus(
    requestKey: string,
    status: RequestStatus,
    now: string,
    planDigest?: string,
  ): Promise<void> {
    await this.db('gp_requests')
      .where({ request_key: requestKey })
      .update(requestStatusUpdate(status, now, planDigest));
  }

  // ---- steps ----

  async listSteps(requestKey: string): Promise<StepRecord[]> {
    return (
      await this.db('gp_steps')
        .where({ request_key: requestKey })
        .orderBy('started_at')
    ).map(toStep);
  }

  /**
   * The lifecycle requests (`kind: lifecycle`) whose normalized request names `entityRef` as its
   * `entity`, case-insensitively, each with its steps in the order they started (the lifecycle
   * gates read the entity's archive from them, G-X3). Custom request keys included: the key is
   * not read. The LIKE only narrows the rows (a `_` in a name matches any character); the parsed
   * `entity` decides.
   */
  async lifecycleRequestsOf(
    entityRef: string,
  ): Promise<{ request: RequestRecord; steps: StepRecord[] }[]> {
    const ref = refKey(entityRef);
    const requests = (
      await this.db('gp_requests')
        .where({ kind: 'lifecycle' })
        .andWhereRaw('lower(request_json) like ?', [`%${ref}%`])
        .orderBy('request_key')
    )
      .map(toRequest)
      .filter(
        r =>
          typeof r.request.entity === 'string' &&
          refKey(r.request.entity) === ref,
      );
    if (requests.length === 0) return [];
    const steps = (
      await this.db('gp_steps')
        .whereIn(
          'request_key',
          requests.map(r => r.requestKey),
        )
        .orderBy(['request_key', 'started_at'])
    ).map(toStep);
    return requests.map(request => ({
      request,
      steps: steps.filter(st => st.requestKey === request.requestKey),
    }));
  }

  /**
   * Claims one step of a request (idempotent per request + step): `run: false` with the recorded
   * output when it is done, GP-I05 when it ran with another fingerprint, GP-I03 when another
   * live task holds the request. Renews the request lease for the claiming task. Atomic: the
   * checks run under the request's row lock and the step row is inserted only after them, in the
   * same transaction, so a refused claim leaves nothing behind. A closed request takes no claim
   * (409): a `succeeded` one only answers a replay's claim of a done step (`run: false`, nothing
   * written, no lease taken); `compensated`, `rejected` and `superseded` ones refuse every claim.
   * An `awaiting-approval` one refuses every claim too (GP-A01): effects run only once approved.
   */
  async claimStep(
    p: {
      requestKey: string;
      stepId: string;
      fingerprint: string;
      taskId: string;
      /** The claiming action, kept for compensation (§8). */
      action?: string;
    },
    now: string,
    leaseMs: number,
  ): Promise<
    | { run: boolean; step: StepRecord }
    | { refused: true; ruleId: string; message: string }
  > {
    return this.db.transaction(async tx => {
      const requestRow = await this.locked(tx, 'gp_requests', {
        request_key: p.requestKey,
      });
      if (!requestRow)
        throw new NotFoundError(`request "${p.requestKey}" not found`);
      const req = toRequest(requestRow);
      const where = { request_key: p.requestKey, step_id: p.stepId };
      const i05 = {
        refused: true as const,
        ruleId: 'GP-I05',
        message: gpMessages.i05({ step: p.stepId, key: p.requestKey }),
      };
      // The recorded action is the one compensation undoes (§8). A step claimed by another
      // action than recorded (a template changed under the same version) would run or replay
      // one effect and leave another to be undone: different input, as a different fingerprint.
      const sameInput = (step: StepRecord) =>
        step.fingerprint === p.fingerprint &&
        !(step.action && p.action && step.action !== p.action);
      if (isClosed(req.status)) {
        const recorded = await tx('gp_steps').where(where).first();
        const step = recorded ? toStep(recorded) : undefined;
        // A replay of a succeeded request: what it recorded, and nothing runs or is written.
        if (req.status === 'succeeded' && step?.status === 'done') {
          return sameInput(step) ? { run: false, step } : i05;
        }
        throw new ConflictError(
          closedRequestMessage(
            p.requestKey,
            req.status,
            `claiming step "${p.stepId}"`,
          ),
        );
      }
      // No effect runs while an approval of the request is outstanding (pending, or expired and
      // not requested again): the approve step of a rerun makes the request `open` once its
      // approval is approved. The caller replaces this text with the approval's own (GP-A01 or
      // GP-A05); it stands when no approval is found.
      if (req.status === 'awaiting-approval') {
        return {
          refused: true as const,
          ruleId: 'GP-A01',
          message: `GP-A01: Request "${p.requestKey}" is waiting for an approval, so step "${p.stepId}" does not run. When it is approved, press Retry or run the template again with the same inputs.`,
        };
      }
      if (
        req.leaseTaskId &&
        req.leaseTaskId !== p.taskId &&
        req.leaseUntil &&
        req.leaseUntil > now
      ) {
        return {
          refused: true as const,
          ruleId: 'GP-I03',
          message: heldByMessage(p.requestKey, req.leaseTaskId, req),
        };
      }
      // Under the request's lock no other claim of this request runs (PostgreSQL; SQLite
      // serializes writing transactions), so the row read next is the one this claim decides on.
      await tx('gp_steps')
        .insert({
          ...where,
          fingerprint: p.fingerprint,
          status: 'claimed',
          action: p.action ?? null,
          task_id: p.taskId,
          attempt: 1,
          started_at: now,
        })
        .onConflict(['request_key', 'step_id'])
        .ignore();
      const row = await this.locked(tx, 'gp_steps', where);
      let step = toStep(row);
      if (!sameInput(step)) return i05;
      // A task that was only slow, whose request `failExpiredLeases` failed meanwhile, shows
      // that it is alive: the request is running again.
      const revived =
        req.status === 'failed' &&
        req.lastErrorCode === LEASE_EXPIRED &&
        req.leaseTaskId === p.taskId;
      await tx('gp_requests')
        .where({ request_key: p.requestKey })
        .update({
          lease_task_id: p.taskId,
          lease_until: addMs(now, leaseMs),
          lease_started_at:
            req.leaseTaskId === p.taskId ? req.leaseStartedAt ?? now : now,
          status: req.status === 'open' || revived ? 'running' : req.status,
          ...(revived ? { last_error_code: null } : {}),
          updated_at: now,
        });
      // A row claimed before the action was recorded learns it from the next claim.
      if (!step.action && p.action) {
        await tx('gp_steps').where(where).update({ action: p.action });
        step = { ...step, action: p.action };
      }
      if (step.status === 'done') return { run: false, step };
      if (step.status === 'claimed' && step.taskId === p.taskId) {
        return { run: true, step };
      }
      const update = {
        status: 'claimed',
        task_id: p.taskId,
        attempt: step.attempt + 1,
        started_at: now,
        finished_at: null,
      };
      await tx('gp_steps').where(where).update(update);
      return {
        run: true,
        step: toStep({ ...row, action: step.action ?? null, ...update }),
      };
    });
  }

  /**
   * Records a step's result. Repeating the recorded result is a no-op answered with the stored
   * step (a retried call, whoever sends it). Anything else is written only by the task that
   * claimed the step and still holds the request: 409 on a closed request, on a `compensated`
   * step (a repair or compensation undid it; a late result must not make it `done` again), on a
   * step not `claimed` by this task, and when the request's lease names another task or none.
   * A lease that ran out but still names this task counts as held: nobody took the request over
   * (a takeover renames the lease, §4.4 "open with expired lease → resume"), so the result is
   * still this run's and is kept; once another task or a compensation took it, the late result is
   * refused and the step is claimed again by the run that holds the request.
   */
  async completeStep(
    p: {
      requestKey: string;
      stepId: string;
      taskId: string;
      status: 'done' | 'failed';
      output?: Record<string, unknown>;
      effectRef?: string;
    },
    now: string,
  ): Promise<StepRecord> {
    return this.db.transaction(async tx => {
      const requestRow = await this.locked(tx, 'gp_requests', {
        request_key: p.requestKey,
      });
      if (!requestRow)
        throw new NotFoundError(`request "${p.requestKey}" not found`);
      const row = await this.locked(tx, 'gp_steps', {
        request_key: p.requestKey,
        step_id: p.stepId,
      });
      if (!row) {
        throw new NotFoundError(
          `step "${p.stepId}" of request "${p.requestKey}" was never claimed`,
        );
      }
      const step = toStep(row);
      const req = toRequest(requestRow);
      if (step.status === p.status) return step;
      const what = `step "${p.stepId}" of request "${p.requestKey}"`;
      if (isClosed(req.status)) {
        throw new ConflictError(
          closedRequestMessage(
            p.requestKey,
            req.status,
            `recording ${what} as ${p.status}`,
          ),
        );
      }
      if (step.status === 'compensated') {
        throw new ConflictError(
          `${what} was compensated; it is not recorded as ${p.status} again (claim it again from a run that holds the request)`,
        );
      }
      if (step.status === 'done') {
        throw new ConflictError(`${what} is already done`);
      }
      if (req.leaseTaskId !== p.taskId) {
        if (req.leaseTaskId && req.leaseUntil && req.leaseUntil > now) {
          throw ruleConflict(
            'GP-I03',
            heldByMessage(p.requestKey, req.leaseTaskId, req),
          );
        }
        throw new ConflictError(
          `task ${p.taskId} no longer holds request "${p.requestKey}" (${
            req.leaseTaskId ? `held by ${req.leaseTaskId}` : 'released'
          }); ${what} is not recorded — claim it again first`,
        );
      }
      if (step.status !== 'claimed' || step.taskId !== p.taskId) {
        throw new ConflictError(
          `${what} is ${step.status} by task ${
            step.taskId ?? '(unknown)'
          }, not claimed by task ${
            p.taskId
          }; claim it before recording its result`,
        );
      }
      const update = {
        status: p.status,
        output_json: json(p.output),
        effect_ref: p.effectRef ?? null,
        task_id: p.taskId,
        finished_at: now,
      };
      await tx('gp_steps')
        .where({ request_key: p.requestKey, step_id: p.stepId })
        .update(update);
      return toStep({ ...row, ...update });
    });
  }

  // ---- approvals (§6) ----

  /**
   * Inserts an approval unless (request, plan digest, round) exists; returns the latest round
   * stored, so concurrent openers of the same round all get the one that won. (An opening goes
   * through `openApproval`, which also supersedes the others and sets the request's status.)
   */
  async insertApproval(
    a: ApprovalRecord,
  ): Promise<{ approval: ApprovalRecord; created: boolean }> {
    return this.db.transaction(tx => this.insertApprovalIn(tx, a));
  }

  /** `insertApproval` inside the caller's transaction `tx`. */
  private async insertApprovalIn(
    tx: Knex.Transaction,
    a: ApprovalRecord,
  ): Promise<{ approval: ApprovalRecord; created: boolean }> {
    await tx('gp_approvals')
      .insert({
        id: a.id,
        request_key: a.requestKey,
        plan_digest: a.planDigest,
        round: a.round,
        triggers_json: JSON.stringify(a.triggers),
        routes_json: JSON.stringify(a.routes),
        status: a.status,
        requested_by: a.requestedBy,
        created_at: a.createdAt,
        expires_at: a.expiresAt,
        plan_json: json(a.plan),
      })
      .onConflict(['request_key', 'plan_digest', 'round'])
      .ignore();
    const stored = (await this.findApproval(a.requestKey, a.planDigest, tx))!;
    const created = stored.id === a.id;
    if (created) await this.insertRoutesIn(tx, a);
    return { approval: stored, created };
  }

  /**
   * The route groups of a new approval in `gp_approval_routes`, one row per group as `refKey`
   * gives it (the inbox compares refs lower-cased), in the approval's transaction.
   */
  private async insertRoutesIn(
    tx: Knex.Transaction,
    a: ApprovalRecord,
  ): Promise<void> {
    const groups = [...new Set(a.routes.map(r => refKey(r.group)))];
    if (groups.length === 0) return;
    await tx('gp_approval_routes').insert(
      groups.map(group => ({ approval_id: a.id, group_ref: group })),
    );
  }

  /**
   * Opens the approval of (request, plan digest) in one transaction, under the request's row lock
   * (PostgreSQL; SQLite serializes writing transactions) as the other writes on a request take
   * it: makes it current (`opening`: a new round, a revival, or the stored one kept), supersedes
   * the request's other pending or approved approvals when this call inserted or revived it,
   * sets the request's status from the approval's (pending → `awaiting-approval`, approved →
   * `open` from `awaiting-approval`, either with the plan digest) and appends the opening's
   * `gp_events` record (`auditOf`, for an approval this call inserted or revived). Written as
   * separate steps, a crash or a failed write between them left a committed approval whose older
   * approvals were never superseded or whose request never waited for it, and the retry, finding
   * the approval there, did neither; now all of it commits or none of it, and the retry does it
   * once. A closed request (or one closed meanwhile) is refused with 409 and nothing written.
   */
  async openApproval(p: {
    requestKey: string;
    opening: ApprovalOpening;
    now: string;
    auditOf?: (opened: {
      approval: ApprovalRecord;
      revived: boolean;
    }) => NewEvent;
  }): Promise<ApprovalOpened> {
    return this.db.transaction(async tx => {
      const row = await this.locked(tx, 'gp_requests', {
        request_key: p.requestKey,
      });
      if (!row) throw new NotFoundError(`request "${p.requestKey}" not found`);
      const request = toRequest(row);
      if (isClosed(request.status)) {
        throw new ConflictError(
          closedRequestMessage(
            p.requestKey,
            request.status,
            'opening an approval for it',
          ),
        );
      }
      const { opening } = p;
      let approval: ApprovalRecord;
      let created = false;
      let revived = false;
      if ('insert' in opening) {
        ({ approval, created } = await this.insertApprovalIn(
          tx,
          opening.insert,
        ));
      } else if ('revive' in opening) {
        const { id, ...change } = opening.revive;
        const changed = await tx('gp_approvals')
          .where({ id, status: 'superseded' })
          .update({
            status: change.status,
            expires_at: change.expiresAt,
            decided_at: change.decidedAt ?? null,
          });
        approval = toApproval(await tx('gp_approvals').where({ id }).first());
        revived = Number(changed) === 1;
      } else {
        approval = opening.keep;
      }
      // Only the call that made it current supersedes the others: a concurrent opener that
      // found it done must not supersede what was opened after it.
      const superseded =
        created || revived ? await this.supersedeOthersIn(tx, approval) : [];
      const status = requestStatusFor(approval.status, request.status);
      if (status) {
        await tx('gp_requests')
          .where({ request_key: p.requestKey })
          .update(requestStatusUpdate(status, p.now, approval.planDigest));
      }
      if ((created || revived) && p.auditOf) {
        await this.insertEvent(tx, p.auditOf({ approval, revived }));
      }
      return { approval, created, revived, superseded };
    });
  }

  /**
   * Supersedes the request's other pending or approved approvals (one digest is current; a
   * decided one keeps its `decided_at`); returns them as they were.
   */
  private async supersedeOthersIn(
    tx: Knex.Transaction,
    current: ApprovalRecord,
  ): Promise<ApprovalRecord[]> {
    const others = (
      await tx('gp_approvals')
        .where({ request_key: current.requestKey })
        .whereIn('status', ['pending', 'approved'])
        .whereNot({ id: current.id })
    ).map(toApproval);
    for (const a of others) {
      await tx('gp_approvals')
        .where({ id: a.id })
        .update({ status: 'superseded', decided_at: a.decidedAt ?? null });
    }
    return others;
  }

  /** The latest round of the approval of (request, plan digest). */
  async findApproval(
    requestKey: string,
    planDigest: string,
    db: Knex | Knex.Transaction = this.db,
  ): Promise<ApprovalRecord | undefined> {
    const row = await db('gp_approvals')
      .where({ request_key: requestKey, plan_digest: planDigest })
      .orderBy('round', 'desc')
      .first();
    return row ? toApproval(row) : undefined;
  }

  async getApproval(id: string): Promise<ApprovalRecord | undefined> {
    const row = await this.db('gp_approvals').where({ id }).first();
    return row ? toApproval(row) : undefined;
  }

  /**
   * Approvals, newest first (at most 500); `dueBy`: only those whose `expiresAt` ≤ it;
   * `routedTo`: only those with a route to one of these groups (refs in `refKey` form, as
   * `memberGroups` gives them; none: no approval, nothing read), through `gp_approval_routes`
   * (an approval stored without rows there is found once `writeMissingRoutes` wrote them).
   */
  async listApprovals(
    filter: {
      requestKey?: string;
      status?: string;
      dueBy?: string;
      routedTo?: readonly string[];
      /**
       * The next page (of `limit`, default 500) starts after this approval, newest first: a
       * keyset, so an approval opened, decided or expired between two pages neither repeats
       * one nor skips one, as an offset would.
       */
      after?: Pick<ApprovalRecord, 'createdAt' | 'id'>;
      limit?: number;
    } = {},
  ): Promise<ApprovalRecord[]> {
    const { routedTo, after } = filter;
    if (routedTo && routedTo.length === 0) return [];
    const q = this.db('gp_approvals')
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(filter.limit ?? 500);
    if (after) {
      afterInDescendingOrder(
        q,
        ['created_at', after.createdAt],
        ['id', after.id],
      );
    }
    if (filter.requestKey) q.where({ request_key: filter.requestKey });
    if (filter.status) q.where({ status: filter.status });
    // ISO-8601 UTC strings (toISOString) sort as text on both databases.
    if (filter.dueBy) q.where('expires_at', '<=', filter.dueBy);
    if (routedTo) {
      // Read through the group index of `gp_approval_routes`: approvals of other groups are
      // never read.
      q.whereExists(
        this.routesOfApproval().whereIn('group_ref', [...routedTo]),
      );
    }
    return (await q).map(toApproval);
  }

  /**
   * What to see to before approvals are listed, in one read of the pending approvals (through
   * the status index; of `requestKey` only, when given):
   * - `due`: those whose `expiresAt` ≤ `dueBy`, newest first, at most 500 (to settle, §6.2
   *   rule 3), as `listApprovals({ status: 'pending', dueBy })` gives them;
   * - `unrouted`: those with no row in `gp_approval_routes` (at most 500 a read, the rest at the
   *   next; listed by id), with their route groups as `routeGroups` reads them. An instance still running code older than that
   *   table (a rolling upgrade) writes approvals without rows, and `listApprovals({ routedTo })`
   *   finds them only once `writeMissingRoutes` wrote theirs. Nothing else is read: an approval
   *   written by this code has its rows from its insert.
   */
  async listPendingToSettle(filter: {
    dueBy: string;
    requestKey?: string;
  }): Promise<{ due: ApprovalRecord[]; unrouted: UnroutedApproval[] }> {
    const pending = (flag: 0 | 1) => {
      const q = this.db('gp_approvals')
        .select('gp_approvals.*', this.db.raw(`${flag} as ??`, ['unrouted']))
        .where({ status: 'pending' })
        .limit(500);
      if (filter.requestKey) q.where({ request_key: filter.requestKey });
      return q;
    };
    const due = pending(0)
      .where('expires_at', '<=', filter.dueBy)
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ]);
    const unrouted = pending(1).whereNotExists(this.routesOfApproval());
    // One statement: each part is read in its own subquery, with its own order and limit. No
    // order for `unrouted`: ordered by id, PostgreSQL could walk the whole primary key for it.
    const byId = (a: { id: string }, b: { id: string }) =>
      compareText(a.id, b.id);
    const rows: any[] = await this.db
      .select('*')
      .from(due.as('due'))
      .unionAll(this.db.select('*').from(unrouted.as('unrouted')));
    return {
      due: rows
        .filter(r => Number(r.unrouted) === 0)
        .sort((a, b) =>
          a.created_at === b.created_at
            ? compareText(b.id, a.id)
            : compareText(b.created_at, a.created_at),
        )
        .map(toApproval),
      // routes_json is parsed leniently here: a row no code of this plugin wrote must not fail
      // every inbox load.
      unrouted: rows
        .filter(r => Number(r.unrouted) === 1)
        .sort(byId)
        .map(r => ({ id: r.id, groups: routeGroups(r.routes_json) })),
    };
  }

  /**
   * Writes the `gp_approval_routes` rows of approvals stored without them (`listPendingToSettle`),
   * in one transaction, so an approval never has only some of its groups; rows already there are
   * kept (another instance may be writing the same). Afterwards `listApprovals({ routedTo })`
   * finds them through the group index, whatever their status.
   */
  async writeMissingRoutes(
    approvals: readonly UnroutedApproval[],
  ): Promise<void> {
    // In one order everywhere, so two instances writing the same rows wait for each other
    // instead of deadlocking (PostgreSQL). An approval that routes to no group gets one row
    // of no group (NO_GROUP_ROUTE), which no caller's groups include: it is not taken up again.
    const rows = approvals
      .flatMap(a =>
        (a.groups.length ? a.groups : [NO_GROUP_ROUTE]).map(group => ({
          approval_id: a.id,
          group_ref: group,
        })),
      )
      .sort((a, b) =>
        a.approval_id === b.approval_id
          ? compareText(a.group_ref, b.group_ref)
          : compareText(a.approval_id, b.approval_id),
      );
    if (rows.length === 0) return;
    await this.db.transaction(async tx => {
      for (let i = 0; i < rows.length; i += 500)
        await tx('gp_approval_routes')
          .insert(rows.slice(i, i + 500))
          .onConflict(['approval_id', 'group_ref'])
          .ignore();
    });
  }

  /** The route rows of the `gp_approvals` row of the outer query (for EXISTS / NOT EXISTS). */
  private routesOfApproval() {
    return this.db('gp_approval_routes')
      .select(this.db.raw('1'))
      .whereRaw('?? = ??', [
        'gp_approval_routes.approval_id',
        'gp_approvals.id',
      ]);
  }

  /**
   * Writes the route rows of every approval stored without them, whatever its status, in pages of
   * `batch` by id; the number of approvals repaired. The inbox's own repair
   * (`listPendingToSettle`) takes pending approvals only: one that an instance still on code
   * older than `gp_approval_routes` both opened and decided (a rolling upgrade) would otherwise
   * never be listed in an inbox. Run by the `golden-paths-approval-routes` task.
   */
  async repairMissingRoutes(batch = 500): Promise<number> {
    let repaired = 0;
    let after = '';
    for (;;) {
      const rows: { id: string; routes_json: unknown }[] = await this.db(
        'gp_approvals',
      )
        .select('id', 'routes_json')
        .where('id', '>', after)
        .whereNotExists(this.routesOfApproval())
        .orderBy('id')
        .limit(batch);
      if (rows.length === 0) return repaired;
      await this.writeMissingRoutes(
        rows.map(r => ({ id: r.id, groups: routeGroups(r.routes_json) })),
      );
      repaired += rows.length;
      if (rows.length < batch) return repaired;
      after = rows[rows.length - 1].id;
    }
  }

  async setApprovalStatus(
    id: string,
    status: ApprovalRecord['status'],
    decidedAt?: string,
  ): Promise<void> {
    await this.db('gp_approvals')
      .where({ id })
      .update({ status, decided_at: decidedAt ?? null });
  }

  /**
   * Marks an approval `expired` only while it is still `pending`; false when it was not (a
   * decision settled it between the caller's read and this write, which must not be undone).
   */
  async expireIfPending(id: string): Promise<boolean> {
    const changed = await this.db('gp_approvals')
      .where({ id, status: 'pending' })
      .update({ status: 'expired', decided_at: null });
    return changed > 0;
  }

  /**
   * Settles a pending approval from the decisions stored for it, under its request's and then the
   * approval's row lock (PostgreSQL, in the lock order of `locked`; SQLite serializes writing
   * transactions): `statusOf` computes the status, and a
   * decided approval takes the time of its last decision. Two decisions on different routes each
   * settle after their own insert, so whichever settles second sees both (a status computed from
   * the decisions read before the insert misses the other and leaves the approval pending for
   * good). The request follows: rejected (unless it is already closed: succeeded, rejected,
   * compensated or superseded), or `awaiting-approval` → `open` when approved.
   */
  async settleApproval(
    id: string,
    statusOf: (
      approval: ApprovalRecord,
      decisions: DecisionRecord[],
    ) => ApprovalRecord['status'],
    now: string,
  ): Promise<ApprovalRecord | undefined> {
    return this.db.transaction(tx => this.settleIn(tx, id, statusOf, now));
  }

  /** `settleApproval` inside the caller's transaction `tx`. */
  private async settleIn(
    tx: Knex.Transaction,
    id: string,
    statusOf: (
      approval: ApprovalRecord,
      decisions: DecisionRecord[],
    ) => ApprovalRecord['status'],
    now: string,
  ): Promise<ApprovalRecord | undefined> {
    const rows = await this.lockedApproval(tx, id);
    if (!rows) return undefined;
    const approval = toApproval(rows.approval);
    if (approval.status !== 'pending') return approval;
    const decisions = (
      await tx('gp_approval_decisions')
        .where({ approval_id: id })
        .orderBy('decided_at')
    ).map(toDecision);
    const status = statusOf(approval, decisions);
    if (status === 'pending') return approval;
    const decidedAt = decisions.length
      ? decisions[decisions.length - 1].decidedAt
      : now;
    await tx('gp_approvals')
      .where({ id })
      .update({ status, decided_at: decidedAt });
    const request = rows.request;
    // A closed request keeps its status: a late rejection of an approval it no longer waits
    // for (it succeeded, was compensated or superseded) must not rewrite its outcome.
    if (status === 'rejected' && request && !isClosed(request.status)) {
      await tx('gp_requests')
        .where({ request_key: approval.requestKey })
        .update({
          status: 'rejected',
          updated_at: now,
          lease_task_id: null,
          lease_until: null,
          lease_started_at: null,
        });
    } else if (
      status === 'approved' &&
      request?.status === 'awaiting-approval'
    ) {
      await tx('gp_requests')
        .where({ request_key: approval.requestKey })
        .update({ status: 'open', updated_at: now });
    }
    return { ...approval, status, decidedAt };
  }

  /**
   * Inserts a decision unless the route was already decided; returns the stored one and whether
   * this call stored it. Decided under the approval's row lock, taken after its request's (the
   * lock order of `locked`; PostgreSQL; SQLite serializes writing transactions): telling "mine" from the stored row's fields would call both of two
   * identical decisions sent at once (a double click) new, and record the decision twice.
   *
   * `then`, for a decision this call stores: settles the approval in the same transaction (as
   * `settleApproval`, answered as `approval`) and appends the decision's `gp_events` record
   * (`auditOf`) with it. Written after the commit, a failed insert would leave the decision
   * unaudited for good (the same decision again is a repeat that records nothing); now it rolls
   * the decision back, so its retry stores and records it. With `then`, a route not yet decided
   * of an approval no longer pending under the lock (superseded or settled after the caller
   * checked it) stores nothing: `ApprovalNotPendingError` (409). A decision stored for it would
   * never count, yet be answered 201 and recorded. A route already decided is answered as
   * stored first, so the same decision sent twice at once stays a repeat.
   */
  async insertDecision(
    d: DecisionRecord,
    then?: {
      statusOf: (
        approval: ApprovalRecord,
        decisions: DecisionRecord[],
      ) => ApprovalRecord['status'];
      now: string;
      auditOf?: (
        decision: DecisionRecord,
        approval: ApprovalRecord,
      ) => NewEvent;
    },
  ): Promise<{
    decision: DecisionRecord;
    created: boolean;
    approval?: ApprovalRecord;
  }> {
    return this.db.transaction(async tx => {
      const locked = (await this.lockedApproval(tx, d.approvalId))?.approval;
      const where = { approval_id: d.approvalId, route: d.route };
      const existing = await tx('gp_approval_decisions').where(where).first();
      if (existing) return { decision: toDecision(existing), created: false };
      if (then && locked && locked.status !== 'pending') {
        throw new ApprovalNotPendingError(toApproval(locked));
      }
      await tx('gp_approval_decisions').insert({
        ...where,
        approver: d.approver,
        decision: d.decision,
        reason: d.reason,
        answers_json: json(d.answers),
        decided_at: d.decidedAt,
        break_glass: d.breakGlass,
      });
      const decision = toDecision(
        await tx('gp_approval_decisions').where(where).first(),
      );
      if (!then) return { decision, created: true };
      const approval = await this.settleIn(
        tx,
        d.approvalId,
        then.statusOf,
        then.now,
      );
      if (approval && then.auditOf) {
        await this.insertEvent(tx, then.auditOf(decision, approval));
      }
      return { decision, created: true, approval };
    });
  }

  async listDecisions(approvalIds: string[]): Promise<DecisionRecord[]> {
    if (approvalIds.length === 0) return [];
    return (
      await this.db('gp_approval_decisions')
        .whereIn('approval_id', approvalIds)
        .orderBy('decided_at')
    ).map(toDecision);
  }

  /**
   * The rejections recorded on the approvals of these request keys (§6.3: the inbox shows the
   * prior rejections for the key), oldest first, each with its approval's key and plan digest.
   * One query however many keys the inbox lists (at most its 500).
   */
  async listRejections(
    requestKeys: readonly string[],
  ): Promise<RejectionRecord[]> {
    if (requestKeys.length === 0) return [];
    const rows = await this.db('gp_approval_decisions as d')
      .join('gp_approvals as a', 'a.id', 'd.approval_id')
      .whereIn('a.request_key', [...new Set(requestKeys)])
      .where('d.decision', 'reject')
      .select('d.*', 'a.request_key', 'a.plan_digest')
      .orderBy([
        { column: 'd.decided_at', order: 'asc' },
        { column: 'd.approval_id', order: 'asc' },
      ]);
    return rows.map(r => ({
      ...toDecision(r),
      requestKey: r.request_key,
      planDigest: r.plan_digest,
    }));
  }

  // ---- runtime kill switches (§4.7) ----

  async listKillSwitches(): Promise<RuntimeKillSwitch[]> {
    return (await this.db('gp_kill_switches').orderBy(['scope', 'id'])).map(
      r => ({
        scope: r.scope,
        id: r.id,
        disabled: Boolean(r.disabled),
        reason: r.reason,
        setBy: r.set_by,
        setAt: r.set_at,
        until: opt(r.until),
      }),
    );
  }

  /**
   * Sets a runtime switch; `false` when it already was in that state (same `disabled`, `reason`
   * and `until`). Then nothing is written: `set_at` is the "since" of GP-K01/K02 and `set_by` the
   * operator who threw it, and a repeated PUT (a retried request, a second operator confirming)
   * must move neither. `beforeWrite` runs only when the switch changes, under the row's lock: the
   * place for rules a repeat need not meet again (it throws to refuse, which rolls back).
   *
   * The first write of a switch inserts its row if absent before anything is read: a row lock
   * (`FOR UPDATE`) finds no row to lock yet, so two first PUTs sent together would both see none
   * and both write and record. With the insert the second waits on the primary key (scope, id)
   * for the first transaction and then finds the row, locked, in the state the first set.
   *
   * `audit`, the change's `gp_events` record, is appended in the same transaction when the switch
   * changes: written after the commit, a failed insert would leave a changed switch unaudited for
   * good (the retry finds the state already set and records nothing); now it rolls the change back.
   */
  async putKillSwitch(
    s: RuntimeKillSwitch,
    beforeWrite?: () => void,
    audit?: NewEvent,
  ): Promise<boolean> {
    const row = {
      scope: s.scope,
      id: s.id,
      disabled: s.disabled,
      reason: s.reason,
      set_by: s.setBy,
      set_at: s.setAt,
      until: s.until ?? null,
    };
    return this.db.transaction(async tx => {
      const inserted = await tx('gp_kill_switches')
        .insert(row)
        .onConflict(['scope', 'id'])
        .ignore()
        .returning('id');
      if (inserted.length > 0) {
        beforeWrite?.();
        if (audit) await this.insertEvent(tx, audit);
        return true;
      }
      const stored = await this.locked(tx, 'gp_kill_switches', {
        scope: s.scope,
        id: s.id,
      });
      if (
        Boolean(stored.disabled) === s.disabled &&
        stored.reason === s.reason &&
        opt(stored.until) === s.until
      ) {
        return false;
      }
      beforeWrite?.();
      await tx('gp_kill_switches')
        .where({ scope: s.scope, id: s.id })
        .update(row);
      if (audit) await this.insertEvent(tx, audit);
      return true;
    });
  }

  // ---- compensation (§8 "Revert") ----

  /**
   * Takes the request for one compensation run, compare-and-set: the row must still have the
   * status the caller planned from, must not be `compensated`, and no live lease may hold it (a
   * running task, or another compensation). The run then holds the lease as `token`, so neither a
   * scaffolder task (GP-I03) nor a second compensation acts on the request meanwhile; the lease
   * expires on its own if the process dies mid-run. `false` when another writer got there first.
   */
  async beginCompensation(
    requestKey: string,
    expectedStatus: RequestStatus,
    token: string,
    now: string,
    leaseMs: number,
  ): Promise<boolean> {
    const changed = await this.db('gp_requests')
      .where({ request_key: requestKey, status: expectedStatus })
      .whereNot({ status: 'compensated' })
      .andWhere(q =>
        q.whereNull('lease_until').orWhere('lease_until', '<=', now),
      )
      .update({
        lease_task_id: token,
        lease_until: addMs(now, leaseMs),
        lease_started_at: now,
        updated_at: now,
      });
    return Number(changed) === 1;
  }

  /**
   * Ends the compensation run that holds the lease as `token`: `compensated` when every automated
   * item succeeded, otherwise the status stays as it was. The lease is released either way.
   * `false` when the run no longer held the lease (it expired and someone else took the row).
   */
  async finishCompensation(
    requestKey: string,
    token: string,
    compensated: boolean,
    now: string,
  ): Promise<boolean> {
    const changed = await this.db('gp_requests')
      .where({ request_key: requestKey, lease_task_id: token })
      .update({
        ...(compensated ? { status: 'compensated' } : {}),
        lease_task_id: null,
        lease_until: null,
        lease_started_at: null,
        updated_at: now,
      });
    return Number(changed) === 1;
  }

  /**
   * Marks a `done` step `compensated`; `false` when it was not `done` (any more). A compensation
   * run marks each step as its item finishes, so a run that crashes or loses its lease midway
   * leaves the steps it undid marked (and a run or task that takes the request next sees them).
   */
  async markStepCompensated(
    requestKey: string,
    stepId: string,
  ): Promise<boolean> {
    const changed = await this.db('gp_steps')
      .where({ request_key: requestKey, step_id: stepId, status: 'done' })
      .update({ status: 'compensated' });
    return Number(changed) === 1;
  }

  /**
   * Ends the compensation run that holds the lease as `token` in one transaction with what the
   * run records at its end: the approvals it supersedes (`pending` ones only), the request
   * `compensated` when `compensated` and the lease released, and the run's `gp_events` record
   * (`auditOf`, given whether the run still held the lease and how many approvals it
   * superseded). Its steps are already marked (`markStepCompensated`, item by item). A real run
   * on a compensated request records nothing, so a record written after this commit and lost
   * could never be written; now a failed insert rolls all of this back and the run, planned and
   * sent again, records it once.
   *
   * The request is locked before the approvals, in the lock order of `locked` that decisions,
   * openings and step repairs keep too: superseding the approvals first held them while a
   * concurrent opening (or, with decisions taking the request first, a decision) held the
   * request and waited for them, a deadlock PostgreSQL broke by failing one with a 500.
   */
  async completeCompensation(p: {
    requestKey: string;
    token: string;
    compensated: boolean;
    now: string;
    supersedeApprovals: readonly string[];
    auditOf?: (done: CompensationDone) => NewEvent;
  }): Promise<CompensationDone> {
    return this.db.transaction(async tx => {
      await this.locked(tx, 'gp_requests', { request_key: p.requestKey });
      const superseded = p.supersedeApprovals.length
        ? Number(
            await tx('gp_approvals')
              .where({ request_key: p.requestKey, status: 'pending' })
              .whereIn('id', [...p.supersedeApprovals])
              .update({ status: 'superseded' }),
          )
        : 0;
      const changed = await tx('gp_requests')
        .where({ request_key: p.requestKey, lease_task_id: p.token })
        .update({
          ...(p.compensated ? { status: 'compensated' } : {}),
          lease_task_id: null,
          lease_until: null,
          lease_started_at: null,
          updated_at: p.now,
        });
      const row = await tx('gp_requests')
        .where({ request_key: p.requestKey })
        .first('status');
      const done = {
        finished: Number(changed) === 1,
        superseded,
        status: row?.status as RequestStatus | undefined,
      };
      if (p.auditOf) await this.insertEvent(tx, p.auditOf(done));
      return done;
    });
  }

  /**
   * Repairs one step by hand (§8 step 3), under the request's and the step's row locks: 404 for
   * an unknown request or step, 409 while a live lease holds the request (a running task or a
   * compensation run), then `decide` says what the step becomes (409 / 400 with its message,
   * or nothing when the step already is so). When the change leaves every step of the request
   * `compensated`, the request becomes `compensated`, its lease is cleared and its pending
   * approvals are superseded — what a compensation run that completes does.
   *
   * `auditOf` gives the `gp_events` record of a repair that changes the step, appended in the same
   * transaction: written after the commit, a failed insert would leave the repair unaudited for
   * good (its retry finds the step already so and records nothing); now it rolls the repair back.
   */
  async repairStep(
    p: { requestKey: string; stepId: string; now: string },
    decide: (
      step: StepRecord,
    ) =>
      | { outcome: 'change'; status: StepRecord['status']; effectRef?: string }
      | { outcome: 'unchanged' }
      | { outcome: 'conflict'; message: string }
      | { outcome: 'invalid'; message: string },
    auditOf?: (repair: StepRepair) => NewEvent,
  ): Promise<StepRepair> {
    return this.db.transaction(async tx => {
      const requestRow = await this.locked(tx, 'gp_requests', {
        request_key: p.requestKey,
      });
      if (!requestRow)
        throw new NotFoundError(`request "${p.requestKey}" not found`);
      const requestBefore = toRequest(requestRow);
      if (
        requestBefore.leaseTaskId &&
        requestBefore.leaseUntil &&
        requestBefore.leaseUntil > p.now
      ) {
        throw new ConflictError(
          `request "${p.requestKey}" is held by ${requestBefore.leaseTaskId} until ${requestBefore.leaseUntil}; repair its steps after that task or compensation ends (switch the template or action off first to stop a running task, §8)`,
        );
      }
      const row = await this.locked(tx, 'gp_steps', {
        request_key: p.requestKey,
        step_id: p.stepId,
      });
      if (!row) {
        throw new NotFoundError(
          `request "${p.requestKey}" has no step "${p.stepId}"`,
        );
      }
      const before = toStep(row);
      const plan = decide(before);
      if (plan.outcome === 'conflict') throw new ConflictError(plan.message);
      if (plan.outcome === 'invalid') throw new InputError(plan.message);
      if (plan.outcome === 'unchanged') {
        return {
          changed: false,
          before,
          step: before,
          requestBefore,
          request: requestBefore,
          requestCompensated: false,
          approvalsSuperseded: [],
        };
      }
      const update = {
        status: plan.status,
        effect_ref: plan.effectRef ?? null,
      };
      await tx('gp_steps')
        .where({ request_key: p.requestKey, step_id: p.stepId })
        .update(update);
      const step = toStep({ ...row, ...update });

      const statuses: string[] = (
        await tx('gp_steps')
          .where({ request_key: p.requestKey })
          .select('status')
      ).map(r => r.status);
      const requestCompensated =
        requestBefore.status !== 'compensated' &&
        statuses.every(s => s === 'compensated');
      let approvalsSuperseded: string[] = [];
      const requestUpdate: Record<string, unknown> = { updated_at: p.now };
      if (requestCompensated) {
        Object.assign(requestUpdate, {
          status: 'compensated',
          lease_task_id: null,
          lease_until: null,
          lease_started_at: null,
        });
        approvalsSuperseded = (
          await tx('gp_approvals')
            .where({ request_key: p.requestKey, status: 'pending' })
            .select('id')
        ).map(r => r.id);
        if (approvalsSuperseded.length) {
          await tx('gp_approvals')
            .where({ request_key: p.requestKey, status: 'pending' })
            .whereIn('id', approvalsSuperseded)
            .update({ status: 'superseded' });
        }
      }
      await tx('gp_requests')
        .where({ request_key: p.requestKey })
        .update(requestUpdate);
      const repair: StepRepair = {
        changed: true,
        before,
        step,
        requestBefore,
        request: toRequest({ ...requestRow, ...requestUpdate }),
        requestCompensated,
        approvalsSuperseded,
      };
      if (auditOf) await this.insertEvent(tx, auditOf(repair));
      return repair;
    });
  }

  // ---- events (§4.5) ----

  async appendEvent(e: NewEvent): Promise<EventRecord> {
    return this.insertEvent(this.db, e);
  }

  /** Appends `e` through `db`: a write's transaction, so its audit record commits with it. */
  private async insertEvent(
    db: Knex | Knex.Transaction,
    e: NewEvent,
  ): Promise<EventRecord> {
    const event = { id: eventId(Date.parse(e.at)), ...e };
    await db('gp_events').insert({
      id: event.id,
      request_key: e.requestKey ?? null,
      at: e.at,
      event_type: e.eventType,
      severity: e.severity,
      record_json: JSON.stringify({ id: event.id, ...e.record }),
    });
    return event;
  }

  async listEvents(requestKey: string): Promise<EventRecord[]> {
    return (
      await this.db('gp_events')
        .where({ request_key: requestKey })
        .orderBy('id')
    ).map(toEvent);
  }

  /** The request's latest event of one of `eventTypes` (the reconciler's last drift record). */
  async lastEvent(
    requestKey: string,
    eventTypes: readonly string[],
  ): Promise<EventRecord | undefined> {
    const r = await this.db('gp_events')
      .where({ request_key: requestKey })
      .whereIn('event_type', [...eventTypes])
      .orderBy('id', 'desc')
      .first();
    return r ? toEvent(r) : undefined;
  }

  /**
   * Every request with `status` and its steps, in pages of `pageSize` by key (the reconciler
   * walks all `succeeded` requests; retention keeps them 90 days).
   */
  async *requestsWithSteps(
    status: RequestStatus,
    pageSize = 200,
  ): AsyncGenerator<{ request: RequestRecord; steps: StepRecord[] }[]> {
    let after: string | undefined;
    for (;;) {
      const q = this.db('gp_requests')
        .where({ status })
        .orderBy('request_key')
        .limit(pageSize);
      if (after !== undefined) q.andWhere('request_key', '>', after);
      const requests = (await q).map(toRequest);
      if (requests.length === 0) return;
      const keys = requests.map(r => r.requestKey);
      const steps = (
        await this.db('gp_steps')
          .whereIn('request_key', keys)
          .orderBy(['request_key', 'started_at'])
      ).map(toStep);
      yield requests.map(request => ({
        request,
        steps: steps.filter(s => s.requestKey === request.requestKey),
      }));
      if (requests.length < pageSize) return;
      after = keys[keys.length - 1];
    }
  }

  /** Retention (§4.3): succeeded rows after `requestDays`, events after `eventDays`. */
  async prune(
    now: string,
    requestDays = 90,
    eventDays = 400,
  ): Promise<{ requests: number; events: number }> {
    const reqCut = addMs(now, -requestDays * 86_400_000);
    const evCut = addMs(now, -eventDays * 86_400_000);
    return this.db.transaction(async tx => {
      // The requests are locked before their approvals and steps are deleted (the lock order of
      // `locked`), so a late decision on one of them waits instead of deadlocking.
      const due = tx('gp_requests')
        .where({ status: 'succeeded' })
        .andWhere('updated_at', '<', reqCut)
        .select('request_key');
      const keys = (await (this.isPg ? due.forUpdate() : due)).map(
        r => r.request_key,
      );
      for (const key of keys) {
        const ids = (
          await tx('gp_approvals').where({ request_key: key }).select('id')
        ).map(r => r.id);
        if (ids.length) {
          await tx('gp_approval_decisions')
            .whereIn('approval_id', ids)
            .delete();
          await tx('gp_approval_routes').whereIn('approval_id', ids).delete();
        }
        await tx('gp_approvals').where({ request_key: key }).delete();
        await tx('gp_steps').where({ request_key: key }).delete();
        await tx('gp_close_records').where({ request_key: key }).delete();
        await tx('gp_requests').where({ request_key: key }).delete();
      }
      const events = await tx('gp_events').where('at', '<', evCut).delete();
      return { requests: keys.length, events };
    });
  }
}

/** Merges runtime rows into switch states; rows past `until` are lifted. */
export function runtimeSwitchStates(
  rows: readonly RuntimeKillSwitch[],
  now: string,
): {
  all?: KillSwitchState;
  templates: Record<string, KillSwitchState>;
  actions: Record<string, KillSwitchState>;
} {
  const nowMs = Date.parse(now);
  const out = {
    all: undefined as KillSwitchState | undefined,
    templates: {} as Record<string, KillSwitchState>,
    actions: {} as Record<string, KillSwitchState>,
  };
  for (const r of rows) {
    if (!r.disabled || switchLifted(r.until, nowMs)) continue;
    const state = { disabled: true, reason: r.reason, since: r.setAt };
    if (r.scope === 'all') out.all = state;
    else if (r.scope === 'template') out.templates[r.id] = state;
    else out.actions[r.id] = state;
  }
  return out;
}

/**
 * Narrows `query`, ordered by `first` then `tie` descending, to the rows after the one holding
 * those two values: a keyset page, which a row written between two pages cannot shift.
 */
function afterInDescendingOrder(
  query: Knex.QueryBuilder,
  [first, firstValue]: [string, string],
  [tie, tieValue]: [string, string],
): void {
  query.andWhere(b =>
    b
      .where(first, '<', firstValue)
      .orWhere(t =>
        t.where(first, '=', firstValue).andWhere(tie, '<', tieValue),
      ),
  );
}
