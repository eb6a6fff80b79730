import { mockServices } from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/types';
import { statusFromDecisions } from './approvals';
import { readApprovalsConfig } from './initGoldenPaths';

describe('an approval nobody is routed to stays closed', () => {
  const read = (approvals?: JsonObject) =>
    readApprovalsConfig(
      mockServices.rootConfig({
        data: approvals ? { goldenPaths: { approvals } } : {},
      }),
    );

  it('refuses an empty route list at start-up, naming it', () => {
    expect(() => read({ routes: { 'tier-1': [] } })).toThrow(
      'goldenPaths.approvals.routes.tier-1 must name at least one group: an approval of this trigger would otherwise be decided by nobody',
    );
    expect(
      read({ routes: { 'tier-1': ['group:default/sre'] } }).routes['tier-1'],
    ).toEqual(['group:default/sre']);
  });

  it.each(['tier1', 'production_data', 'Tier-1'])(
    'refuses a route of %s at start-up, naming the triggers: the real trigger would keep its default route',
    key => {
      expect(() => read({ routes: { [key]: ['group:default/sre'] } })).toThrow(
        `goldenPaths.approvals.routes.${key} is not an approval trigger; use one of production-data, iam, network, cost, tier-1, destructive, exception`,
      );
    },
  );

  it.each([0, -1, 1e9, 2.5e4])(
    'refuses expiresAfterDays %p at start-up: at 0 every approval expires as it opens, past 3650 it is no date',
    days => {
      expect(() => read({ expiresAfterDays: days })).toThrow(
        `goldenPaths.approvals.expiresAfterDays must be a number above 0 of at most 3650 (got ${days})`,
      );
    },
  );

  it('reads expiresAfterDays, 7 by default', () => {
    expect(read().expiresAfterDays).toBe(7);
    expect(read({ expiresAfterDays: 1.5 }).expiresAfterDays).toBe(1.5);
  });

  it('keeps an approval without routes pending, whatever the decisions', () => {
    expect(statusFromDecisions({ routes: [] }, [])).toBe('pending');
    const route = { group: 'group:default/sre', triggers: ['tier-1' as const] };
    expect(statusFromDecisions({ routes: [route] }, [])).toBe('pending');
  });
});
