import { ConfigReader } from '@backstage/config';
import { durationToMs, readLinkCheckConfig } from './linkCheckConfig';

const read = (linkCheck: object) =>
  readLinkCheckConfig(new ConfigReader({ scorecards: { linkCheck } }));

describe('readLinkCheckConfig', () => {
  it('defaults: disabled, daily, 5 s', () => {
    const config = readLinkCheckConfig(new ConfigReader({}));
    expect(config.allowedHosts.size).toBe(0);
    expect(config.interval).toEqual({ hours: 24 });
    expect(config.timeoutMs).toBe(5000);
  });

  it('reads duration strings, ISO durations and objects', () => {
    expect(
      read({ allowedHosts: ['a.example.com'], interval: '12h', timeout: '2s' }),
    ).toMatchObject({ interval: { hours: 12 }, timeoutMs: 2000 });
    expect(read({ interval: 'PT6H', timeout: { seconds: 3 } })).toMatchObject({
      interval: { hours: 6 },
      timeoutMs: 3000,
    });
    expect(
      read({ allowedHosts: ['*.example.com'] }).allowedHosts.allows(
        'x.example.com',
      ),
    ).toBe(true);
  });

  it('refuses invalid values naming the key', () => {
    expect(() => read({ timeout: 'soon' })).toThrow(
      /scorecards\.linkCheck\.timeout/,
    );
    expect(() => read({ interval: { minutes: 0 } })).toThrow(
      'scorecards.linkCheck.interval must be a positive duration',
    );
    expect(() => read({ allowedHosts: ['*'] })).toThrow(
      'scorecards.linkCheck.allowedHosts[0]',
    );
  });

  it('converts durations to milliseconds', () => {
    expect(durationToMs({ minutes: 1, seconds: 2, milliseconds: 3 })).toBe(
      62003,
    );
    expect(durationToMs({ days: 1 })).toBe(86400000);
  });
});
