import {
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  SCORECARDS_CHECK_RESOURCE_TYPE,
  ScorecardsCheckResource,
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

const isCheckOwnerMember = createPermissionRule({
  name: 'isCheckOwnerMember',
  description: "Allow when the caller belongs to the check's owner group",
  resourceRef: scorecardsCheckResourceRef,
  paramsSchema: scorecardsCheckRuleParams.isCheckOwnerMember,
  apply: check =>
    check.callerOwnershipRefs
      .map(r => r.toLowerCase())
      .includes(check.owner.toLowerCase()),
  toQuery: () => ({ property: 'owner', values: [] }),
});

/** The rules of the `scorecards-check` resource type. */
export const scorecardsCheckRules = {
  isCheckClass,
  isCheckSeverity,
  isCheckOwnerMember,
};
