import { ConfigReader } from '@backstage/config';
import { isFullEntityRef } from '@internal/plugin-evidence-common';
import { readEvidenceClientOptions } from '../evidenceServiceRef';
import { DefaultEvidenceService } from './DefaultEvidenceService';
import { EvidenceHttpError } from './EvidenceHttpError';

interface Call {
  method: string;
  path: string;
  body: any;
}

/**
 * A fake evidence backend: records every call and answers /read with one entity per requested
 * ref, whose fact value counts the writes made so far. `behaviour` lets a test make it slow,
 * failing, refusing some refs (as the backend validates `entityRefs` as a whole), holding an
 * answer (computed when the call arrived) or stalling its body until the call aborts.
 */
function fakeBackend(
  behaviour: {
    delayMs?: number;
    status?: number;
    refuseRef?: (ref: string) => boolean;
    /** Refs whose summary the caller may not read: answered `{ restricted: true }`. */
    restrictRef?: (ref: string) => boolean;
    hold?: (path: string) => Promise<void> | undefined;
    stallBody?: boolean;
    /** Answers `at` of GET /changes/summary as a backend from before it did. */
    refuseAt?: boolean;
    /** Answers `ledgerView` of POST /read as a backend from before it did. */
    refuseLedgerView?: boolean;
    /** `marks` of GET /entities/changed with a `since`. */
    changedMarks?: unknown;
  } = {},
) {
  const calls: Call[] = [];
  let writes = 0;
  const answer = (path: string, body: any): Response => {
    if (behaviour.status && behaviour.status >= 400) {
      return new Response('boom', { status: behaviour.status });
    }
    if (path === '/read') {
      if (body.entityRefs.some((r: string) => behaviour.refuseRef?.(r))) {
        return new Response('INVALID_FIELD entityRefs', { status: 400 });
      }
      if (behaviour.refuseLedgerView && body.ledgerView !== undefined) {
        return Response.json(
          {
            error: {
              code: 'INVALID_FIELD',
              message: 'ledgerView is not a known field',
            },
          },
          { status: 400 },
        );
      }
      const entities = Object.fromEntries(
        body.entityRefs.map((ref: string) => [
          ref,
          {
            facts: [{ kind: 'repo.files', entityRef: ref, value: { writes } }],
            collection: [],
          },
        ]),
      );
      return Response.json({ asOf: 'x', sourceHealth: [], entities });
    }
    if (path === '/facts/batch' || path === '/changes/batch') {
      writes += 1;
      return Response.json({ results: [], summary: {} });
    }
    if (path === '/changes/query') {
      return Response.json({ items: [{ id: `after-${writes}-writes` }] });
    }
    if (path.startsWith('/changes/summary?')) {
      const query = new URL(`http://evidence${path}`).searchParams;
      // As the backend reads the list: each ref trimmed, answered under its normalized form.
      const asked = query
        .get('entityRefs')!
        .split(',')
        .map(r => r.trim().toLowerCase());
      if (asked.some(r => behaviour.refuseRef?.(r))) {
        return new Response('INVALID_FIELD entityRefs', { status: 400 });
      }
      if (behaviour.refuseAt && query.has('at')) {
        return Response.json(
          {
            error: {
              code: 'INVALID_FIELD',
              message: 'at is not a known field',
            },
          },
          { status: 400 },
        );
      }
      const summaries = Object.fromEntries(
        asked.map(ref => [
          ref,
          behaviour.restrictRef?.(ref)
            ? { restricted: true }
            : ledgerSummary(writes, query.get('environment')),
        ]),
      );
      return Response.json({ asOf: 'x', summaries });
    }
    if (path.startsWith('/entities/changed')) {
      return Response.json({
        until: '1700',
        refs: ['component:default/a'],
        ...(path.includes('since') && behaviour.changedMarks !== undefined
          ? { marks: behaviour.changedMarks }
          : {}),
      });
    }
    return Response.json({ items: [] });
  };
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
    if (behaviour.stallBody) {
      // Headers arrive at once, the body never ends: like fetch, the call's abort errors it.
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"items": ['));
          init.signal?.addEventListener('abort', () =>
            controller.error(init.signal!.reason),
          );
        },
      });
      return new Response(stream, {
        status: 200,
        headers: { 'Content-Type': 'application/json' },
      });
    }
    const response = answer(path, body);
    await behaviour.hold?.(path);
    return response;
  }) as unknown as typeof fetch;
  return { calls, fetchFn };
}

/**
 * A summary as the backend answers it: `recent30d` counts the writes made so far, and the
 * deploy coverage names the environment asked for. Coverage outlives the changes it counts
 * (EV37): here a deploy kind is covered though no change is left to be the last one.
 */
function ledgerSummary(writes: number, environment: string | null) {
  return {
    coverage: {
      deploy: {
        firstAt: '2023-01-01T00:00:00.000Z',
        lastAt: '2023-06-01T00:00:00.000Z',
        count: environment === 'staging' ? 2 : 7,
      },
    },
    lastChange: null,
    lastSucceededDeploy: null,
    recent30d: writes,
  };
}

