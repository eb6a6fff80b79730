import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  approvalExpiry,
  approvalRoutes,
  checkDecider,
  DECISION_ANSWERS,
  DEFAULT_GOLDEN_PATHS_CONFIG,
  digestPrefix,
  eligibleApprovers,
  formatInstant,
  formatList,
  gpMessages,
  pendingApprovalMessage,
  type ApprovalTrigger,
  type ApprovalTriggerId,
  type DecisionAnswer,
  type GoldenPathsConfig,
} from '@internal/plugin-golden-paths-common';
import { ulid } from 'ulid';
import {
  ApprovalNotPendingError,
  ApprovalOpening,
  ApprovalRecord,
  DecisionRecord,
  GoldenPathsStore,
  NewEvent,
} from '../database/GoldenPathsStore';
import { closedRequestMessage, isClosed } from '../database/closedRequests';
import { GroupDirectory, isMember } from './groupDirectory';
import { refKey } from '../refKey';

/** `goldenPaths.approvals` (§9). */
export interface ApprovalsConfig {
  expiresAfterDays: number;
  routes: Record<ApprovalTriggerId, readonly string[]>;
  breakGlassGroup: string;
}

/** An approval `ApprovalService.open` created or revived: what its audit record says. */
export interface OpenedApproval {
  approval: ApprovalRecord;
  revived: boolean;
  /** The expired approval a new round replaces. */
  replaces?: ApprovalRecord;
}

/** State of the approval for one plan digest, as the approve step reads it. */
export interface ApprovalState {
  status: 'not-required' | ApprovalRecord['status'];
  approval?: ApprovalRecord;
  decisions: DecisionRecord[];
  created: boolean;
  /** A superseded approval of this digest that is current again (GP-P07). */
  revived?: boolean;
  /** The expired approval of this digest that `approval` replaces (GP-A05). */
  replaces?: ApprovalRecord;
  /**
   * This call created or revived the approval (a concurrent opener that found it revived did
   * not) and so wrote the opening's audit record.
   */
  recorded?: boolean;
  /** GP-A01 / GP-A02 / GP-A03 / GP-A05 text when the step must stop. */
  message?: string;
  ruleId?: string;
  /** GP-A06 per route nobody but the requester can decide. */
  errors: string[];
}

/**
 * The status the stored decisions give an approval (§6.1): any rejection rejects it; an approval
 * on every route approves it; otherwise it waits. One with no route waits: nobody can approve it
 * (the config refuses an empty route list; this keeps the gate closed whatever the cause).
 */
export function statusFromDecisions(
  approval: Pick<ApprovalRecord, 'routes'>,
  decisions: readonly DecisionRecord[],
): 'pending' | 'approved' | 'rejected' {
  if (decisions.some(d => d.decision === 'reject')) return 'rejected';
  if (approval.routes.length === 0) return 'pending';
  const approvedAll = approval.routes.every(r =>
    decisions.some(d => d.route === r.group && d.decision === 'approve'),
  );
  return approvedAll ? 'approved' : 'pending';
}

/** Opens and decides approvals bound to a plan digest (§6). */
export class ApprovalService {
  constructor(
    private readonly store: GoldenPathsStore,
    private readonly config: ApprovalsConfig,
    private readonly directory: GroupDirectory,
  ) {}

  // approvalRoutes / pendingApprovalMessage read only `approvals` of the config.
  private get gpConfig(): GoldenPathsConfig {
    return { approvals: this.config } as unknown as GoldenPathsConfig;
  }

