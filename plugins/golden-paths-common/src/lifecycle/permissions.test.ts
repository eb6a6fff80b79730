import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  goldenPathsLifecycleTransitionPermission,
  isAllowedDecision,
} from './permissions';

describe('goldenpaths.lifecycle.transition (§6.4)', () => {
  it('is a resource permission on catalog entities', () => {
    expect(goldenPathsLifecycleTransitionPermission).toEqual({
      type: 'resource',
      name: 'goldenpaths.lifecycle.transition',
      attributes: { action: 'update' },
      resourceType: 'catalog-entity',
    });
  });

  it('counts only a definitive ALLOW as allowed (fail closed)', () => {
    expect(isAllowedDecision({ result: AuthorizeResult.ALLOW })).toBe(true);
    expect(isAllowedDecision({ result: AuthorizeResult.DENY })).toBe(false);
    expect(isAllowedDecision({ result: AuthorizeResult.CONDITIONAL })).toBe(
      false,
    );
  });
});
