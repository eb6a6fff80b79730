import {
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  SCORECARDS_CHECK_RESOURCE_TYPE,
  ScorecardsCheckResource,
  normalizeEntityRef,
  scorecardsCheckRuleParams,
} from '@internal/plugin-scorecards-common';

/**
 * A check as the approve rules see it. `callerOwnershipRefs` is filled when the backend applies
 * a conditional decision itself (it knows the caller); through the remote apply-conditions
 * endpoint it is empty, so `isCheckOwnerMember` is false there.
 */
export interface CheckPermissionResource extends ScorecardsCheckResource {
  callerOwnershipRefs: string[];
}

/** Resource ref of `scorecards-check` (§7.4). */
export const scorecardsCheckResourceRef = createPermissionResourceRef<
  CheckPermissionResource,
  { property: string; values: string[] }
>().with({
  pluginId: 'scorecards',
  resourceType: SCORECARDS_CHECK_RESOURCE_TYPE,
});

const isCheckClass = createPermissionRule({
  name: 'isCheckClass',
  description: 'Allow when the check has one of the given classes',
  resourceRef: scorecardsCheckResourceRef,
  paramsSchema: scorecardsCheckRuleParams.isCheckClass,
  apply: (check, { classes }) => classes.includes(check.class),
  toQuery: ({ classes }) => ({ property: 'class', values: classes }),
});

const isCheckSeverity = createPermissionRule({
  name: 'isCheckSeverity',
  description: 'Allow when the check has one of the given severities',
  resourceRef: scorecardsCheckResourceRef,
  paramsSchema: scorecardsCheckRuleParams.isCheckSeverity,
  apply: (check, { severities }) => severities.includes(check.severity),
  toQuery: ({ severities }) => ({ property: 'severity', values: severities }),
});

/**
 * Whether `ownershipRefs` (the caller's, as full refs from `userInfo`) include the check's owner
 * group. A standard may name the owner without a namespace (`group:platform-team`, as entity
 * refs allow), which means the default namespace, so both sides are compared as full lower-case
 * refs.
 */
export function ownsCheck(
  ownershipRefs: readonly string[],
  checkOwner: string,
): boolean {
  const owner =
    normalizeEntityRef(checkOwner, 'group') ?? checkOwner.toLowerCase();
  return ownershipRefs.some(
    r => (normalizeEntityRef(r, 'group') ?? r.toLowerCase()) === owner,
  );
}

const isCheckOwnerMember = createPermissionRule({
  name: 'isCheckOwnerMember',
  description: "Allow when the caller belongs to the check's owner group",
  resourceRef: scorecardsCheckResourceRef,
  paramsSchema: scorecardsCheckRuleParams.isCheckOwnerMember,
  apply: check => ownsCheck(check.callerOwnershipRefs, check.owner),
  toQuery: () => ({ property: 'owner', values: [] }),
});

/** The rules of the `scorecards-check` resource type. */
export const scorecardsCheckRules = {
  isCheckClass,
  isCheckSeverity,
  isCheckOwnerMember,
};
