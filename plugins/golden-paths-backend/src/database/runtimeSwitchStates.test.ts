import type { RuntimeKillSwitch } from '@internal/plugin-golden-paths-common';
import { switchLifted } from '@internal/plugin-golden-paths-common';
import { runtimeSwitchStates } from './GoldenPathsStore';

const NOW = '2026-12-06T12:00:00.000Z';
const off = (until?: string): RuntimeKillSwitch => ({
  scope: 'template',
  id: 'service-node-http',
  disabled: true,
  reason: 'incident INC-1 ongoing',
  setBy: 'user:default/fatima',
  setAt: '2026-12-06T11:00:00.000Z',
  ...(until ? { until } : {}),
});

describe('runtimeSwitchStates', () => {
  it.each([
    [undefined, true],
    ['2026-12-06T12:00:00.001Z', true],
    ['2026-12-06T12:00:00.000Z', false],
    ['2026-12-06T11:59:59.999Z', false],
    // stored before `until` was limited to four-digit years: year 10000, not long past
    ['+010000-01-01T04:59:59.000Z', true],
  ])('a switch until %s is in force: %s', (until, inForce) => {
    expect(switchLifted(until, Date.parse(NOW))).toBe(!inForce);
    expect(
      runtimeSwitchStates([off(until)], NOW).templates['service-node-http'],
    ).toEqual(
      inForce
        ? {
            disabled: true,
            reason: 'incident INC-1 ongoing',
            since: '2026-12-06T11:00:00.000Z',
          }
        : undefined,
    );
  });
});
