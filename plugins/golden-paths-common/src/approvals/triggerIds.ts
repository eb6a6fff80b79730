/**
 * Approval triggers in the order of §6.1; messages list them in this order.
 *
 * @public
 */
export const APPROVAL_TRIGGERS = [
  'production-data',
  'iam',
  'network',
  'cost',
  'tier-1',
  'destructive',
  'exception',
] as const;

/** @public */
export type ApprovalTriggerId = (typeof APPROVAL_TRIGGERS)[number];

/**
 * A trigger that fired, with every reason it fired for (§6.1 reason strings).
 *
 * @public
 */
export interface ApprovalTrigger {
  id: ApprovalTriggerId;
  reasons: string[];
}
