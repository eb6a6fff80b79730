import { InputError } from '@backstage/errors';
import {
  approvalRoutes,
  describeTrigger,
  gpMessages,
  planDigest,
  type ApprovalTrigger,
  type GoldenPathPlan,
  type GoldenPathsConfig,
} from '@internal/plugin-golden-paths-common';
import type {
  ApprovalStateView,
  GoldenPathsService,
} from '@internal/plugin-golden-paths-node';

// The approval boundary (golden-paths.md §6) enforced where the effect happens. The approve step
// is template wiring: a template that passes it no triggers, or leaves it out, would otherwise
// create what needs a human decision. The actions with the effect therefore ask the ledger
// themselves, as database:apply does: the approval of exactly this digest, from the ledger, not
// from the template's word.

/** The approval an effect ran under (audit §4.5 `approval`). */
export interface GrantedApproval {
  id?: string;
  approvers: string[];
  decidedAt?: string;
  breakGlass: boolean;
}

/**
 * The plan an approval binds to, with what decides who must approve taken from the checked
 * request rather than from the template: its key, fingerprint, template ref and the triggers
 * recomputed here. The rest (effects, template version, policy version) is the preview's plan as
 * given, so an honest template's plan hashes to the very digest `goldenpath:approve` was bound to
 * (preview builds its plan from the same parts); one that passed other triggers hashes to another
 * digest, whose approval nobody has given yet.
 */
export function boundPlan(
  given: Record<string, unknown> | undefined,
  head: {
    requestKey: string;
    fingerprint: string;
    templateRef: string;
    approvalTriggers: readonly ApprovalTrigger[];
  },
): { plan: GoldenPathPlan; planDigest: string } {
  const template = (given?.template ?? {}) as { version?: unknown };
  const plan = {
    ...given,
    requestKey: head.requestKey,
    fingerprint: head.fingerprint,
    template: {
      ref: head.templateRef,
      version: typeof template.version === 'string' ? template.version : '',
    },
    approvalTriggers: head.approvalTriggers.map(t => ({
      id: t.id,
      reasons: [...t.reasons],
    })),
  } as GoldenPathPlan;
  return { plan, planDigest: planDigest(plan) };
}

/** Who approved, when, and whether by break-glass, as the ledger's approved state says. */
export function grantedApproval(state: ApprovalStateView): GrantedApproval {
  const decisions = state.approval?.decisions ?? [];
  return {
    ...(state.approval?.id ? { id: state.approval.id } : {}),
    approvers: decisions.map(d => d.approver),
    ...(state.approval?.decidedAt
      ? { decidedAt: state.approval.decidedAt }
      : {}),
    breakGlass: decisions.some(d => d.breakGlass),
  };
}

/**
 * The audit decision of an approval state that stops a step: rejected, refused by a kill switch
 * (`deny`: the ledger opened nothing), or still waiting on a decision.
 */
export function stopDecisionOf(
  status: ApprovalStateView['status'],
): 'rejected' | 'deny' | 'needs-approval' {
  if (status === 'rejected') return 'rejected';
  if (status === 'refused') return 'deny';
  return 'needs-approval';
}

/**
 * Asks the ledger for the approval of (`requestKey`, `planDigest`), opening it when there is none
 * (as the approve step would: the approvers are asked, the request waits as `awaiting-approval`).
 * Approved → the approval; anything else → the refusal to throw, with the ledger's own text
 * (GP-A01 pending, GP-A02 rejected, GP-A05 expired, GP-A06), else GP-A01 built here.
 */
export async function ledgerApproval(p: {
  ledger: GoldenPathsService;
  config: GoldenPathsConfig;
  requestKey: string;
  planDigest: string;
  triggers: readonly ApprovalTrigger[];
  plan?: Record<string, unknown>;
  /** The action asking: its kill switch refuses the approval (GP-K02). */
  action: string;
}): Promise<
  | { approved: true; approval: GrantedApproval }
  | { approved: false; error: InputError; ruleId: string; decision: string }
> {
  const state = await p.ledger.openApproval(p.requestKey, {
    planDigest: p.planDigest,
    triggers: [...p.triggers],
    ...(p.plan ? { plan: p.plan } : {}),
    action: p.action,
  });
  if (state.status === 'approved' && !state.errors?.length) {
    return { approved: true, approval: grantedApproval(state) };
  }
  const lines = [state.message, ...(state.errors ?? [])].filter(
    (l): l is string => !!l,
  );
  const message = lines.length
    ? lines.join('\n')
    : gpMessages.a01({
        triggers: p.triggers.map(describeTrigger),
        approvalId: state.approval?.id ?? '(none)',
        groups:
          state.approval?.routes.map(r => r.group) ??
          approvalRoutes([...p.triggers], p.config).map(r => r.group),
      });
  return {
    approved: false,
    error: new InputError(message),
    ruleId: state.ruleId ?? /^(GP-[A-Z]\d{2})/.exec(message)?.[1] ?? 'GP-A01',
    decision: stopDecisionOf(state.status),
  };
}
