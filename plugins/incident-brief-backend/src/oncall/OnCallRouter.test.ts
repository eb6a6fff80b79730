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
});