  /**
   * Opens the approval of (request, plan digest), idempotently, and reports its state. A new
   * digest supersedes the earlier approvals of the request; when one of them was approved the
   * answer is GP-A03 (§6.2 rule 6). The approval of a digest that is current again after a detour
   * (D1 → D2 → D1) is revived rather than left superseded (GP-P07: an identical plan keeps its
   * approval). An expired one is followed by a fresh approval, answered with GP-A05 and the new
   * approval (§4.9: "expired → GP-A05 and a fresh request").
   *
   * The approval, the others it supersedes, the request's status and the `gp_events` record
   * (`auditOf`, of an approval this call creates or revives) are written in one transaction
   * (`GoldenPathsStore.openApproval`): a failed write undoes all of them, so the retry opens and
   * records it once; written one by one, the retry would find the approval and neither supersede
   * the others nor record it.
   */
  async open(
    p: {
      requestKey: string;
      planDigest: string;
      triggers: ApprovalTrigger[];
      plan?: Record<string, unknown>;
    },
    now: string,
    auditOf?: (opened: OpenedApproval) => NewEvent,
  ): Promise<ApprovalState> {
    const request = await this.store.getRequest(p.requestKey);
    if (!request)
      throw new NotFoundError(`request "${p.requestKey}" not found`);
    // Opening an approval makes the request wait for it (`awaiting-approval`), which a rerun
    // resumes: on a closed request that would bring a compensated or rejected one back to life.
    // (Checked again under the request's row lock when the opening is written.)
    if (isClosed(request.status)) {
      throw new ConflictError(
        closedRequestMessage(
          p.requestKey,
          request.status,
          'opening an approval for it',
        ),
      );
    }
    const existing = await this.store.findApproval(p.requestKey, p.planDigest);
    if (!existing && p.triggers.length === 0) {
      return {
        status: 'not-required',
        decisions: [],
        created: false,
        errors: [],
      };
    }
    // Settles and expires what is stored before it is reused.
    const stored = existing ? await this.describe(existing, now) : undefined;
    const replaces =
      !stored || stored.status === 'expired' ? stored?.approval : undefined;
    let opening: ApprovalOpening;
    if (!stored || replaces) {
      const round = replaces ? replaces.round + 1 : 0;
      opening = { insert: this.newRound(p, request.createdBy, round, now) };
    } else if (stored.status === 'superseded') {
      opening = {
        revive: this.revival(stored.approval!, stored.decisions, now),
      };
    } else {
      opening = { keep: stored.approval! };
    }
    // One transaction: the approval, the others it supersedes, the request's status and the
    // record (see GoldenPathsStore.openApproval).
    const opened = await this.store.openApproval({
      requestKey: p.requestKey,
      opening,
      now,
      auditOf: auditOf && (o => auditOf({ ...o, replaces })),
    });
    const { approval, created } = opened;
    // A revived approval is current again also when a concurrent opener revived it first.
    const revived = 'revive' in opening && approval.status !== 'superseded';
    const result =
      'keep' in opening ? stored! : await this.describe(approval, now);
    result.created = created;
    result.revived = revived;
    result.recorded = created || opened.revived;
    const approvedBefore = opened.superseded.find(a => a.status === 'approved');
    // A changed plan only stops the run when the new approval still waits.
    if (approvedBefore && result.status === 'pending') {
      result.message = gpMessages.a03({
        oldDigest: approvedBefore.planDigest,
        newDigest: approval.planDigest,
        newId: approval.id,
      });
      result.ruleId = 'GP-A03';
    }
    if (replaces) {
      result.replaces = replaces;
      result.message = [
        gpMessages.a05({ id: replaces.id, at: replaces.expiresAt }),
        result.message,
      ]
        .filter(Boolean)
        .join('\n');
      result.ruleId = 'GP-A05';
    }
    return result;
  }

  /** Round `round` of the approval of (request, digest), as `openApproval` inserts it. */
  private newRound(
    p: {
      requestKey: string;
      planDigest: string;
      triggers: ApprovalTrigger[];
      plan?: Record<string, unknown>;
    },
    requestedBy: string,
    round: number,
    now: string,
  ): ApprovalRecord {
    return {
      id: `apr_${ulid(Date.parse(now))}`,
      requestKey: p.requestKey,
      planDigest: p.planDigest,
      round,
      triggers: p.triggers,
      routes: approvalRoutes(p.triggers, this.gpConfig),
      status: 'pending',
      requestedBy,
      createdAt: now,
      expiresAt: this.expiresAt(now),
      plan: p.plan,
    };
  }

  /**
   * How a superseded approval whose digest is current again comes back: approved if its
   * decisions approve it (approvals of an unchanged plan do not lapse, §5 GP-P07), otherwise
   * pending with a new 7-day wait from now (the decisions it already has still count).
   */
  private revival(
    approval: ApprovalRecord,
    decisions: DecisionRecord[],
    now: string,
  ) {
    const status = statusFromDecisions(approval, decisions);
    return {
      id: approval.id,
      status,
      expiresAt:
        status === 'pending' ? this.expiresAt(now) : approval.expiresAt,
      decidedAt:
        status === 'pending'
          ? undefined
          : approval.decidedAt ?? decisions[decisions.length - 1]?.decidedAt,
    };
  }

  private expiresAt(now: string): string {
    return approvalExpiry(
      { id: '', createdAt: now },
      this.config.expiresAfterDays,
      now,
    ).expiresAt;
  }