/** A promise the test settles itself. */
function gate() {
  let open!: () => void;
  const promise = new Promise<void>(resolve => {
    open = resolve;
  });
  return { promise, open };
}

/** Waits (on real timers) until `condition` holds, e.g. until a batched call has gone out. */
async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1_000 && !condition(); i++) {
    await new Promise(resolve => setTimeout(resolve, 1));
  }
  expect(condition()).toBe(true);
}

const factValue = (
  read: Awaited<ReturnType<DefaultEvidenceService['readEntities']>>,
  ref: string,
) => (read.available ? read.data.get(ref)?.facts[0]?.value : read.cause);

const factInput = (entityRef: string, idempotencyKey: string) => ({
  entityRef,
  source: 'ci',
  kind: 'repo.settings',
  value: {},
  observedAt: '2026-03-14T02:05:00Z',
  idempotencyKey,
});

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

  it('sends a ledger view with the ledger only, and reads other views apart', async () => {
    const backend = fakeBackend();
    const evidence = client(backend);
    const view = { perClass: 3, artifacts: 2 };
    await Promise.all([
      evidence.readEntities(refs(2), {
        include: ['facts', 'ledger'],
        ledgerView: view,
      }),
      evidence.readEntities(refs(2), { include: ['facts', 'ledger'] }),
      evidence.readEntities(refs(2), { include: ['facts'], ledgerView: view }),
    ]);
    const bodies = backend.calls
      .filter(c => c.path === '/read')
      .map(c => ({ include: c.body.include, ledgerView: c.body.ledgerView }));
    expect(bodies).toHaveLength(3);
    expect(bodies).toEqual(
      expect.arrayContaining([
        { include: ['facts', 'ledger'], ledgerView: view },
        { include: ['facts', 'ledger'], ledgerView: undefined },
        { include: ['facts'], ledgerView: undefined },
      ]),
    );
  });

  it('reads the whole window from a backend before ledgerView, and asks it again after 10 minutes', async () => {
    const backend = fakeBackend({ refuseLedgerView: true });
    const clock = { now: 1_000_000 };
    const evidence = client(backend, {}, () => clock.now);
    const read = () =>
      evidence.readEntities(refs(2), {
        include: ['ledger'],
        ledgerView: { perClass: 3, artifacts: 2 },
        cache: false,
      });
    const views = () =>
      backend.calls.filter(c => c.path === '/read').map(c => c.body.ledgerView);
    expect((await read()).available).toBe(true);
    expect(views()).toEqual([{ perClass: 3, artifacts: 2 }, undefined]);
    expect((await read()).available).toBe(true);
    expect(views()).toHaveLength(3);
    clock.now += 10 * 60_000;
    await read();
    expect(views().slice(3)).toEqual([
      { perClass: 3, artifacts: 2 },
      undefined,
    ]);
  });

  it.each([
    [{ perClass: 1500, artifacts: 2 }],
    [{ perClass: 1.5, artifacts: 2 }],
    [{ perClass: 3, artifacts: -1 }],
  ])(
    'sends no view the backend would refuse (%j): the whole window',
    async view => {
      const backend = fakeBackend();
      await client(backend).readEntities(refs(1), {
        include: ['ledger'],
        ledgerView: view,
      });
      expect(
        backend.calls
          .filter(c => c.path === '/read')
          .map(c => c.body.ledgerView),
      ).toEqual([undefined]);
    },
  );

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

  it('passes the write marks of changed entities on, and drops marks it cannot trust without refusing the answer', async () => {
    const marks = { 'component:default/a': ['c:C1@1650', 'f:F2@1690'] };
    const marked = client(fakeBackend({ changedMarks: marks }));
    const answer = await marked.changedEntities('1600');
    expect(answer.available && answer.data).toEqual({
      until: '1700',
      refs: ['component:default/a'],
      marks,
    });
    for (const bad of [
      ['c:C1@1650'],
      { 'component:default/a': 'c:C1@1650' },
      { 'component:default/a': [1650] },
      null,
    ]) {
      const dropped = await client(
        fakeBackend({ changedMarks: bad }),
      ).changedEntities('1600');
      expect(dropped.available && dropped.data).toEqual({
        until: '1700',
        refs: ['component:default/a'],
      });
    }
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

  it('reads a ref given with spaces or in capitals as its normalized ref, and a write to it so named invalidates it', async () => {
    const backend = fakeBackend();
    const evidence = client(backend);
    const a = 'component:default/a';
    const read = await evidence.readEntities([' Component:default/A ', a]);
    expect(read.available && [...read.data.keys()]).toEqual([a]);
    expect(backend.calls[0].body.entityRefs).toEqual([a]);
    await evidence.writeFacts([factInput(' COMPONENT:default/a ', 'k1')]);
    expect(factValue(await evidence.readEntities([a]), a)).toEqual({
      writes: 1,
    });
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

describe('DefaultEvidenceService after a risk is stored', () => {
  it('reads the ledger again: a cached answer still holds the change without its risk', async () => {
    const backend = fakeBackend();
    const evidence = client(backend);
    const query = {
      entityRefs: ['component:default/a'],
      from: '2026-03-13T02:05:00Z',
      to: '2026-03-14T02:05:00Z',
    };
    await evidence.queryChanges(query);
    await evidence.queryChanges(query);
    expect(backend.calls.filter(c => c.path === '/changes/query')).toHaveLength(
      1,
    );
    await evidence.setChangeRisk('01CHANGE', {
      modelVersion: 'risk/1',
      score: 3,
      tier: 'Low',
      lowConfidence: false,
      dimensions: [],
      floorsApplied: [],
    } as never);
    await evidence.queryChanges(query);
    expect(backend.calls.filter(c => c.path === '/changes/query')).toHaveLength(
      2,
    );
  });
});

const summaryCalls = (backend: ReturnType<typeof fakeBackend>) =>
  backend.calls.filter(c => c.path.startsWith('/changes/summary'));

/** The refs and environment of a `GET /changes/summary` call. */
const summaryQuery = (call: Call) => {
  const query = new URL(`http://evidence${call.path}`).searchParams;
  return {
    entityRefs: query.get('entityRefs')!.split(','),
    environment: query.get('environment'),
  };
};

describe('DefaultEvidenceService changeSummary (§5.4, EV37)', () => {
  it('merges single-ref summaries issued within the window into one GET, each caller getting its own', async () => {
    const backend = fakeBackend();
    const evidence = client(backend);
    const results = await Promise.all(
      refs(3).map(ref =>
        evidence.changeSummary([ref.toUpperCase()], {
          environment: 'staging',
        }),
      ),
    );
    expect(summaryCalls(backend)).toHaveLength(1);
    expect(backend.calls[0].method).toBe('GET');
    expect(summaryQuery(backend.calls[0])).toEqual({
      entityRefs: refs(3),
      environment: 'staging',
    });
    expect(
      results.map(r => (r.available ? [...r.data.keys()] : r.cause)),
    ).toEqual(refs(3).map(ref => [ref]));
    // Coverage is handed on as answered, also for a kind with no change left (EV37).
    expect(results[0]).toMatchObject({
      available: true,
      data: new Map([
        [
          refs(1)[0],
          {
            coverage: { deploy: { count: 2 } },
            lastChange: null,
            lastSucceededDeploy: null,
            recent30d: 0,
          },
        ],
      ]),
    });
  });

  it('sends no environment unless one is asked for, and keeps environments apart', async () => {
    const backend = fakeBackend();
    const evidence = client(backend);
    const a = 'component:default/a';
    const all = await evidence.changeSummary([a]);
    const staging = await evidence.changeSummary([a], {
      environment: 'staging',
    });
    expect(summaryCalls(backend).map(summaryQuery)).toEqual([
      { entityRefs: [a], environment: null },
      { entityRefs: [a], environment: 'staging' },
    ]);
    const count = (r: typeof all) =>
      r.available && r.data.get(a)?.coverage.deploy.count;
    expect([count(all), count(staging)]).toEqual([7, 2]);
  });

  it('sends the instant asked for as at, and keeps instants apart', async () => {
    const backend = fakeBackend();
    const evidence = client(backend);
    const a = 'component:default/a';
    const at = '2026-03-14T02:05:00.000Z';
    await evidence.changeSummary([a]);
    await evidence.changeSummary([a], { at });
    await evidence.changeSummary([a], { at });
    const sent = summaryCalls(backend).map(c =>
      new URL(`http://evidence${c.path}`).searchParams.get('at'),
    );
    expect(sent).toEqual([null, at]);
  });

  it('asks an evidence backend from before at again without it, instead of answering unavailable', async () => {
    const backend = fakeBackend({ refuseAt: true });
    const evidence = client(backend);
    const a = 'component:default/a';
    const read = await evidence.changeSummary([a], {
      at: '2026-03-14T02:05:00.000Z',
    });
    expect(read.available).toBe(true);
    expect(
      summaryCalls(backend).map(c =>
        new URL(`http://evidence${c.path}`).searchParams.has('at'),
      ),
    ).toEqual([true, false]);
  });

  it('caches summaries per ref for at most 5 s, whatever is configured', async () => {
    let now = 0;
    const backend = fakeBackend();
    const evidence = client(backend, { ledgerCacheTtlMs: 60_000 }, () => now);
    const [a, b] = refs(2);
    await evidence.changeSummary([a]);
    now += 4_900;
    // a from the cache, only b asked for
    await evidence.changeSummary([a, b]);
    expect(summaryCalls(backend).map(c => summaryQuery(c).entityRefs)).toEqual([
      [a],
      [b],
    ]);
    now += 200;
    await evidence.changeSummary([a, b]);
    expect(summaryCalls(backend).map(c => summaryQuery(c).entityRefs)).toEqual([
      [a],
      [b],
      [a],
    ]);
  });

  it('reads summaries again after a change is written or a risk is set, also for other refs', async () => {
    const backend = fakeBackend();
    const evidence = client(backend);
    const a = 'component:default/a';
    const recent = async () => {
      const read = await evidence.changeSummary([a]);
      return read.available && read.data.get(a)?.recent30d;
    };
    expect(await recent()).toBe(0);
    expect(await recent()).toBe(0);
    expect(summaryCalls(backend)).toHaveLength(1);
    // An alias-only change may land on any entity: every summary is dropped.
    await evidence.writeChanges([]);
    expect(await recent()).toBe(1);
    expect(summaryCalls(backend)).toHaveLength(2);
    await evidence.setChangeRisk('01CHANGE', {} as never);
    await recent();
    expect(summaryCalls(backend)).toHaveLength(3);
    // A fact write leaves the ledger alone.
    await evidence.writeFacts([factInput(a, 'k1')]);
    await recent();
    expect(summaryCalls(backend)).toHaveLength(3);
  });

  it('does not keep a summary that was in flight when a change was written', async () => {
    const held = gate();
    let summaries = 0;
    const backend = fakeBackend({
      hold: path =>
        path.startsWith('/changes/summary') && ++summaries === 1
          ? held.promise
          : undefined,
    });
    const evidence = client(backend);
    const a = 'component:default/a';
    const before = evidence.changeSummary([a]);
    await waitFor(() => backend.calls.length === 1);
    await evidence.writeChanges([]);
    held.open();
    expect(await before).toMatchObject({
      data: new Map([[a, expect.objectContaining({ recent30d: 0 })]]),
    });
    expect(await evidence.changeSummary([a])).toMatchObject({
      data: new Map([[a, expect.objectContaining({ recent30d: 1 })]]),
    });
    expect(summaryCalls(backend)).toHaveLength(2);
  });

  it('splits many refs into calls whose URL stays short, at most maxRefsPerCall refs each', async () => {
    const backend = fakeBackend();
    const evidence = client(backend, { maxRefsPerCall: 100 });
    // ~63-character names: 100 of them would make a URL over 7,000 characters
    const long = Array.from(
      { length: 250 },
      (_, i) =>
        `component:default/${'x'.repeat(58)}-${String(i).padStart(4, '0')}`,
    );
    const read = await evidence.changeSummary(long);
    expect(read.available && read.data.size).toBe(250);
    const calls = summaryCalls(backend);
    expect(calls.length).toBeGreaterThan(3);
    for (const call of calls) {
      const asked = summaryQuery(call).entityRefs;
      expect(asked.length).toBeLessThanOrEqual(100);
      expect(call.path.length).toBeLessThan(6_100);
    }
    expect(calls.flatMap(c => summaryQuery(c).entityRefs).sort()).toEqual(
      [...long].sort(),
    );
    // Short refs still go 100 to a call.
    await evidence.changeSummary(refs(200));
    expect(summaryCalls(backend)).toHaveLength(calls.length + 2);
  });

  it('leaves out refs that are not full refs without a call, and refs the backend withholds', async () => {
    const backend = fakeBackend({
      restrictRef: ref => ref.endsWith('/secret'),
    });
    const evidence = client(backend);
    const sloppy = await evidence.changeSummary([
      'group:default/jane@example.com',
    ]);
    expect(sloppy.available && sloppy.data.size).toBe(0);
    expect(backend.calls).toHaveLength(0);
    const read = await evidence.changeSummary([
      'component:default/a',
      'component:default/secret',
    ]);
    expect(read.available && [...read.data.keys()]).toEqual([
      'component:default/a',
    ]);
  });

  it('answers a ref given with spaces or in capitals under the key the backend answers, asking once', async () => {
    const backend = fakeBackend();
    const evidence = client(backend);
    const a = 'component:default/a';
    const read = await evidence.changeSummary([
      ` Component:default/A `,
      a,
      `${a}\n`,
    ]);
    expect(read.available && [...read.data.keys()]).toEqual([a]);
    expect(summaryCalls(backend).map(c => summaryQuery(c).entityRefs)).toEqual([
      [a],
    ]);
  });

  it('loads each caller alone when the backend refuses a shared call', async () => {
    const backend = fakeBackend({ refuseRef: ref => ref.endsWith('/bad') });
    const evidence = client(backend);
    const [good, bad] = await Promise.all([
      evidence.changeSummary(['component:default/a']),
      evidence.changeSummary(['component:default/bad']),
    ]);
    expect(good).toMatchObject({ available: true });
    expect(bad).toMatchObject({ available: false, cause: 'client-error' });
    expect(summaryCalls(backend)).toHaveLength(3);
  });

  it('resolves a slow summary at the timeout and a failing backend through the breaker, never rejecting', async () => {
    const slow = client(fakeBackend({ delayMs: 1_000 }), { timeoutMs: 50 });
    expect(await slow.changeSummary(['component:default/a'])).toMatchObject({
      available: false,
      cause: 'timeout',
    });
    const backend = fakeBackend({ status: 503 });
    const failing = client(backend, { breakerFailures: 2 });
    for (const ref of ['a', 'b']) {
      expect(
        await failing.changeSummary([`component:default/${ref}`]),
      ).toMatchObject({ available: false, cause: 'server-error' });
    }
    expect(await failing.changeSummary(['component:default/c'])).toMatchObject({
      available: false,
      cause: 'circuit-open',
    });
    expect(backend.calls).toHaveLength(2);
  });
});

describe('DefaultEvidenceService collectedRepoPaths (§4.2)', () => {
  it('answers the collector default globs unless given others, without a call', () => {
    const backend = fakeBackend();
    expect(client(backend).collectedRepoPaths()).toEqual(
      expect.arrayContaining([
        'CODEOWNERS',
        'slo/**/*.yaml',
        '.goldenpath.yaml',
      ]),
    );
    const given = client(backend, { repoPaths: ['a.md', 'b/*.yml'] });
    const paths = given.collectedRepoPaths();
    expect(paths).toEqual(['a.md', 'b/*.yml']);
    // a copy: a caller cannot change what the next caller is told
    paths.push('c');
    expect(given.collectedRepoPaths()).toEqual(['a.md', 'b/*.yml']);
    expect(backend.calls).toHaveLength(0);
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

  it('logs one line when the circuit opens, re-opens and closes, not one per failed call; URL credentials masked', async () => {
    let now = 0;
    let failing = true;
    const logged: string[] = [];
    const logger = {
      warn: (m: string) => logged.push(`warn ${m}`),
      info: (m: string) => logged.push(`info ${m}`),
    };
    const healthyBackend = fakeBackend();
    const evidence = new DefaultEvidenceService(
      {
        baseUrl: async () => 'http://evidence',
        token: async () => 'token',
        fetch: (async (url: string, init: RequestInit) => {
          // a proxy's error that quotes its upstream with credentials
          if (failing)
            throw new Error(
              'connect ECONNREFUSED via http://svc:s3cr3t@proxy.internal/evidence',
            );
          return healthyBackend.fetchFn(url, init);
        }) as typeof fetch,
      },
      {
        breakerFailures: 3,
        breakerOpenForMs: 30_000,
        cacheTtlMs: 0,
        logger,
      },
      () => now,
    );
    for (const ref of ['a', 'b']) {
      await evidence.readEntities([`component:default/${ref}`]);
      now += 1_000;
    }
    expect(logged).toEqual([]);
    await evidence.readEntities(['component:default/c']);
    await evidence.readEntities(['component:default/d']); // refused while open: no line
    expect(logged).toEqual([
      expect.stringMatching(
        /^warn evidence client: the evidence backend failed 3 calls in a row \(last: network: .*http:\/\/\*\*\*@proxy\.internal\/evidence.*\); evidence reads answer unavailable, so results that need evidence are unknown, for 30 s, then one call probes it$/,
      ),
    ]);
    now += 30_000;
    await evidence.readEntities(['component:default/e']); // the probe fails
    expect(logged[1]).toMatch(
      /^warn evidence client: the evidence backend still fails \(for 32 s; last: network: .*\); .* for another 30 s$/,
    );
    failing = false;
    now += 30_000;
    await evidence.readEntities(['component:default/f']);
    await evidence.readEntities(['component:default/g']);
    expect(logged.slice(2)).toEqual([
      'info evidence client: the evidence backend answers again after 62 s of failures',
    ]);
    expect(logged.join('\n')).not.toContain('s3cr3t');
  });

  const openCircuit = async (fetchFn: typeof fetch) => {
    const logged: string[] = [];
    const logger = {
      warn: (m: string) => logged.push(m),
      info: (m: string) => logged.push(m),
    };
    const evidence = new DefaultEvidenceService(
      {
        baseUrl: async () => 'http://evidence',
        token: async () => 'token',
        fetch: fetchFn,
      },
      { breakerFailures: 1, breakerOpenForMs: 30_000, cacheTtlMs: 0, logger },
      () => 0,
    );
    await evidence.readEntities(['component:default/a']);
    return logged;
  };

  it('masks secret query parameters a 5xx body quotes, not only userinfo', async () => {
    const logged = await openCircuit(
      (async () =>
        new Response(
          'upstream GET https://evidence.internal/read?access_token=s3cr3t failed',
          { status: 502 },
        )) as unknown as typeof fetch,
    );
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain(
      'server-error 502: evidence backend answered 502 to POST /read: upstream GET https://evidence.internal/read?access_token=***',
    );
    expect(logged[0]).not.toContain('s3cr3t');
  });

  it("logs a network error's cause, not only fetch's `TypeError: fetch failed`", async () => {
    const logged = await openCircuit((async () => {
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:7007'), {
          code: 'ECONNREFUSED',
        }),
      });
    }) as unknown as typeof fetch);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain(
      '(last: network: TypeError: fetch failed (cause: connect ECONNREFUSED 10.0.0.5:7007))',
    );
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

describe('DefaultEvidenceService cache against writes in flight (EV38)', () => {
  it('does not keep a read that was in flight when a write invalidated its ref', async () => {
    const held = gate();
    let reads = 0;
    const backend = fakeBackend({
      hold: path =>
        path === '/read' && ++reads === 1 ? held.promise : undefined,
    });
    const evidence = client(backend);
    const a = 'component:default/a';

    const before = evidence.readEntities([a]);
    await waitFor(() => backend.calls.length === 1);
    await evidence.writeFacts([factInput(a, 'k1')]);
    held.open();
    // Its own caller gets the answer it asked for before the write...
    expect(factValue(await before, a)).toEqual({ writes: 0 });

    // ...but the next read asks again instead of serving it for the TTL.
    const after = await evidence.readEntities([a]);
    expect(backend.calls.filter(c => c.path === '/read')).toHaveLength(2);
    expect(factValue(after, a)).toEqual({ writes: 1 });
  });

  it('does not keep, nor share, a ledger query that was in flight when a change was written', async () => {
    const held = gate();
    let queries = 0;
    const backend = fakeBackend({
      hold: path =>
        path === '/changes/query' && ++queries === 1 ? held.promise : undefined,
    });
    const evidence = client(backend);
    const query = {
      entityRefs: ['component:default/a'],
      from: '2026-03-13T02:05:00Z',
      to: '2026-03-14T02:05:00Z',
    };

    const before = evidence.queryChanges(query);
    await waitFor(() => backend.calls.length === 1);
    await evidence.writeChanges([]);
    // Issued while the pre-write query is still in flight: must not join it.
    const during = evidence.queryChanges(query);
    await waitFor(() => backend.calls.length === 3);
    held.open();
    expect(await before).toMatchObject({ data: [{ id: 'after-0-writes' }] });
    expect(await during).toMatchObject({ data: [{ id: 'after-1-writes' }] });

    // The cache holds the post-write answer, whichever call finished last.
    expect(await evidence.queryChanges(query)).toMatchObject({
      data: [{ id: 'after-1-writes' }],
    });
    expect(backend.calls.map(c => c.path)).toEqual([
      '/changes/query',
      '/changes/batch',
      '/changes/query',
    ]);
  });

  it('invalidates the written refs even when the write fails, since it may have been applied', async () => {
    let failing = false;
    const healthy = fakeBackend();
    const broken = fakeBackend({ status: 503 });
    const evidence = new DefaultEvidenceService({
      baseUrl: async () => 'http://evidence',
      token: async () => 'token',
      fetch: ((url: string, init: RequestInit) =>
        (failing ? broken : healthy).fetchFn(url, init)) as typeof fetch,
    });
    const a = 'component:default/a';
    await evidence.readEntities([a]);
    failing = true;
    await expect(evidence.writeFacts([factInput(a, 'k1')])).rejects.toThrow(
      /answered 503/,
    );
    failing = false;
    await evidence.readEntities([a]);
    expect(healthy.calls.filter(c => c.path === '/read')).toHaveLength(2);
  });

  it('makes one call for identical cached reads in flight at once', async () => {
    const backend = fakeBackend();
    const evidence = client(backend);
    const query = {
      entityRefs: ['component:default/a'],
      from: '2026-03-13T02:05:00Z',
      to: '2026-03-14T02:05:00Z',
    };
    const results = await Promise.all([
      ...Array.from({ length: 10 }, () => evidence.sourceHealth()),
      ...Array.from({ length: 10 }, () =>
        evidence.observedEdges({ entityRef: 'component:default/a' }),
      ),
      ...Array.from({ length: 10 }, () => evidence.queryChanges(query)),
    ]);
    expect(results.every(r => r.available)).toBe(true);
    expect(backend.calls.map(c => c.path).sort()).toEqual([
      '/changes/query',
      '/edges?entityRef=component%3Adefault%2Fa',
      '/sources',
    ]);
  });

  it('answers asOf of the oldest data it serves, not the time of the cache hit', async () => {
    let now = Date.parse('2026-03-14T02:00:00Z');
    const backend = fakeBackend();
    const evidence = client(backend, {}, () => now);
    const [a, b] = ['component:default/a', 'component:default/b'];
    await evidence.readEntities([a]);

    now += 30_000;
    // a from the cache (read at 02:00:00), b fetched now
    expect(await evidence.readEntities([a, b])).toMatchObject({
      available: true,
      asOf: '2026-03-14T02:00:00.000Z',
    });
    now += 10_000;
    expect(await evidence.readEntities([b])).toMatchObject({
      asOf: '2026-03-14T02:00:30.000Z',
    });
    expect(await evidence.readEntities([b, a])).toMatchObject({
      asOf: '2026-03-14T02:00:00.000Z',
    });
    // as the other cached reads already did
    await evidence.sourceHealth();
    now += 10_000;
    expect(await evidence.sourceHealth()).toMatchObject({
      asOf: '2026-03-14T02:00:40.000Z',
    });
    expect(backend.calls).toHaveLength(3);
  });

  it('keeps at most cacheMaxEntries answers, dropping the oldest first', async () => {
    const backend = fakeBackend();
    const evidence = client(backend, { cacheMaxEntries: 2 });
    const [a, b, c] = refs(3);
    for (const ref of [a, b, c]) await evidence.readEntities([ref]);
    await evidence.readEntities([c]);
    await evidence.readEntities([b]);
    expect(backend.calls).toHaveLength(3);
    await evidence.readEntities([a]);
    expect(backend.calls).toHaveLength(4);
  });
});

describe('DefaultEvidenceService refs the backend refuses', () => {
  it('answers a ref that is not a full ref as no evidence without sending it, so co-batched callers are unaffected', async () => {
    // The backend validates `entityRefs` as a whole, with evidence-common's ref check.
    const backend = fakeBackend({ refuseRef: ref => !isFullEntityRef(ref) });
    const evidence = client(backend);
    const [good, sloppy, mixed] = await Promise.all([
      evidence.readEntities(['component:default/a']),
      evidence.readEntities(['group:default/jane@example.com']),
      evidence.readEntities(['component:default/b', 'jane']),
    ]);
    expect(good).toMatchObject({ available: true });
    expect(factValue(good, 'component:default/a')).toEqual({ writes: 0 });
    expect(sloppy).toMatchObject({ available: true });
    expect(sloppy.available && [...sloppy.data.keys()]).toEqual([]);
    expect(mixed.available && [...mixed.data.keys()]).toEqual([
      'component:default/b',
    ]);
    expect(backend.calls).toHaveLength(1);
    expect(backend.calls[0].body.entityRefs.sort()).toEqual([
      'component:default/a',
      'component:default/b',
    ]);
  });

  it('loads each caller alone when the backend refuses a shared call, so only the offending caller fails', async () => {
    const backend = fakeBackend({ refuseRef: ref => ref.endsWith('/bad') });
    const evidence = client(backend, { cacheTtlMs: 0 });
    const [good, bad, other] = await Promise.all([
      evidence.readEntities(['component:default/a']),
      evidence.readEntities(['component:default/bad', 'component:default/c']),
      evidence.readEntities(['component:default/b']),
    ]);
    expect(good).toMatchObject({ available: true });
    expect(other).toMatchObject({ available: true });
    expect(factValue(other, 'component:default/b')).toEqual({ writes: 0 });
    expect(bad).toMatchObject({ available: false, cause: 'client-error' });
    // the shared call, then one call per caller
    expect(backend.calls).toHaveLength(4);
  });

  it('does not retry a caller that had its call to itself', async () => {
    const backend = fakeBackend({ refuseRef: ref => ref.endsWith('/bad') });
    const evidence = client(backend);
    expect(
      await evidence.readEntities(['component:default/bad']),
    ).toMatchObject({ available: false, cause: 'client-error' });
    expect(backend.calls).toHaveLength(1);
  });
});

describe('DefaultEvidenceService body timeout (EV39)', () => {
  it('classifies a body that stalls past the timeout as a timeout, for reads and writes', async () => {
    const backend = fakeBackend({ stallBody: true });
    const evidence = client(backend, { timeoutMs: 50 });
    expect(await evidence.sourceHealth()).toMatchObject({
      available: false,
      cause: 'timeout',
    });
    const write = evidence.writeChanges([]);
    await expect(write).rejects.toBeInstanceOf(EvidenceHttpError);
    await expect(write).rejects.toMatchObject({ cause: 'timeout' });
  });

  it('classifies a body that is not JSON as a server error', async () => {
    const evidence = new DefaultEvidenceService({
      baseUrl: async () => 'http://evidence',
      token: async () => 'token',
      fetch: (async () => new Response('<html>proxy</html>')) as typeof fetch,
    });
    expect(await evidence.sourceHealth()).toMatchObject({
      available: false,
      cause: 'server-error',
    });
    await expect(evidence.writeChanges([])).rejects.toMatchObject({
      name: 'EvidenceHttpError',
      cause: 'server-error',
    });
  });
});

describe("DefaultEvidenceService answers that are not the route's", () => {
  const answering = (body: unknown) =>
    new DefaultEvidenceService(
      {
        baseUrl: async () => 'http://evidence',
        token: async () => 'token',
        fetch: (async () => Response.json(body)) as typeof fetch,
      },
      // one breaker failure per read would open it before the last read is made
      { breakerFailures: 100 },
    );

  it("answers a 2xx whose JSON lacks the route's fields as a server error, never as data that is not there", async () => {
    const unavailable = { available: false, cause: 'server-error' };
    const empty = answering({});
    expect(await empty.sourceHealth()).toMatchObject(unavailable);
    expect(
      await empty.queryChanges({
        entityRefs: ['component:default/a'],
        from: '2026-03-13T00:00:00Z',
        to: '2026-03-14T00:00:00Z',
      }),
    ).toMatchObject(unavailable);
    expect(
      await empty.observedEdges({ entityRef: 'component:default/a' }),
    ).toMatchObject(unavailable);
    expect(await empty.edgeChanges('1')).toMatchObject(unavailable);
    expect(await empty.changedEntities()).toMatchObject(unavailable);
    expect(await empty.changeSummary(['component:default/a'])).toMatchObject(
      unavailable,
    );
    expect(await empty.readEntities(['component:default/a'])).toMatchObject(
      unavailable,
    );
    expect(await answering({ items: 'x' }).sourceHealth()).toMatchObject(
      unavailable,
    );
    expect(await answering(null).sourceHealth()).toMatchObject(unavailable);
  });

  it("passes the edge feed's hasMore through, and refuses a page without it", async () => {
    const page = { edges: [], removed: ['e1'], cursor: '7' };
    expect(
      await answering({ ...page, hasMore: true }).edgeChanges('1'),
    ).toMatchObject({
      available: true,
      data: { ...page, hasMore: true, reset: false },
    });
    // a page of removals only says nothing about what follows without it
    expect(await answering(page).edgeChanges('1')).toMatchObject({
      available: false,
      cause: 'server-error',
    });
  });

  it('answers a summary answer holding anything but summaries and restricted refs as a server error', async () => {
    const unavailable = { available: false, cause: 'server-error' };
    const a = 'component:default/a';
    const summary = {
      coverage: {},
      lastChange: null,
      lastSucceededDeploy: null,
      recent30d: 0,
    };
    for (const summaries of [
      [],
      { [a]: 'not a summary' },
      { [a]: { ...summary, coverage: [] } },
      { [a]: summary, 'component:default/b': null },
    ]) {
      expect(await answering({ summaries }).changeSummary([a])).toMatchObject(
        unavailable,
      );
    }
    expect(
      await answering({
        summaries: {
          [a]: summary,
          'component:default/b': { restricted: true },
        },
      }).changeSummary([a, 'component:default/b']),
    ).toMatchObject({ available: true, data: new Map([[a, summary]]) });
  });
});

describe('DefaultEvidenceService token and discovery (EV39)', () => {
  it('resolves as a timeout when the token or the base URL never comes', async () => {
    const backend = fakeBackend();
    const never = () => new Promise<string>(() => {});
    const noToken = new DefaultEvidenceService(
      {
        baseUrl: async () => 'http://evidence',
        token: never,
        fetch: backend.fetchFn,
      },
      { timeoutMs: 50 },
    );
    expect(await noToken.readEntities(['component:default/a'])).toMatchObject({
      available: false,
      cause: 'timeout',
    });
    await expect(noToken.writeChanges([])).rejects.toMatchObject({
      cause: 'timeout',
    });
    const noBaseUrl = new DefaultEvidenceService(
      { baseUrl: never, token: async () => 'token', fetch: backend.fetchFn },
      { timeoutMs: 50 },
    );
    expect(await noBaseUrl.sourceHealth()).toMatchObject({
      available: false,
      cause: 'timeout',
    });
    expect(backend.calls).toHaveLength(0);
  });

  it('answers a failing token as unavailable without the error reaching the caller', async () => {
    const backend = fakeBackend();
    const evidence = new DefaultEvidenceService({
      baseUrl: async () => 'http://evidence',
      token: async () => {
        throw new Error('no signing key');
      },
      fetch: backend.fetchFn,
    });
    expect(await evidence.sourceHealth()).toMatchObject({
      available: false,
      cause: 'network',
    });
    expect(backend.calls).toHaveLength(0);
  });
});

describe('DefaultEvidenceService options', () => {
  it.each<[string, number, RegExp]>([
    ['maxRefsPerCall', 0, /maxRefsPerCall must be an integer from 1 to 5000/],
    ['maxRefsPerCall', -1, /from 1 to 5000/],
    ['maxRefsPerCall', 5_001, /from 1 to 5000 \(got 5001\)/],
    ['maxRefsPerCall', 1.5, /from 1 to 5000/],
    ['maxInFlight', 0, /maxInFlight must be an integer of at least 1/],
    ['timeoutMs', 0, /timeoutMs must be an integer from 1 to 2147483647/],
    ['timeoutMs', -5, /timeoutMs must be/],
    ['timeoutMs', 2 ** 31, /timeoutMs must be/],
    ['batchWindowMs', -1, /batchWindowMs must be/],
    ['breakerFailures', 0, /breakerFailures must be an integer of at least 1/],
    ['cacheTtlMs', Number.NaN, /cacheTtlMs must be a number of at least 0/],
    ['cacheMaxEntries', 0, /cacheMaxEntries must be an integer of at least 1/],
  ])('refuses %s %d at construction', (key, value, message) => {
    expect(() => client(fakeBackend(), { [key]: value })).toThrow(message);
  });

  it('keeps the default of an option given as undefined', async () => {
    const backend = fakeBackend();
    const evidence = client(backend, { cacheTtlMs: undefined });
    await evidence.readEntities(['component:default/a']);
    await evidence.readEntities(['component:default/a']);
    expect(backend.calls).toHaveLength(1);
  });

  it('refuses an out-of-range evidence.client key at config load, naming it', () => {
    const read = (values: Record<string, number>) =>
      readEvidenceClientOptions(
        new ConfigReader({ evidence: { client: values } }),
      );
    expect(() => read({ maxRefsPerCall: 10_000 })).toThrow(
      'evidence.client.maxRefsPerCall must be an integer from 1 to 5000 (got 10000)',
    );
    expect(() => read({ maxInFlight: 0 })).toThrow(
      /^evidence\.client\.maxInFlight must be an integer of at least 1 \(got 0\)/,
    );
    expect(() => read({ timeoutMs: 0 })).toThrow(/evidence\.client\.timeoutMs/);
    expect(
      read({ maxRefsPerCall: 5_000, maxInFlight: 1, cacheTtlMs: 0 }),
    ).toEqual({ maxRefsPerCall: 5_000, maxInFlight: 1, cacheTtlMs: 0 });
  });
});
