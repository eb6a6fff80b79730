import { ConfigReader } from '@backstage/config';
import { OnCallRouter } from './OnCallRouter';
import { StaticOnCallProvider } from './StaticOnCallProvider';

const config = new ConfigReader({
  incidentBrief: {
    onCall: {
      static: {
        schedules: {
          'checkout-primary': {
            members: ['user:default/ben.okafor', 'user:default/ana.ruiz'],
            rotation: 'weekly',
            handoff: '2026-03-09T09:00:00Z',
          },
          'payments-primary': { members: ['user:default/chen.wei'] },
        },
      },
    },
  },
});

describe('StaticOnCallProvider', () => {
  const provider = StaticOnCallProvider.fromConfig(config);

  it.each([
    // IB §6.3 example: Ben on call at T, until Monday 09:00Z
    [
      '2026-03-14T02:05:00Z',
      'ben.okafor',
      'ana.ruiz',
      '2026-03-16T09:00:00.000Z',
    ],
    [
      '2026-03-16T09:00:00Z',
      'ana.ruiz',
      'ben.okafor',
      '2026-03-23T09:00:00.000Z',
    ],
    [
      '2026-03-23T08:59:59Z',
      'ana.ruiz',
      'ben.okafor',
      '2026-03-23T09:00:00.000Z',
    ],
    [
      '2026-03-02T10:00:00Z',
      'ana.ruiz',
      'ben.okafor',
      '2026-03-09T09:00:00.000Z',
    ],
  ])('checkout-primary at %s → %s', async (when, primary, secondary, until) => {
    expect(
      await provider.currentOnCall('static:checkout-primary', new Date(when)),
    ).toEqual({
      status: 'ok',
      primary: `user:default/${primary}`,
      secondary: `user:default/${secondary}`,
      until,
    });
  });

  it('a single-member rotation has no secondary; an unknown schedule is none', async () => {
    const now = new Date('2026-03-14T02:05:00Z');
    expect(
      await provider.currentOnCall('static:payments-primary', now),
    ).toMatchObject({ status: 'ok', primary: 'user:default/chen.wei' });
    expect(
      await provider.currentOnCall('static:payments-primary', now),
    ).not.toHaveProperty('secondary');
    expect(await provider.currentOnCall('static:nope', now)).toEqual({
      status: 'none',
    });
  });

  it('rejects a bad rotation in config', () => {
    expect(() =>
      StaticOnCallProvider.fromConfig(
        new ConfigReader({
          incidentBrief: {
            onCall: {
              static: { schedules: { x: { members: [], rotation: 'hourly' } } },
            },
          },
        }),
      ),
    ).toThrow(/rotation must be daily or weekly \(got hourly\)/);
  });
});

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