  /**
   * The state of one approval with the message the approve step shows. A pending approval whose
   * stored decisions already decide it is settled first, so a promotion a lost race missed heals
   * on the next read; one still pending past its `expiresAt` becomes expired.
   */
  async describe(
    approval: ApprovalRecord,
    now: string,
  ): Promise<ApprovalState> {
    let decisions = await this.store.listDecisions([approval.id]);
    let current = approval;
    if (
      current.status === 'pending' &&
      statusFromDecisions(current, decisions) !== 'pending'
    ) {
      current =
        (await this.store.settleApproval(
          current.id,
          statusFromDecisions,
          now,
        )) ?? current;
      decisions = await this.store.listDecisions([approval.id]);
    }
    // The stored expiry, not createdAt + days: a revived approval waits anew (GP-P07).
    if (
      current.status === 'pending' &&
      Date.parse(now) >= Date.parse(current.expiresAt)
    ) {
      // Conditional: a decision that settled the approval after `current` was read wins.
      current = (await this.store.expireIfPending(current.id))
        ? { ...current, status: 'expired' }
        : (await this.store.getApproval(current.id)) ?? current;
      if (current.status !== 'expired')
        decisions = await this.store.listDecisions([current.id]);
    }
    const base: ApprovalState = {
      status: current.status,
      approval: current,
      decisions,
      created: false,
      errors: [],
    };
    switch (current.status) {
      case 'pending': {
        const view = await this.directory.view();
        const errors = current.routes
          .filter(r => !decisions.some(d => d.route === r.group))
          .map(
            r =>
              eligibleApprovers(
                view,
                refKey(r.group),
                refKey(current.requestedBy),
              ).error,
          )
          .filter((e): e is string => e !== undefined);
        return {
          ...base,
          ruleId: errors.length ? 'GP-A06' : 'GP-A01',
          message: pendingApprovalMessage(
            current.triggers,
            current.id,
            this.gpConfig,
          ),
          errors,
        };
      }
      case 'rejected': {
        const reject = decisions.find(d => d.decision === 'reject');
        return {
          ...base,
          ruleId: 'GP-A02',
          message: gpMessages.a02({
            group: reject?.route ?? '',
            id: current.id,
            at: reject?.decidedAt ?? current.decidedAt ?? now,
            reason: reject?.reason ?? '',
          }),
        };
      }
      case 'expired':
        return {
          ...base,
          ruleId: 'GP-A05',
          message: gpMessages.a05({ id: current.id, at: current.expiresAt }),
        };
      default:
        return base;
    }
  }

  /**
   * Settles what is due before a list is read (§6.2 rule 3): every approval still `pending` past
   * its `expiresAt` (of `requestKey`, or all) goes through `describe`, which settles one its
   * stored decisions already decide and expires the rest, so the inbox never offers an approval
   * that deciding would refuse with GP-A05.
   *
   * In the same read of the pending approvals, those stored without `gp_approval_routes` rows (an
   * instance not yet upgraded wrote them during a rolling upgrade) get their rows first, so the
   * inbox, which reads through that table, lists them from now on whatever becomes of them.
   */
  async settleDue(now: string, requestKey?: string): Promise<void> {
    const { due, unrouted } = await this.store.listPendingToSettle({
      dueBy: now,
      ...(requestKey ? { requestKey } : {}),
    });
    if (unrouted.length > 0) await this.store.writeMissingRoutes(unrouted);
    for (const approval of due) await this.describe(approval, now);
  }

  /**
   * Why a request waiting for an approval runs no step (§6.2): the rule and text the approve step
   * shows for its current approval — GP-A01 while it waits (GP-A06 cases included: the text is
   * the same), GP-A05 once it expired, GP-A02 if rejected. The current one is the pending
   * approval, else the newest that is not superseded. Undefined when none is outstanding (none
   * found, or it is approved by now).
   */
  async outstanding(
    requestKey: string,
    now: string,
  ): Promise<{ ruleId: string; message: string } | undefined> {
    const list = await this.store.listApprovals({ requestKey });
    const current =
      list.find(a => a.status === 'pending') ??
      list.find(a => a.status !== 'superseded');
    if (!current) return undefined;
    const state = await this.describe(current, now);
    if (!state.message) return undefined;
    return {
      ruleId: state.status === 'pending' ? 'GP-A01' : state.ruleId!,
      message: state.message,
    };
  }

