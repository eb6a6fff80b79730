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
    [
      scorecardsWaiverCreatePermission,
      'scorecards.waiver.create',
      'catalog-entity',
    ],
    [
      scorecardsWaiverApprovePermission,
      'scorecards.waiver.approve',
      'scorecards-check',
    ],
    [scorecardsWaiverRevokePermission, 'scorecards.waiver.revoke', undefined],
    [
      scorecardsCampaignManagePermission,
      'scorecards.campaign.manage',
      undefined,
    ],
  ])('%#: %s', (permission, name, resourceType) => {
    expect(permission.name).toBe(name);
    expect(permission.type).toBe(resourceType ? 'resource' : 'basic');
    expect(
      isResourcePermission(permission, resourceType ?? 'catalog-entity'),
    ).toBe(resourceType !== undefined);
  });

  it('validates the scorecards-check rule params', () => {
    expect(SCORECARDS_CHECK_RESOURCE_TYPE).toBe('scorecards-check');
    expect(
      scorecardsCheckRuleParams.isCheckClass.safeParse({
        classes: ['required'],
      }).success,
    ).toBe(true);
    expect(
      scorecardsCheckRuleParams.isCheckClass.safeParse({
        classes: ['weighted'],
      }).success,
    ).toBe(false);
    expect(
      scorecardsCheckRuleParams.isCheckSeverity.safeParse({
        severities: ['critical', 'low'],
      }).success,
    ).toBe(true);
    expect(
      scorecardsCheckRuleParams.isCheckOwnerMember.safeParse({}).success,
    ).toBe(true);
  });
});
