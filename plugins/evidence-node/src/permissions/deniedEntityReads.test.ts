import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  AUTHORIZE_BATCH_SIZE,
  AUTHORIZE_CONCURRENCY,
  deniedEntityReads,
} from './deniedEntityReads';

const refs = (n: number) =>
  Array.from({ length: n }, (_, i) => `component:default/svc-${i}`);

/**
 * A permissions service whose policy answers `policy` for `catalog.entity.read`; a CONDITIONAL
 * policy denies the refs in `unreadable` when asked per resource. Records every call.
 */
function permissionsWith(
  policy: AuthorizeResult | undefined,
  unreadable: string[] = [],
) {
  const authorize = jest.fn(async (requests: { resourceRef?: string }[]) =>
    requests.map(r => ({
      result:
        policy === AuthorizeResult.DENY || unreadable.includes(r.resourceRef!)
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
    })),
  );
  const authorizeConditional = jest.fn(async () =>
    policy === undefined
      ? []
      : [
          policy === AuthorizeResult.CONDITIONAL
            ? {
                result: AuthorizeResult.CONDITIONAL,
                pluginId: 'catalog',
                resourceType: 'catalog-entity',
                conditions: {
                  rule: 'IS_ENTITY_OWNER',
                  resourceType: 'catalog-entity',
                  params: {},
                },
              }
            : { result: policy },
        ],
  );
  return {
    permissions: mockServices.permissions.mock({
      authorize: authorize as any,
      authorizeConditional: authorizeConditional as any,
    }),
    authorize,
    authorizeConditional,
    batches: () =>
      authorize.mock.calls.map(([requests]) =>
        requests.map(r => r.resourceRef),
      ),
  };
}

const user = mockCredentials.user();

