import { RESTRICTED_CLASSIFICATIONS } from '../constants';
import type { GoldenPathsConfig } from '../config';
import type { DatabaseEstimate } from '../estimate/databaseEstimate';
import { gpMessages } from '../errors/messages';
import type { RequestOf } from '../request/types';
import {
  APPROVAL_TRIGGERS,
  ApprovalTrigger,
  ApprovalTriggerId,
} from './triggerIds';

type CreateRequest =
  | RequestOf<'service'>
  | RequestOf<'worker'>
  | RequestOf<'database'>;

/** Collects reasons per trigger and returns them in §6.1 order. */
export class TriggerSet {
  private readonly reasons = new Map<ApprovalTriggerId, string[]>();

  add(id: ApprovalTriggerId, reason: string): this {
    const list = this.reasons.get(id) ?? [];
    if (!list.includes(reason)) list.push(reason);
    this.reasons.set(id, list);
    return this;
  }

  toArray(): ApprovalTrigger[] {
    return APPROVAL_TRIGGERS.filter(id => this.reasons.has(id)).map(id => ({
      id,
      reasons: this.reasons.get(id)!,
    }));
  }
}

/**
 * Approval triggers of a create request (§6.1): `production-data` (database in prod, restricted
 * classification), `iam` (extra access), `network` (public exposure), `cost` (estimate above the
 * tier threshold, GP-D10), `tier-1` (a tier 1 service or worker).
 *
 * @public
 */
export function classifyRequestTriggers(
  request: CreateRequest,
  estimate?: DatabaseEstimate,
): ApprovalTrigger[] {
  const t = new TriggerSet();
  if (request.kind === 'database' && request.environment === 'prod') {
    t.add('production-data', 'database in prod');
  }
  const classification = request.dataClassification;
  if (classification && RESTRICTED_CLASSIFICATIONS.includes(classification)) {
    t.add('production-data', `${classification} data`);
  }
  if (request.kind === 'database' && request.additionalAccess.length) {
    t.add('iam', `grants access to ${request.additionalAccess.join(', ')}`);
  }
  if (request.kind === 'service' && request.exposure === 'public') {
    t.add('network', 'public exposure');
  }
  if (request.kind === 'database' && estimate?.ok && estimate.overThreshold) {
    t.add(
      'cost',
      gpMessages.d10({
        total: estimate.total,
        tier: request.databaseTier,
        threshold: estimate.threshold,
      }),
    );
  }
  if (request.kind !== 'database' && request.tier === 1) {
    t.add('tier-1', `tier 1 ${request.kind}`);
  }
  return t.toArray();
}

/**
 * `{trigger} ({reasons})` as GP-A01 lists a trigger; several reasons of one trigger are joined
 * by `; ` like the triggers themselves (V24: `production-data (database in prod; critical-pii data)`).
 *
 * @public
 */
export function describeTrigger(trigger: ApprovalTrigger): string {
  return `${trigger.id} (${trigger.reasons.join('; ')})`;
}

/**
 * Route groups for a set of triggers: several triggers routed to one group need one decision from
 * that group; different groups each decide (§6.1). Groups in order of their first trigger.
 *
 * @public
 */
export function approvalRoutes(
  triggers: readonly ApprovalTrigger[],
  config: GoldenPathsConfig,
): { group: string; triggers: ApprovalTriggerId[] }[] {
  const byGroup = new Map<string, ApprovalTriggerId[]>();
  for (const t of triggers) {
    for (const group of config.approvals.routes[t.id] ?? []) {
      const list = byGroup.get(group) ?? [];
      list.push(t.id);
      byGroup.set(group, list);
    }
  }
  return [...byGroup].map(([group, ids]) => ({ group, triggers: ids }));
}

/**
 * GP-A01 for a pending approval.
 *
 * @public
 */
export function pendingApprovalMessage(
  triggers: readonly ApprovalTrigger[],
  approvalId: string,
  config: GoldenPathsConfig,
): string {
  return gpMessages.a01({
    triggers: triggers.map(describeTrigger),
    approvalId,
    groups: approvalRoutes(triggers, config).map(r => r.group),
  });
}
