import { ConfigReader } from '@backstage/config';
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
    expect(await provider.scheduleExists('static:nope')).toBe(false);
    expect(await provider.scheduleExists('static:toString')).toBe(false);
    expect(await provider.scheduleExists('static:payments-primary')).toBe(true);
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

  // Schedule names are map keys, not config paths: a dot in one is part of the name.
  it('reads schedules whose names hold dots or slashes', async () => {
    const dotted = StaticOnCallProvider.fromConfig(
      new ConfigReader({
        incidentBrief: {
          onCall: {
            static: {
              schedules: {
                'checkout.primary': {
                  members: ['user:default/ben.okafor', 'user:default/ana.ruiz'],
                  handoff: '2026-03-09T09:00:00Z',
                },
                'payments/eu': { members: ['user:default/chen.wei'] },
              },
            },
          },
        },
      }),
    );
    const now = new Date('2026-03-14T02:05:00Z');
    expect(
      await dotted.currentOnCall('static:checkout.primary', now),
    ).toMatchObject({
      status: 'ok',
      primary: 'user:default/ben.okafor',
      secondary: 'user:default/ana.ruiz',
    });
    expect(await dotted.scheduleExists('static:payments/eu')).toBe(true);
    expect(await dotted.scheduleExists('static:checkout')).toBe(false);
  });

  const withSchedules = (schedules: unknown) =>
    new ConfigReader({
      incidentBrief: { onCall: { static: { schedules } } },
    } as any);

  it.each([
    [
      ['checkout-primary'],
      'incidentBrief.onCall.static.schedules must be a map of schedule name to { members, rotation, handoff } (got array)',
    ],
    [
      { 'checkout.primary': 'user:default/ben.okafor' },
      'incidentBrief.onCall.static.schedules["checkout.primary"] must be an object with members, rotation and handoff (got string)',
    ],
    [
      { 'checkout.primary': { rotation: 'weekly' } },
      'incidentBrief.onCall.static.schedules["checkout.primary"].members must be a list of user refs (got undefined)',
    ],
    [
      { 'checkout.primary': { members: ['user:default/a', ''] } },
      'incidentBrief.onCall.static.schedules["checkout.primary"].members must be a list of user refs (got ["user:default/a",""])',
    ],
    [
      { 'checkout.primary': { members: [], rotation: 'hourly' } },
      'incidentBrief.onCall.static.schedules["checkout.primary"].rotation must be daily or weekly (got hourly)',
    ],
  ])('refuses schedules %j naming the key', (schedules, message) => {
    expect(() =>
      StaticOnCallProvider.fromConfig(withSchedules(schedules)),
    ).toThrow(message);
  });

  const withHandoff = (handoff: string) =>
    new ConfigReader({
      incidentBrief: {
        onCall: {
          static: {
            schedules: { x: { members: ['user:default/a'], handoff } },
          },
        },
      },
    });

  it.each([
    // zone-less: Date.parse would read it in the server's own zone
    ['2026-03-16T09:00:00'],
    ['2026-03-16'],
    // a day that does not exist: Date.parse would roll it over to 1 March
    ['2026-02-30T09:00:00Z'],
    ['next monday'],
  ])('refuses handoff %s, which is not an instant', handoff => {
    expect(() => StaticOnCallProvider.fromConfig(withHandoff(handoff))).toThrow(
      `incidentBrief.onCall.static.schedules.x.handoff must be an ISO-8601 instant with a zone, e.g. 2026-03-16T09:00:00Z or 2026-03-16T10:00:00+01:00 (got ${handoff})`,
    );
  });

  it('accepts a handoff with an offset as the instant it names', async () => {
    const offset = StaticOnCallProvider.fromConfig(
      withHandoff('2026-03-16T10:00:00+01:00'),
    );
    expect(
      await offset.currentOnCall('static:x', new Date('2026-03-17T00:00:00Z')),
    ).toMatchObject({ until: '2026-03-23T09:00:00.000Z' });
  });
});