  /**
   * Records one route's decision (§6.2 rules 1, 2, 7, 8; §6.3). Repeating the same decision is a
   * no-op; any rejection rejects the approval and the request; all routes approved → approved.
   */
  async decide(
    p: {
      approvalId: string;
      decider: string;
      hasDecidePermission: boolean;
      route?: string;
      decision: 'approve' | 'reject';
      reason: string;
      answers?: Partial<Record<DecisionAnswer, boolean>>;
      breakGlass?: boolean;
    },
    now: string,
    /**
     * The `gp_events` record of a decision this call stores, appended in the decision's
     * transaction (see `GoldenPathsStore.insertDecision`).
     */
    auditOf?: (decision: DecisionRecord, approval: ApprovalRecord) => NewEvent,
  ): Promise<{
    state: ApprovalState;
    decision: DecisionRecord;
    created: boolean;
  }> {
    const approval = await this.store.getApproval(p.approvalId);
    if (!approval)
      throw new NotFoundError(`approval ${p.approvalId} not found`);
    if (!p.hasDecidePermission) {
      throw new NotAllowedError('goldenpaths.approval.decide is not allowed');
    }
    const decisions = await this.store.listDecisions([approval.id]);
    // Refs compare lower-cased (the catalog's members are); the decider's own spelling is kept
    // in the decision and the audit record.
    const decider = refKey(p.decider);
    const view = await this.directory.view();
    const open = approval.routes.filter(
      r => !decisions.some(d => d.route === r.group),
    );
    // The open routes whose group the decider is a member of: the ones a decision without a
    // route is for (GET /approvals lists them per approval as `decidableRoutes`).
    const decidable = open.filter(r => isMember(view, r.group, decider));
    const sameDecision = (list: readonly DecisionRecord[]) =>
      list.find(
        d =>
          refKey(d.approver) === decider &&
          d.decision === p.decision &&
          (!p.route || d.route === p.route),
      );
    // Without a route, the same decision is a repeat only while no route the decider may
    // decide is open: a member of two route groups decides the second one after the first,
    // which was answered as a repeat of the first and stored nothing.
    const previous =
      p.route || decidable.length === 0 ? sameDecision(decisions) : undefined;
    if (previous) {
      return {
        state: await this.describe(approval, now),
        decision: previous,
        created: false,
      };
    }
    const state = await this.describe(approval, now);
    if (state.status !== 'pending') {
      // The same decision sent at once (a double click, a retry before the first answer) may
      // have settled the approval since `decisions` was read: the repeat it is, not a 409.
      const landed = sameDecision(
        await this.store.listDecisions([approval.id]),
      );
      if (landed) return { state, decision: landed, created: false };
      throw await this.notPending(state);
    }
    let route = p.route;
    if (route) {
      if (!approval.routes.some(r => r.group === route)) {
        throw new InputError(
          `route "${route}" is not a route of approval ${
            approval.id
          } (routes: ${approval.routes.map(r => r.group).join(', ')})`,
        );
      }
      if (!open.some(r => r.group === route)) {
        const d = decisions.find(x => x.route === route)!;
        throw new ConflictError(
          `route ${route} of approval ${approval.id} was already decided by ${d.approver} (${d.decision})`,
        );
      }
    } else {
      if (open.length === 0) {
        throw new ConflictError(`approval ${approval.id} has no open route`);
      }
      if (decidable.length === 0) {
        // Not the first open route's membership error: that named a group the decider never
        // chose, after their own group had decided.
        const decided = approval.routes
          .filter(r => !open.includes(r) && isMember(view, r.group, decider))
          .map(r => r.group);
        throw new NotAllowedError(
          `${p.decider} may decide none of the open routes of approval ${
            approval.id
          } (${open.map(r => r.group).join(', ')}): ${
            decided.length > 0
              ? `the route of ${decided.join(', ')} is decided`
              : 'they are a member of none of those groups'
          }`,
        );
      }
      route = decidable[0].group;
    }
    const allowed = checkDecider({
      catalog: view,
      group: refKey(route),
      decider,
      requester: refKey(approval.requestedBy),
      hasDecidePermission: p.hasDecidePermission,
      breakGlass: p.breakGlass,
      breakGlassGroup: refKey(this.config.breakGlassGroup),
    });
    if (!allowed.allowed) {
      throw new NotAllowedError(
        allowed.error ??
          `${p.decider} is not a member of ${route}, directly or via a child group`,
      );
    }
    if (p.decision === 'approve') {
      for (const key of DECISION_ANSWERS) {
        if (p.answers?.[key] !== true) {
          throw new InputError(
            `answers.${key} must be true to approve (confirm all five statements: ${DECISION_ANSWERS.join(
              ', ',
            )})`,
          );
        }
      }
    }
    // The approval is settled from what is stored, in the decision's transaction, not from
    // `decisions` read above plus this one: a decision on another route may have landed in
    // between (see settleApproval). One no longer pending there (a compensation superseded it,
    // another route settled it) is refused as above, with nothing stored.
    const {
      decision,
      created,
      approval: settled,
    } = await this.store
      .insertDecision(
        {
          approvalId: approval.id,
          route,
          approver: p.decider,
          decision: p.decision,
          reason: p.reason,
          answers: p.answers as Record<string, boolean> | undefined,
          decidedAt: now,
          breakGlass: allowed.breakGlass,
        },
        { statusOf: statusFromDecisions, now, auditOf },
      )
      .catch(async (e: unknown) => {
        if (e instanceof ApprovalNotPendingError) {
          throw await this.notPending(await this.describe(e.approval, now));
        }
        throw e;
      });
    if (!created) {
      // The same decision by the same person that landed first (sent twice at once): the
      // repeat it is, as when it is sent again later.
      if (
        refKey(decision.approver) === decider &&
        decision.decision === p.decision
      ) {
        return {
          state: await this.describe(approval, now),
          decision,
          created: false,
        };
      }
      throw new ConflictError(
        `route ${route} of approval ${approval.id} was already decided by ${decision.approver} (${decision.decision})`,
      );
    }
    return {
      state: await this.describe(settled ?? approval, now),
      decision,
      created: true,
    };
  }

