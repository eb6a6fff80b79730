import { createPermission } from '@backstage/plugin-permission-common';
import { z } from 'zod';

/** Resource type of checks, for approving waivers per check class, severity and owner (§7.4). */
export const SCORECARDS_CHECK_RESOURCE_TYPE = 'scorecards-check';

/** Requesting a waiver on an entity (resource: the catalog entity). */
export const scorecardsWaiverCreatePermission = createPermission({
  name: 'scorecards.waiver.create',
  attributes: { action: 'create' },
  resourceType: 'catalog-entity',
});

/** Approving or rejecting a waiver (resource: the check). */
export const scorecardsWaiverApprovePermission = createPermission({
  name: 'scorecards.waiver.approve',
  attributes: { action: 'update' },
  resourceType: SCORECARDS_CHECK_RESOURCE_TYPE,
});

/** Revoking a waiver. */
export const scorecardsWaiverRevokePermission = createPermission({
  name: 'scorecards.waiver.revoke',
  attributes: { action: 'delete' },
});

/** Writing campaigns. */
export const scorecardsCampaignManagePermission = createPermission({
  name: 'scorecards.campaign.manage',
  attributes: { action: 'update' },
});

/** Every permission scorecards defines. */
export const scorecardsPermissions = [
  scorecardsWaiverCreatePermission,
  scorecardsWaiverApprovePermission,
  scorecardsWaiverRevokePermission,
  scorecardsCampaignManagePermission,
];

/**
 * Parameter schemas of the `scorecards-check` rules; the backend wraps them with
 * createPermissionRule. `isCheckOwnerMember` has no params: the rule compares the caller's
 * ownership refs with the check's owner group.
 */
export const scorecardsCheckRuleParams = {
  isCheckClass: z.object({
    classes: z.array(z.enum(['required', 'recommended', 'contextual'])).min(1),
  }),
  isCheckSeverity: z.object({
    severities: z.array(z.enum(['critical', 'high', 'medium', 'low'])).min(1),
  }),
  isCheckOwnerMember: z.object({}),
};

/** The `scorecards-check` resource the approve rules read. */
export interface ScorecardsCheckResource {
  id: string;
  class: 'required' | 'recommended' | 'contextual';
  severity: 'critical' | 'high' | 'medium' | 'low';
  owner: string;
}
