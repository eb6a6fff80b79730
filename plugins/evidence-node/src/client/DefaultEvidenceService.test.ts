import { DefaultEvidenceService } from './DefaultEvidenceService';

interface Call {
  method: string;
  path: string;
  body: any;
}

/**
 * A fake evidence backend: records every call and answers /read with one empty entity per
 * requested ref. `behaviour` lets a test make it slow or failing.
 */
function fakeBackend(behaviour: { delayMs?: number; status?: number } = {}) {
  const calls: Call[] = [];
  const fetchFn = (async (url: string, init: RequestInit) => {
    const path = url.replace('http://evidence', '');
    const body = init.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ method: String(init.method), path, body });
    if (behaviour.delayMs) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, behaviour.delayMs);
        init.signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(init.signal!.reason);
        });
      });
    }
    if (behaviour.status && behaviour.status >= 400) {
      return new Response('boom', { status: behaviour.status });
    }
    if (path === '/read') {
      const entities = Object.fromEntries(
        body.entityRefs.map((ref: string) => [
          ref,
          { facts: [{ kind: 'repo.files', entityRef: ref }], collection: [] },
        ]),
      );
      return Response.json({ asOf: 'x', sourceHealth: [], entities });
    }
    if (path === '/facts/batch' || path === '/changes/batch') {
      return Response.json({ results: [], summary: {} });
    }
    if (path === '/changes/query') return Response.json({ items: [] });
    if (path.startsWith('/entities/changed')) {
      return Response.json({ until: '1700', refs: ['component:default/a'] });
    }
    return Response.json({ items: [] });
  }) as unknown as typeof fetch;
  return { calls, fetchFn };
}

function client(
  backend: ReturnType<typeof fakeBackend>,
  options: ConstructorParameters<typeof DefaultEvidenceService>[1] = {},
  now: () => number = Date.now,
) {
  return new DefaultEvidenceService(
    {
      baseUrl: async () => 'http://evidence',
      token: async () => 'token',
      fetch: backend.fetchFn,
    },
    options,
    now,
  );
}

const refs = (n: number) =>
  Array.from({ length: n }, (_, i) => `component:default/svc-${i}`);

describe('DefaultEvidenceService batching and cache (EV38)', () => {
  it('merges 1,000 single-ref reads issued within the window into 5 calls of at most 200 refs', async () => {
    const backend = fakeBackend();
    const evidence = client(backend);
    const results = await Promise.all(
      refs(1000).map(ref => evidence.readEntities([ref])),
    );

    const reads = backend.calls.filter(c => c.path === '/read');
    expect(reads).toHaveLength(5);
    expect(reads.every(c => c.body.entityRefs.length <= 200)).toBe(true);
    expect(new Set(reads.flatMap(c => c.body.entityRefs)).size).toBe(1000);
    // Every caller gets exactly its own entity back.
    expect(
      results.map(r => (r.available ? [...r.data.keys()] : r.cause)),
    ).toEqual(refs(1000).map(ref => [ref]));
  });

  it('answers the same reads from the cache within the TTL and asks again after it', async () => {
    let now = 1_000_000;
    const backend = fakeBackend();
    const evidence = client(backend, { cacheTtlMs: 60_000 }, () => now);
    await Promise.all(refs(10).map(ref => evidence.readEntities([ref])));
    expect(backend.calls).toHaveLength(1);

    now += 59_000;
    await Promise.all(refs(10).map(ref => evidence.readEntities([ref])));
    expect(backend.calls).toHaveLength(1);

    now += 2_000;
    await evidence.readEntities([refs(1)[0]]);
    expect(backend.calls).toHaveLength(2);
  });

  it('bypasses the cache for reads with cache: false, in both directions', async () => {
    const backend = fakeBackend();
    const evidence = client(backend);
    await evidence.readEntities(['component:default/a']);
    await evidence.readEntities(['component:default/a'], { cache: false });
    expect(backend.calls).toHaveLength(2);
    await evidence.readEntities(['component:default/b'], { cache: false });
    await evidence.readEntities(['component:default/b']);
    expect(backend.calls).toHaveLength(4);
  });

  it('polls changed entities with the previous until, never from the cache', async () => {
    const backend = fakeBackend();
    const evidence = client(backend);
    const first = await evidence.changedEntities();
    const second = await evidence.changedEntities('1700');
    expect(backend.calls.map(c => c.path)).toEqual([
      '/entities/changed',
      '/entities/changed?since=1700',
    ]);
    expect(first).toMatchObject({
      available: true,
      data: { until: '1700', refs: ['component:default/a'] },
    });
    expect(second.available).toBe(true);
  });

  it('keeps reads with different includes apart', async () => {
    const backend = fakeBackend();
    const evidence = client(backend);
    await Promise.all([
      evidence.readEntities(['component:default/a']),
      evidence.readEntities(['component:default/a'], { include: ['edges'] }),
    ]);
    expect(backend.calls.map(c => c.body.include)).toEqual(
      expect.arrayContaining([['collection', 'facts'], ['edges']]),
    );
  });

  it('invalidates the cached reads of the refs a write touches', async () => {
    const backend = fakeBackend();
    const evidence = client(backend);
    await evidence.readEntities(['component:default/a', 'component:default/b']);
    await evidence.writeFacts([
      {
        entityRef: 'component:default/a',
        source: 'ci',
        kind: 'repo.settings',
        value: {},
        observedAt: '2026-03-14T02:05:00Z',
        idempotencyKey: 'k1',
      },
    ]);
    await evidence.readEntities(['component:default/a', 'component:default/b']);
    const reads = backend.calls.filter(c => c.path === '/read');
    expect(reads).toHaveLength(2);
    expect(reads[1].body.entityRefs).toEqual(['component:default/a']);
  });

  it('never caches ledger reads longer than 5 s, whatever is configured', async () => {
    let now = 0;
    const backend = fakeBackend();
    const evidence = client(backend, { ledgerCacheTtlMs: 60_000 }, () => now);
    const query = {
      entityRefs: ['component:default/a'],
      from: '2026-03-13T02:05:00Z',
      to: '2026-03-14T02:05:00Z',
    };
    await evidence.queryChanges(query);
    now += 4_900;
    await evidence.queryChanges(query);
    expect(backend.calls).toHaveLength(1);
    now += 200;
    await evidence.queryChanges(query);
    expect(backend.calls).toHaveLength(2);
  });
});