  /** The 409 of a decision on an approval that is no longer pending (`state`). */
  private async notPending(state: ApprovalState): Promise<ConflictError> {
    return new ConflictError(
      state.message ?? (await this.settledMessage(state)),
    );
  }

  /**
   * Why an approved or superseded approval takes no decision, and what to do instead: nothing
   * when it is approved; the request's current approval when a changed plan superseded it (the
   * decider would otherwise approve a plan that no longer runs, §6: an approval binds to one
   * digest). Rejected and expired ones carry their GP-A02 / GP-A05 text already.
   */
  private async settledMessage(state: ApprovalState): Promise<string> {
    const a = state.approval!;
    if (state.status === 'approved') {
      const by = [...new Set(state.decisions.map(d => d.approver))];
      return `Approval ${a.id} was already approved${
        a.decidedAt ? ` on ${formatInstant(a.decidedAt)}` : ''
      }${
        by.length ? ` by ${formatList(by)}` : ''
      }; there is nothing left to decide.`;
    }
    // Compensation supersedes the pending approvals of the request it reverts (§8): its plan
    // did not change, it will not run again.
    const request = await this.store.getRequest(a.requestKey);
    if (request?.status === 'compensated') {
      return `Approval ${a.id} was superseded: request "${a.requestKey}" was compensated (reverted), so its plan will not run and there is nothing to decide.`;
    }
    const current = (
      await this.store.listApprovals({ requestKey: a.requestKey })
    ).find(
      o => o.id !== a.id && (o.status === 'pending' || o.status === 'approved'),
    );
    const changed = `Approval ${a.id} was superseded: the plan of request "${
      a.requestKey
    }" changed after it was requested (this approval is for ${digestPrefix(
      a.planDigest,
    )}…).`;
    if (!current) {
      return `${changed} There is nothing to decide until the request asks for an approval of its new plan.`;
    }
    return current.status === 'pending'
      ? `${changed} Decide approval ${current.id} (plan ${digestPrefix(
          current.planDigest,
        )}…) instead.`
      : `${changed} Approval ${current.id} of the current plan (${digestPrefix(
          current.planDigest,
        )}…) is already approved; there is nothing left to decide.`;
  }
}

/**
 * Default routes when config names none: the §9 defaults the scaffolder's preview and the
 * vectors use (every trigger to the platform team), from golden-paths-common so both sides name
 * the same approvers. Production installs set the §6.1 production column (DBA, security, FinOps)
 * in `goldenPaths.approvals.routes`.
 */
export const DEFAULT_APPROVAL_ROUTES: Record<ApprovalTriggerId, string[]> =
  Object.fromEntries(
    Object.entries(DEFAULT_GOLDEN_PATHS_CONFIG.approvals.routes).map(
      ([trigger, groups]) => [trigger, [...groups]],
    ),
  ) as Record<ApprovalTriggerId, string[]>;
