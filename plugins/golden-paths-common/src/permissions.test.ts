import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  goldenPathsApprovalDecidePermission,
  goldenPathsKillSwitchManagePermission,
  goldenPathsLifecycleTransitionPermission,
  goldenPathsPermissions,
  goldenPathsRequestCompensatePermission,
  goldenPathsRequestReadPermission,
  isAllowedDecision,
} from './permissions';

describe('golden-paths permissions (§6.4)', () => {
  it('defines the four basic permissions with their actions', () => {
    expect([
      goldenPathsApprovalDecidePermission,
      goldenPathsKillSwitchManagePermission,
      goldenPathsRequestReadPermission,
      goldenPathsRequestCompensatePermission,
    ]).toEqual([
      {
        type: 'basic',
        name: 'goldenpaths.approval.decide',
        attributes: { action: 'update' },
      },
      {
        type: 'basic',
        name: 'goldenpaths.killswitch.manage',
        attributes: { action: 'update' },
      },
      {
        type: 'basic',
        name: 'goldenpaths.request.read',
        attributes: { action: 'read' },
      },
      {
        type: 'basic',
        name: 'goldenpaths.request.compensate',
        attributes: { action: 'update' },
      },
    ]);
  });

  it('makes goldenpaths.lifecycle.transition a resource permission on catalog entities', () => {
    expect(goldenPathsLifecycleTransitionPermission).toEqual({
      type: 'resource',
      name: 'goldenpaths.lifecycle.transition',
      attributes: { action: 'update' },
      resourceType: 'catalog-entity',
    });
  });

  it('lists each of the five once', () => {
    const names = goldenPathsPermissions.map(p => p.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.sort()).toEqual([
      'goldenpaths.approval.decide',
      'goldenpaths.killswitch.manage',
      'goldenpaths.lifecycle.transition',
      'goldenpaths.request.compensate',
      'goldenpaths.request.read',
    ]);
  });

  it('counts only a definitive ALLOW as allowed (fail closed)', () => {
    expect(isAllowedDecision({ result: AuthorizeResult.ALLOW })).toBe(true);
    expect(isAllowedDecision({ result: AuthorizeResult.DENY })).toBe(false);
    expect(isAllowedDecision({ result: AuthorizeResult.CONDITIONAL })).toBe(
      false,
    );
  });
});
