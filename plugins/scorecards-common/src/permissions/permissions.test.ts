import { isResourcePermission } from '@backstage/plugin-permission-common';
import {
  scorecardsCampaignManagePermission,
  scorecardsCheckRuleParams,
  scorecardsWaiverApprovePermission,
  scorecardsWaiverCreatePermission,
  scorecardsWaiverRevokePermission,
  SCORECARDS_CHECK_RESOURCE_TYPE,
} from './permissions';

describe('permissions (§7.4, SR39)', () => {
  it.each([
    [scorecardsWaiverCreatePermission, 'scorecards.waiver.create', 'catalog-entity'],
    [scorecardsWaiverApprovePermission, 'scorecards.waiver.approve', 'scorecards-check'],
    [scorecardsWaiverRevokePermission, 'scorecards.waiver.revoke', undefined],
    [scorecardsCampaignManagePermission, 'scorecards.campaign.manage', undefined],
  ])('%#: %s', (permission, name, resourceType) => {
    expect(permission.name).toBe(name);
    if (resourceType) expect(isResourcePermission(permission, resourceType)).toBe(true);
    else expect(permission.type).toBe('basic');
  });

  it('validates the scorecards-check rule params', () => {
    expect(SCORECARDS_CHECK_RESOURCE_TYPE).toBe('scorecards-check');
    expect(scorecardsCheckRuleParams.isCheckClass.safeParse({ classes: ['required'] }).success).toBe(true);
    expect(scorecardsCheckRuleParams.isCheckClass.safeParse({ classes: ['weighted'] }).success).toBe(false);
    expect(scorecardsCheckRuleParams.isCheckSeverity.safeParse({ severities: ['critical', 'low'] }).success).toBe(true);
    expect(scorecardsCheckRuleParams.isCheckOwnerMember.safeParse({}).success).toBe(true);
  });
});
