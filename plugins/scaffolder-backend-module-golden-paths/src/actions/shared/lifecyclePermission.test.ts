import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { lifecycleTransitionRefusal } from './lifecyclePermission';

describe('lifecycleTransitionRefusal (§6.4)', () => {
  const entityRef = 'component:default/cart-api';

  it("refuses a service's token without asking (Backstage's permission client would allow any service)", async () => {
    const permissions = mockServices.permissions.mock({
      authorize: jest.fn(async () => [{ result: 'ALLOW' }]) as any,
    });
    const refusal = await lifecycleTransitionRefusal({
      permissions,
      getInitiatorCredentials: async () =>
        mockCredentials.service('external:release-bot'),
      entityRef,
      fallbackUserRef: 'user:default/release-bot',
    });
    expect(refusal?.name).toBe('NotAllowedError');
    expect(refusal?.message).toBe(
      'goldenpaths.lifecycle.transition is decided for users only: external:release-bot may not move component:default/cart-api through its lifecycle (archive, delete, deprecate, promote); a member of the owning team or the platform team runs this template. Nothing was changed.',
    );
    expect(permissions.authorize).not.toHaveBeenCalled();
  });

  it("asks the policy with a user's credentials", async () => {
    const permissions = mockServices.permissions.mock({
      authorize: jest.fn(async () => [{ result: 'DENY' }]) as any,
    });
    const refusal = await lifecycleTransitionRefusal({
      permissions,
      getInitiatorCredentials: async () =>
        mockCredentials.user('user:default/ana.ruiz'),
      entityRef,
      fallbackUserRef: 'user:default/ana.ruiz',
    });
    expect(permissions.authorize).toHaveBeenCalledTimes(1);
    expect(refusal?.message).toBe(
      'goldenpaths.lifecycle.transition is not allowed for user:default/ana.ruiz on component:default/cart-api; nothing was changed.',
    );
  });
});