describe('DefaultEvidenceService timeout and circuit breaker (EV39)', () => {
  it('resolves a slow read at the timeout as unavailable instead of rejecting', async () => {
    const backend = fakeBackend({ delayMs: 1_000 });
    const evidence = client(backend, { timeoutMs: 100 });
    const started = Date.now();
    const result = await evidence.readEntities(['component:default/a']);
    const elapsed = Date.now() - started;
    expect(result).toMatchObject({ available: false, cause: 'timeout' });
    expect(elapsed).toBeGreaterThanOrEqual(90);
    expect(elapsed).toBeLessThan(900);
  });

  it('opens after 3 failures, answers circuit-open without calling, and re-opens when the probe fails', async () => {
    let now = 0;
    const backend = fakeBackend({ status: 503 });
    const evidence = client(
      backend,
      { breakerFailures: 3, breakerOpenForMs: 30_000, cacheTtlMs: 0 },
      () => now,
    );
    for (const ref of ['a', 'b', 'c']) {
      expect(
        await evidence.readEntities([`component:default/${ref}`]),
      ).toMatchObject({ available: false, cause: 'server-error' });
    }
    expect(backend.calls).toHaveLength(3);

    const open = await evidence.readEntities(['component:default/d']);
    expect(open).toMatchObject({ available: false, cause: 'circuit-open' });
    expect(backend.calls).toHaveLength(3);

    // After the open period one probe goes out; it fails, so the circuit opens again.
    now += 30_000;
    await evidence.readEntities(['component:default/e']);
    expect(backend.calls).toHaveLength(4);
    expect(await evidence.readEntities(['component:default/f'])).toMatchObject({
      cause: 'circuit-open',
    });
    expect(backend.calls).toHaveLength(4);
  });

  it('closes the circuit when the probe succeeds', async () => {
    let now = 0;
    let failing = true;
    const failingBackend = fakeBackend({ status: 500 });
    const healthyBackend = fakeBackend();
    const evidence = new DefaultEvidenceService(
      {
        baseUrl: async () => 'http://evidence',
        token: async () => 'token',
        fetch: ((url: string, init: RequestInit) =>
          (failing ? failingBackend : healthyBackend).fetchFn(
            url,
            init,
          )) as typeof fetch,
      },
      { breakerFailures: 3, breakerOpenForMs: 30_000, cacheTtlMs: 0 },
      () => now,
    );
    for (const ref of ['a', 'b', 'c']) {
      await evidence.readEntities([`component:default/${ref}`]);
    }
    failing = false;
    now += 30_000;
    expect(
      (await evidence.readEntities(['component:default/d'])).available,
    ).toBe(true);
    expect(
      (await evidence.readEntities(['component:default/e'])).available,
    ).toBe(true);
    expect(healthyBackend.calls).toHaveLength(2);
  });

  it('does not count a 4xx as an outage', async () => {
    const backend = fakeBackend({ status: 400 });
    const evidence = client(backend, { breakerFailures: 1, cacheTtlMs: 0 });
    await evidence.readEntities(['component:default/a']);
    const second = await evidence.readEntities(['component:default/b']);
    expect(second).toMatchObject({ available: false, cause: 'client-error' });
    expect(backend.calls).toHaveLength(2);
  });

  it('rejects failed writes so callers can retry them', async () => {
    const backend = fakeBackend({ status: 500 });
    const evidence = client(backend);
    await expect(evidence.writeChanges([])).rejects.toThrow(/answered 500/);
  });
});
