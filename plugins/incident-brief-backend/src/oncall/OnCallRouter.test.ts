import { OnCallRouter } from './OnCallRouter';

describe('OnCallRouter (R20)', () => {
  const at = new Date('2026-03-14T02:05:00Z');

  it('answers unavailable for a provider that is not configured', async () => {
    const router = new OnCallRouter({}, { timeoutMs: 50, cacheTtlMs: 1000 });
    expect(await router.answer('pagerduty:service/PPAY001', at)).toEqual({
      status: 'unavailable',
      reason: 'provider pagerduty not configured',
    });
  });

  it('answers unavailable when the provider is slow or fails', async () => {
    const router = new OnCallRouter(
      {
        slow: { currentOnCall: () => new Promise(() => {}) },
        broken: {
          currentOnCall: () => Promise.reject(new Error('HTTP 503')),
        },
      },
      { timeoutMs: 20, cacheTtlMs: 1000 },
    );
    expect(await router.answer('slow:x', at)).toEqual({
      status: 'unavailable',
      reason: 'no answer within 20 ms',
    });
    expect(await router.answer('broken:x', at)).toEqual({
      status: 'unavailable',
      reason: 'HTTP 503',
    });
  });

  it('caches answers about now for cacheTtl', async () => {
    let calls = 0;
    let now = at.getTime();
    const router = new OnCallRouter(
      {
        s: {
          currentOnCall: async () => {
            calls++;
            return { status: 'none' };
          },
        },
      },
      { timeoutMs: 20, cacheTtlMs: 60_000, now: () => now },
    );
    await router.answer('s:a', at);
    await router.answer('s:a', at);
    expect(calls).toBe(1);
    now += 61_000;
    await router.answer('s:a', new Date(now));
    expect(calls).toBe(2);
  });

  it('asks the provider once for concurrent asks about now (two routes of one page load), not for a past time', async () => {
    let calls = 0;
    let release: () => void = () => {};
    const router = new OnCallRouter(
      {
        s: {
          currentOnCall: () => {
            calls++;
            return new Promise(resolve => {
              release = () => resolve({ status: 'none' });
            });
          },
        },
      },
      { timeoutMs: 1000, cacheTtlMs: 60_000, now: () => at.getTime() },
    );
    const both = Promise.all([
      router.answer('s:a', at),
      router.answer('s:a', new Date(at.getTime() + 5)),
    ]);
    await Promise.resolve();
    expect(calls).toBe(1);
    release();
    expect(await both).toEqual([{ status: 'none' }, { status: 'none' }]);
    // answered: the cache serves the next ask
    expect(await router.answer('s:a', at)).toEqual({ status: 'none' });
    expect(calls).toBe(1);

    // an incident time in the past is asked afresh each time, never shared with a live ask
    const past = new Date(at.getTime() - 3600_000);
    const pastAsk = router.answer('s:a', past);
    await Promise.resolve();
    expect(calls).toBe(2);
    release();
    await pastAsk;
  });

  it('a caller joining an ask after the shift it answers has ended asks afresh (a hand-off)', async () => {
    const handoff = new Date('2026-03-14T09:00:00.000Z');
    const answers = [
      {
        status: 'ok' as const,
        primary: 'user:default/old',
        until: handoff.toISOString(),
      },
      {
        status: 'ok' as const,
        primary: 'user:default/new',
        until: '2026-03-21T09:00:00.000Z',
      },
    ];
    let release: () => void = () => {};
    let calls = 0;
    const router = new OnCallRouter(
      {
        s: {
          currentOnCall: () => {
            const answer = answers[calls++];
            return new Promise(resolve => {
              release = () => resolve(answer);
            });
          },
        },
      },
      {
        timeoutMs: 1000,
        cacheTtlMs: 60_000,
        now: () => handoff.getTime() - 100,
      },
    );
    const before = router.answer('s:a', new Date(handoff.getTime() - 100));
    const after = [1, 2, 3].map(ms =>
      router.answer('s:a', new Date(handoff.getTime() + ms * 100)),
    );
    await Promise.resolve();
    release(); // the first ask answers with the shift that ends at the hand-off
    expect(await before).toMatchObject({ primary: 'user:default/old' });
    await new Promise(resolve => setImmediate(resolve));
    release();
    // the callers past the hand-off share one new ask
    for (const answer of await Promise.all(after)) {
      expect(answer).toMatchObject({ primary: 'user:default/new' });
    }
    expect(calls).toBe(2);
  });

  it('drops expired answers: a source asked once does not stay cached for as long as the process runs', async () => {
    let now = at.getTime();
    const router = new OnCallRouter(
      { s: { currentOnCall: async () => ({ status: 'none' }) } },
      { timeoutMs: 20, cacheTtlMs: 60_000, now: () => now },
    );
    // One new on-call source a day for 200 days (rotations replaced, groups removed).
    for (let day = 0; day < 200; day++) {
      await router.answer(`s:rotation-${day}`, new Date(now));
      now += 86_400_000;
    }
    // The answer map is private; its size is what this test is about.
    const cached = (router as unknown as { cache: Map<string, unknown> }).cache;
    expect(cached.size).toBe(1);
  });

  it('stamps fetchedAt when the provider answered; a cache hit keeps that stamp, a provider stamp is kept', async () => {
    let now = at.getTime();
    const router = new OnCallRouter(
      {
        s: {
          currentOnCall: async () => ({
            status: 'ok',
            primary: 'user:default/ana.ruiz',
            until: '2026-03-14T08:00:00Z',
          }),
        },
        own: {
          currentOnCall: async () => ({
            status: 'ok',
            primary: 'user:default/olga.berg',
            until: '2026-03-14T08:00:00Z',
            fetchedAt: '2026-03-14T01:59:00.000Z',
          }),
        },
      },
      { timeoutMs: 20, cacheTtlMs: 60_000, now: () => now },
    );
    const first = await router.answer('s:a', at);
    expect(first).toMatchObject({ fetchedAt: '2026-03-14T02:05:00.000Z' });
    now += 30_000;
    // served from the cache 30 s later: the answer is 30 s old, not new
    expect(await router.answer('s:a', new Date(now))).toMatchObject({
      fetchedAt: '2026-03-14T02:05:00.000Z',
    });
    expect(await router.answer('own:b', new Date(now))).toMatchObject({
      fetchedAt: '2026-03-14T01:59:00.000Z',
    });
  });

  it('asks again once the cached answer’s shift has ended, though the cache’s 60 s have not', async () => {
    const handoff = Date.parse('2026-03-16T09:00:00Z');
    let now = handoff - 30_000;
    let asked = 0;
    const router = new OnCallRouter(
      {
        s: {
          currentOnCall: async (_source: string, when: Date) => {
            asked++;
            return when.getTime() < handoff
              ? {
                  status: 'ok' as const,
                  primary: 'user:default/ana.ruiz',
                  until: '2026-03-16T09:00:00Z',
                }
              : {
                  status: 'ok' as const,
                  primary: 'user:default/ben.okafor',
                  until: '2026-03-23T09:00:00Z',
                };
          },
        },
      },
      { timeoutMs: 20, cacheTtlMs: 60_000, now: () => now },
    );
    expect(await router.answer('s:a', new Date(now))).toMatchObject({
      primary: 'user:default/ana.ruiz',
    });
    now = handoff + 20_000;
    expect(await router.answer('s:a', new Date(now))).toMatchObject({
      primary: 'user:default/ben.okafor',
    });
    expect(asked).toBe(2);
    // the new answer is cached as before
    now += 10_000;
    await router.answer('s:a', new Date(now));
    expect(asked).toBe(2);
  });
});
