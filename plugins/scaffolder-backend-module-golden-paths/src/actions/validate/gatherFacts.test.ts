import { GroupProjectionCache } from './gatherFacts';

describe('GroupProjectionCache', () => {
  const items = [{ kind: 'Group', metadata: { name: 'checkout-team' } } as any];

  it('reuses a read within its TTL and shares one read between concurrent runs', async () => {
    const load = jest.fn(async () => ({ items }));
    const cache = new GroupProjectionCache(60_000);
    await Promise.all([cache.read(load), cache.read(load)]);
    await cache.read(load);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('reads again once the TTL has passed, and always with TTL 0', async () => {
    const load = jest.fn(async () => ({ items }));
    const none = new GroupProjectionCache(0);
    await none.read(load);
    await none.read(load);
    expect(load).toHaveBeenCalledTimes(2);
    const short = new GroupProjectionCache(5);
    await short.read(load);
    await new Promise(r => setTimeout(r, 15));
    await short.read(load);
    expect(load).toHaveBeenCalledTimes(4);
  });

  it('never caches a failed read', async () => {
    const cache = new GroupProjectionCache(60_000);
    await expect(
      cache.read(async () => {
        throw new Error('catalog down');
      }),
    ).rejects.toThrow('catalog down');
    const load = jest.fn(async () => ({ items }));
    expect((await cache.read(load)).items).toBe(items);
    expect(load).toHaveBeenCalledTimes(1);
  });
});
