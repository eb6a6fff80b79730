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
  DEFAULT_GOLDEN_PATHS_CONFIG,
  eligibleApprovers,
  gpMessages,
  pendingApprovalMessage,
  type ApprovalTrigger,
  type ApprovalTriggerId,
  type GoldenPathsConfig,
} from '@internal/plugin-golden-paths-common';
import { ulid } from 'ulid';
import {
  ApprovalRecord,
  DecisionRecord,
  GoldenPathsStore,
} from '../database/GoldenPathsStore';
import { GroupDirectory } from './groupDirectory';

/** `goldenPaths.approvals` (§9). */
export interface ApprovalsConfig {
  expiresAfterDays: number;
  routes: Record<ApprovalTriggerId, readonly string[]>;
  breakGlassGroup: string;
}

/** The five statements an approver confirms (§6.3). */
export const DECISION_ANSWERS = [
  'intent',
  'risk',
  'rollback',
  'timing',
  'exception',
] as const;

/** State of the approval for one plan digest, as the approve step reads it. */
export interface ApprovalState {
  status: 'not-required' | ApprovalRecord['status'];
  approval?: ApprovalRecord;
  decisions: DecisionRecord[];
  created: boolean;
  /** GP-A01 / GP-A02 / GP-A03 / GP-A05 text when the step must stop. */
  message?: string;
  ruleId?: string;
  /** GP-A06 per route nobody but the requester can decide. */
  errors: string[];
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
   * answer is GP-A03 (§6.2 rule 6).
   */
  async open(
    p: {
      requestKey: string;
      planDigest: string;
      triggers: ApprovalTrigger[];
      plan?: Record<string, unknown>;
    },
    now: string,
  ): Promise<ApprovalState> {
    const request = await this.store.getRequest(p.requestKey);
    if (!request)
      throw new NotFoundError(`request "${p.requestKey}" not found`);
    const existing = await this.store.findApproval(p.requestKey, p.planDigest);
    if (!existing && p.triggers.length === 0) {
      return {
        status: 'not-required',
        decisions: [],
        created: false,
        errors: [],
      };
    }
    let a03: string | undefined;
    let state: { approval: ApprovalRecord; created: boolean };
    if (existing) {
      state = { approval: existing, created: false };
    } else {
      const id = `apr_${ulid(Date.parse(now))}`;
      const { expiresAt } = approvalExpiry(
        { id, createdAt: now },
        this.config.expiresAfterDays,
        now,
      );
      state = await this.store.insertApproval({
        id,
        requestKey: p.requestKey,
        planDigest: p.planDigest,
        triggers: p.triggers,
        routes: approvalRoutes(p.triggers, this.gpConfig),
        status: 'pending',
        requestedBy: request.createdBy,
        createdAt: now,
        expiresAt,
        plan: p.plan,
      });
      if (state.created) {
        const earlier = (
          await this.store.listApprovals({ requestKey: p.requestKey })
        ).filter(
          a =>
            a.id !== state.approval.id &&
            (a.status === 'approved' || a.status === 'pending'),
        );
        const approved = earlier.find(a => a.status === 'approved');
        for (const a of earlier)
          await this.store.setApprovalStatus(a.id, 'superseded', a.decidedAt);
        if (approved) {
          a03 = gpMessages.a03({
            oldDigest: approved.planDigest,
            newDigest: p.planDigest,
            newId: state.approval.id,
          });
        }
      }
    }
    const result = await this.describe(state.approval, now);
    result.created = state.created;
    if (result.status === 'pending') {
      await this.store.setRequestStatus(
        p.requestKey,
        'awaiting-approval',
        now,
        p.planDigest,
      );
    } else if (result.status === 'approved') {
      await this.store.setRequestStatus(
        p.requestKey,
        request.status === 'awaiting-approval' ? 'open' : request.status,
        now,
        p.planDigest,
      );
    }
    if (a03) {
      result.message = a03;
      result.ruleId = 'GP-A03';
    }
    return result;
  }

  /** The state of one approval with the message the approve step shows. */
  async describe(
    approval: ApprovalRecord,
    now: string,
  ): Promise<ApprovalState> {
    const decisions = await this.store.listDecisions([approval.id]);
    let current = approval;
    if (current.status === 'pending') {
      const expiry = approvalExpiry(current, this.config.expiresAfterDays, now);
      if (expiry.expired) {
        await this.store.setApprovalStatus(current.id, 'expired');
        current = { ...current, status: 'expired' };
      }
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
          .map(r => eligibleApprovers(view, r.group, current.requestedBy).error)
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
      answers?: Partial<Record<(typeof DECISION_ANSWERS)[number], boolean>>;
      breakGlass?: boolean;
    },
    now: string,
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
    const previous = decisions.find(
      d =>
        d.approver === p.decider &&
        d.decision === p.decision &&
        (!p.route || d.route === p.route),
    );
    if (previous) {
      return {
        state: await this.describe(approval, now),
        decision: previous,
        created: false,
      };
    }
    const state = await this.describe(approval, now);
    if (state.status !== 'pending') {
      throw new ConflictError(
        state.message ?? `approval ${approval.id} is ${state.status}`,
      );
    }
    const view = await this.directory.view();
    const open = approval.routes.filter(
      r => !decisions.some(d => d.route === r.group),
    );
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
      route = (
        open.find(r => view.members(r.group).includes(p.decider)) ?? open[0]
      )?.group;
      if (!route) {
        throw new ConflictError(`approval ${approval.id} has no open route`);
      }
    }
    const allowed = checkDecider({
      catalog: view,
      group: route,
      decider: p.decider,
      requester: approval.requestedBy,
      hasDecidePermission: p.hasDecidePermission,
      breakGlass: p.breakGlass,
      breakGlassGroup: this.config.breakGlassGroup,
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
    const { decision, created } = await this.store.insertDecision({
      approvalId: approval.id,
      route,
      approver: p.decider,
      decision: p.decision,
      reason: p.reason,
      answers: p.answers as Record<string, boolean> | undefined,
      decidedAt: now,
      breakGlass: allowed.breakGlass,
    });
    if (!created) {
      throw new ConflictError(
        `route ${route} of approval ${approval.id} was already decided by ${decision.approver} (${decision.decision})`,
      );
    }
    const all = [...decisions, decision];
    if (all.some(d => d.decision === 'reject')) {
      await this.store.setApprovalStatus(approval.id, 'rejected', now);
      await this.store.setRequestStatus(approval.requestKey, 'rejected', now);
    } else if (approval.routes.every(r => all.some(d => d.route === r.group))) {
      await this.store.setApprovalStatus(approval.id, 'approved', now);
      const request = await this.store.getRequest(approval.requestKey);
      if (request?.status === 'awaiting-approval')
        await this.store.setRequestStatus(approval.requestKey, 'open', now);
    }
    const updated = (await this.store.getApproval(approval.id))!;
    return {
      state: await this.describe(updated, now),
      decision,
      created: true,
    };
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
