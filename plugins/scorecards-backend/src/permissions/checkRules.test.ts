import { ownsCheck, scorecardsCheckRules } from './checkRules';

describe('ownsCheck', () => {
  it.each([
    // [caller's ownership refs, check owner as the standard writes it, owns]
    [['group:default/platform-team'], 'group:default/platform-team', true],
    [['group:default/platform-team'], 'group:platform-team', true],
    [['group:default/Platform-Team'], 'group:PLATFORM-team', true],
    [
      ['user:default/ana', 'group:default/platform-team'],
      'group:platform-team',
      true,
    ],
    [['group:ops/platform-team'], 'group:platform-team', false],
    [['group:default/platform-team'], 'group:ops/platform-team', false],
    [['group:default/platform'], 'group:platform-team', false],
    [[], 'group:platform-team', false],
  ])('%j owns %s: %s', (refs, owner, owns) => {
    expect(ownsCheck(refs, owner)).toBe(owns);
  });
});

describe('isCheckOwnerMember', () => {
  const check = (owner: string, callerOwnershipRefs: string[]) => ({
    id: 'dependencies-match-observed',
    class: 'required' as const,
    severity: 'high' as const,
    owner,
    callerOwnershipRefs,
  });

  it('matches an owner written without a namespace against the caller’s full refs', () => {
    const rule = scorecardsCheckRules.isCheckOwnerMember;
    expect(
      rule.apply(
        check('group:platform-team', ['group:default/platform-team']),
        {},
      ),
    ).toBe(true);
    expect(
      rule.apply(
        check('group:platform-team', ['group:default/storefront']),
        {},
      ),
    ).toBe(false);
  });
});
