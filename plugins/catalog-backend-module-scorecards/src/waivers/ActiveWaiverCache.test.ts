import { mockServices } from '@backstage/backend-test-utils';
import { ActiveWaiverCache } from './ActiveWaiverCache';

const W1 = {
  id: 'W1',
  entityRef: 'component:default/checkout-service',
  checkId: 'runbook-link-valid',
  kind: 'exception',
  reason: 'runbook moves next sprint',
  owner: 'group:default/payments',
  requestedBy: 'user:default/alice',
  approvedBy: 'user:default/bob',
  createdAt: '2026-03-01T00:00:00Z',
  approvedAt: '2026-03-02T00:00:00Z',
  expiresAt: '2026-04-01T00:00:00Z',
  status: 'active',
};

function cacheAnswering(body: unknown) {
  jest
    .spyOn(global, 'fetch')
    .mockResolvedValue(new Response(JSON.stringify(body), { status: 200 }));
  const logger = mockServices.logger.mock();
  const cache = ActiveWaiverCache.fromBackend({
    discovery: mockServices.discovery.mock({
      getBaseUrl: async () => 'http://scorecards.test/api/scorecards',
    }),
    auth: mockServices.auth(),
    logger,
  });
  return { cache, logger };
}

describe('ActiveWaiverCache.fromBackend', () => {
  afterEach(() => jest.restoreAllMocks());

  it('keeps well-formed waivers as sent, extra fields included', async () => {
    const { cache } = cacheAnswering({ items: [{ ...W1, ticket: 'OPS-1' }] });
    await expect(cache.refresh()).resolves.toBe(1);
    expect(cache.current()).toEqual([{ ...W1, ticket: 'OPS-1' }]);
  });

  it.each([
    ['an entityRef that is not a string', { entityRef: 5 }],
    ['an unknown kind', { kind: 'forever' }],
    ['no expiry', { expiresAt: undefined }],
    ['a status the engine does not know', { status: 'ACTIVE' }],
  ])(
    'leaves out a waiver with %s and keeps the rest, with a warning',
    async (_what, change) => {
      const { cache, logger } = cacheAnswering({
        items: [{ ...W1, id: 'bad', ...change }, W1],
      });
      await expect(cache.refresh()).resolves.toBe(1);
      expect(cache.current()?.map(w => w.id)).toEqual(['W1']);
      expect(logger.warn).toHaveBeenCalledWith(
        'scorecards: left out 1 malformed waiver(s) of GET http://scorecards.test/api/scorecards/waivers',
      );
    },
  );

  it.each([
    ['items is not a list', { items: { W1 } }, 'object'],
    ['there is no items list', { waivers: [W1] }, 'none'],
  ])(
    'fails the read when %s, keeping the previous list',
    async (_what, body, got) => {
      const { cache } = cacheAnswering({ items: [W1] });
      await cache.refresh();
      jest
        .spyOn(global, 'fetch')
        .mockResolvedValue(new Response(JSON.stringify(body), { status: 200 }));
      await expect(cache.refresh()).rejects.toThrow(
        `the waiver list has no items array (got ${got})`,
      );
      expect(cache.current()?.map(w => w.id)).toEqual(['W1']);
    },
  );
});

describe('ActiveWaiverCache', () => {
  it('holds no list before its first successful read, and keeps the last one after a failure', async () => {
    const answers: (() => Promise<(typeof W1)[]>)[] = [
      async () => {
        throw new Error('ECONNREFUSED');
      },
      async () => [W1],
      async () => {
        throw new Error('ECONNREFUSED');
      },
    ];
    const cache = new ActiveWaiverCache(() => answers.shift()!() as never);
    expect(cache.current()).toBeUndefined();
    await expect(cache.refresh()).rejects.toThrow('ECONNREFUSED');
    // not loaded is not "no waivers": the processor keeps stamps until a read succeeds
    expect(cache.current()).toBeUndefined();
    await cache.refresh();
    const version = cache.version();
    expect(cache.current()).toEqual([W1]);
    await expect(cache.refresh()).rejects.toThrow('ECONNREFUSED');
    expect(cache.current()).toEqual([W1]);
    expect(cache.version()).toBe(version);
  });

  it('applies nothing from a read that a later read overtook', async () => {
    let answerFirst!: (waivers: unknown[]) => void;
    const reads = [
      new Promise<unknown[]>(resolve => {
        answerFirst = resolve;
      }),
      Promise.resolve([]),
    ];
    const cache = new ActiveWaiverCache(() => reads.shift()! as never);
    const first = cache.refresh();
    await expect(cache.refresh()).resolves.toBe(0);
    const version = cache.version();
    // the first read answers late, with the list as it was before a revocation
    answerFirst([W1]);
    await expect(first).resolves.toBe(0);
    expect(cache.current()).toEqual([]);
    expect(cache.version()).toBe(version);
  });
});
