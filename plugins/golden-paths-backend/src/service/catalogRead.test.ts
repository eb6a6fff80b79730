import { mockServices } from '@backstage/backend-test-utils';
import { cachedCatalogRead } from './catalogRead';
import { catalogGroupDirectory } from './groupDirectory';

/** A catalog whose `GET /entities` answers `entities` (changeable) and counts its reads. */
function fakeCatalog(entities: unknown[]) {
  const catalog = { entities, reads: 0 };
  jest.spyOn(globalThis, 'fetch').mockImplementation(async () => {
    catalog.reads += 1;
    // answer on a later turn, as a real request does, so concurrent callers overlap
    await new Promise(resolve => setImmediate(resolve));
    return new Response(JSON.stringify(catalog.entities), { status: 200 });
  });
  return catalog;
}

const readOf = (refreshIntervalMs?: number) =>
  cachedCatalogRead({
    discovery: mockServices.discovery(),
    auth: mockServices.auth(),
    query: 'filter=kind=template',
    what: 'templates',
    toValue: entities => entities.length,
    refreshIntervalMs,
  });

describe('cachedCatalogRead', () => {
  let now: number;

  beforeEach(() => {
    now = Date.parse('2026-12-05T10:00:00Z');
    jest.spyOn(Date, 'now').mockImplementation(() => now);
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('the group directory gives up on a catalog that does not answer (approvals wait on it), by default too', async () => {
    jest.restoreAllMocks(); // real timers for the abort
    const signals: (AbortSignal | undefined)[] = [];
    jest.spyOn(globalThis, 'fetch').mockImplementation(async (_url, init) => {
      const signal = init?.signal ?? undefined;
      signals.push(signal);
      return new Promise<Response>((_resolve, reject) => {
        signal?.addEventListener('abort', () => reject(signal!.reason));
      });
    });
    const directory = (timeoutMs?: number) =>
      catalogGroupDirectory({
        discovery: mockServices.discovery(),
        auth: mockServices.auth(),
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      });
    await expect(directory(50).view()).rejects.toThrow();
    expect(signals[0]?.aborted).toBe(true);
    // without the option the read still has a deadline (30 s), not the HTTP client's 5 min
    void directory()
      .view()
      .catch(() => {});
    await new Promise(resolve => setImmediate(resolve));
    expect(signals[1]).toBeInstanceOf(AbortSignal);
    expect(signals[1]!.aborted).toBe(false);
  });

  it('answers from the cache within its TTL; a refresh reads anew', async () => {
    const catalog = fakeCatalog([{}]);
    const read = readOf();
    expect(await read()).toBe(1);
    catalog.entities = [{}, {}];
    expect(await read()).toBe(1);
    expect(catalog.reads).toBe(1);

    expect(await read.refresh()).toBe(2);
    expect(catalog.reads).toBe(2);
    // the refreshed answer is the cached one from then on
    expect(await read()).toBe(2);
    expect(catalog.reads).toBe(2);
  });

  it('shares one catalog request among concurrent reads and refreshes', async () => {
    const catalog = fakeCatalog([{}]);
    const read = readOf();
    expect(await Promise.all([read(), read(), read()])).toEqual([1, 1, 1]);
    expect(catalog.reads).toBe(1);

    catalog.entities = [{}, {}];
    expect(
      await Promise.all([read.refresh(), read.refresh(), read.refresh()]),
    ).toEqual([2, 2, 2]);
    expect(catalog.reads).toBe(2);
  });

  it('refreshes at most once per interval; within it the cached answer is given', async () => {
    const catalog = fakeCatalog([{}]);
    const read = readOf(30_000);
    await read();
    await read.refresh();
    expect(catalog.reads).toBe(2);

    catalog.entities = [{}, {}];
    now += 10_000;
    expect(await read.refresh()).toBe(1);
    now += 19_999;
    expect(await read.refresh()).toBe(1);
    expect(catalog.reads).toBe(2);

    now += 1;
    expect(await read.refresh()).toBe(2);
    expect(catalog.reads).toBe(3);
  });

  it('counts a failed refresh against the interval, so a failing catalog is not hammered', async () => {
    const catalog = fakeCatalog([{}]);
    const read = readOf(30_000);
    await read();
    (globalThis.fetch as jest.Mock).mockImplementation(async () => {
      catalog.reads += 1;
      return new Response('', { status: 503 });
    });
    await expect(read.refresh()).rejects.toThrow(
      'catalog answered 503 when reading templates',
    );
    // within the interval: the cached answer, no request
    expect(await read.refresh()).toBe(1);
    expect(catalog.reads).toBe(2);
  });
});
