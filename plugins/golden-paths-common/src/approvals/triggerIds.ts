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
 * `key` as an approval trigger of a config map such as `goldenPaths.approvals.routes`, or an error
 * naming the key and the triggers: a misspelt trigger (`tier1`) left the real one on its default
 * route, so its approvals went to a group nobody meant.
 *
 * @public
 */
export function approvalTriggerOf(
  key: string,
  configPath: string,
): ApprovalTriggerId {
  if ((APPROVAL_TRIGGERS as readonly string[]).includes(key)) {
    return key as ApprovalTriggerId;
  }
  throw new Error(
    `${configPath}.${key} is not an approval trigger; use one of ${APPROVAL_TRIGGERS.join(
      ', ',
    )}`,
  );
}

/**
 * A trigger that fired, with every reason it fired for (§6.1 reason strings).
 *
 * @public
 */
export interface ApprovalTrigger {
  id: ApprovalTriggerId;
  reasons: string[];
}
