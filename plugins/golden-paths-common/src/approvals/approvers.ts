import type { CatalogView } from '../catalog/catalogView';
import { gpMessages } from '../errors/messages';

/**
 * Who may decide for a route group: its members directly or via child groups, minus the
 * requester (§6.2 rules 1–2). An empty list means GP-A06: the approval is still opened so
 * break-glass stays possible, but the step fails.
 *
 * @public
 */
export function eligibleApprovers(
  catalog: CatalogView,
  group: string,
  requester: string,
): { approvers: string[]; error?: string } {
  const approvers = catalog.members(group).filter(m => m !== requester);
  return approvers.length
    ? { approvers }
    : { approvers, error: gpMessages.a06({ group }) };
}

/**
 * Decides whether one person may record a decision for a route group (§6.2 rules 1, 2, 7, 8).
 * Returns the refusal text, or undefined when the decision may be recorded.
 *
 * @public
 */
export function checkDecider(p: {
  catalog: CatalogView;
  group: string;
  decider: string;
  requester: string;
  hasDecidePermission: boolean;
  breakGlass?: boolean;
  breakGlassGroup: string;
}):
  | { allowed: true; breakGlass: boolean }
  | { allowed: false; error?: string } {
  if (!p.hasDecidePermission) return { allowed: false };
  if (!p.catalog.members(p.group).includes(p.decider))
    return { allowed: false };
  if (p.decider !== p.requester) return { allowed: true, breakGlass: false };
  if (
    p.breakGlass &&
    p.catalog.members(p.breakGlassGroup).includes(p.decider)
  ) {
    return { allowed: true, breakGlass: true };
  }
  return { allowed: false, error: gpMessages.a04({ group: p.group }) };
}

/**
 * Expiry of an approval (§6.2 rule 3; 7 days `ours`): the GP-A05 text once `now` is past it.
 *
 * @public
 */
export function approvalExpiry(
  approval: { id: string; createdAt: string },
  expiresAfterDays: number,
  now: string,
): { expiresAt: string; expired: boolean; error?: string } {
  const expiresAt = new Date(
    Date.parse(approval.createdAt) + expiresAfterDays * 86_400_000,
  ).toISOString();
  const expired = Date.parse(now) >= Date.parse(expiresAt);
  return expired
    ? {
        expiresAt,
        expired,
        error: gpMessages.a05({ id: approval.id, at: expiresAt }),
      }
    : { expiresAt, expired };
}