describe('deniedEntityReads', () => {
  it('asks up to one batch of refs in one authorize call, one decision per ref', async () => {
    const asked = refs(AUTHORIZE_BATCH_SIZE);
    const p = permissionsWith(AuthorizeResult.CONDITIONAL, [asked[7]]);
    expect(await deniedEntityReads(p.permissions, user, asked)).toEqual(
      new Set([asked[7]]),
    );
    expect(p.batches()).toEqual([asked]);
    expect(p.authorizeConditional).not.toHaveBeenCalled();
  });

  // The permission backend answers 413 to a body over 100 kB (backstage/backstage#28836).
  it('resolves a conditional policy over many refs in requests of at most one batch', async () => {
    const asked = refs(2 * AUTHORIZE_BATCH_SIZE + 7);
    const unreadable = [
      asked[3],
      asked[AUTHORIZE_BATCH_SIZE + 7],
      asked.at(-1)!,
    ];
    const p = permissionsWith(AuthorizeResult.CONDITIONAL, unreadable);
    const denied = await deniedEntityReads(p.permissions, user, asked);
    expect(denied).toEqual(new Set(unreadable));
    expect(p.authorizeConditional).toHaveBeenCalledTimes(1);
    expect(p.batches().map(b => b.length)).toEqual([
      AUTHORIZE_BATCH_SIZE,
      AUTHORIZE_BATCH_SIZE,
      7,
    ]);
    expect(p.batches().flat()).toEqual(asked);
    for (const [, options] of p.authorize.mock.calls as unknown as [
      unknown,
      unknown,
    ][]) {
      expect(options).toEqual({ credentials: user });
    }
  });

  // A read naming a whole catalog must not put hundreds of requests on the permission backend.
  it(`keeps at most ${AUTHORIZE_CONCURRENCY} authorize requests in flight`, async () => {
    const asked = refs(20 * AUTHORIZE_BATCH_SIZE);
    let inFlight = 0;
    let most = 0;
    const authorize = jest.fn(async (requests: unknown[]) => {
      most = Math.max(most, ++inFlight);
      await new Promise(resolve => setTimeout(resolve, 1));
      inFlight--;
      return requests.map(() => ({ result: AuthorizeResult.ALLOW }));
    });
    const permissions = mockServices.permissions.mock({
      authorize: authorize as any,
      authorizeConditional: (async () => [
        {
          result: AuthorizeResult.CONDITIONAL,
          pluginId: 'catalog',
          resourceType: 'catalog-entity',
          conditions: { rule: 'X', resourceType: 'catalog-entity', params: {} },
        },
      ]) as any,
    });
    expect(await deniedEntityReads(permissions, user, asked)).toEqual(
      new Set(),
    );
    expect(authorize).toHaveBeenCalledTimes(20);
    expect(most).toBe(AUTHORIZE_CONCURRENCY);
  });

  it('fails when a request fails, and sends no further batch', async () => {
    const asked = refs(20 * AUTHORIZE_BATCH_SIZE);
    let calls = 0;
    const authorize = jest.fn(async (requests: unknown[]) => {
      const call = ++calls;
      await new Promise(resolve => setTimeout(resolve, call === 1 ? 1 : 5));
      if (call === 1) throw new Error('permission backend unavailable');
      return requests.map(() => ({ result: AuthorizeResult.ALLOW }));
    });
    const permissions = mockServices.permissions.mock({
      authorize: authorize as any,
      authorizeConditional: (async () => []) as any,
    });
    await expect(deniedEntityReads(permissions, user, asked)).rejects.toThrow(
      'permission backend unavailable',
    );
    await new Promise(resolve => setTimeout(resolve, 20));
    // the batches already in flight, and not one more
    expect(authorize).toHaveBeenCalledTimes(AUTHORIZE_CONCURRENCY);
  });

  it('asks each distinct ref once', async () => {
    const asked = refs(AUTHORIZE_BATCH_SIZE);
    const p = permissionsWith(AuthorizeResult.CONDITIONAL, [asked[1]]);
    expect(
      await deniedEntityReads(p.permissions, user, [...asked, ...asked]),
    ).toEqual(new Set([asked[1]]));
    expect(p.batches()).toEqual([asked]);
    expect(p.authorizeConditional).not.toHaveBeenCalled();
  });

  it('fails closed on a ref the permission framework gave no decision for', async () => {
    const asked = refs(3);
    const permissions = mockServices.permissions.mock({
      authorize: (async () => [{ result: AuthorizeResult.ALLOW }]) as any,
    });
    expect(await deniedEntityReads(permissions, user, asked)).toEqual(
      new Set(asked.slice(1)),
    );
  });

  it.each([
    [AuthorizeResult.ALLOW, 0],
    [AuthorizeResult.DENY, AUTHORIZE_BATCH_SIZE + 1],
  ])(
    'takes a definitive %s of the policy for every one of many refs, asking nothing per ref',
    async (policy, deniedCount) => {
      const asked = refs(AUTHORIZE_BATCH_SIZE + 1);
      const p = permissionsWith(policy);
      const denied = await deniedEntityReads(p.permissions, user, asked);
      expect(denied.size).toBe(deniedCount);
      expect(p.authorizeConditional).toHaveBeenCalledTimes(1);
      expect(p.authorizeConditional.mock.calls[0]).toEqual([
        [
          {
            permission: expect.objectContaining({
              name: 'catalog.entity.read',
            }),
          },
        ],
        { credentials: user },
      ]);
      expect(p.authorize).not.toHaveBeenCalled();
    },
  );

  it('falls back to decisions per ref when the conditional query answers nothing', async () => {
    const asked = refs(AUTHORIZE_BATCH_SIZE + 1);
    const p = permissionsWith(undefined, [asked[0]]);
    expect(await deniedEntityReads(p.permissions, user, asked)).toEqual(
      new Set([asked[0]]),
    );
    expect(p.batches().map(b => b.length)).toEqual([AUTHORIZE_BATCH_SIZE, 1]);
  });
});
