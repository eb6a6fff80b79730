import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { Waiver } from '@internal/plugin-scorecards-common';
import { ScorecardsStore } from '../database/ScorecardsStore';
import { seedDemoCampaigns } from './demoCampaigns';
import { DemoWaiverStore, seedDemoWaivers } from './demoWaivers';

function memoryStore(): DemoWaiverStore & { rows: Waiver[] } {
  const rows: Waiver[] = [];
  return {
    rows,
    async listWaivers(q) {
      return rows.filter(
        w =>
          (!q.entityRef || w.entityRef === q.entityRef) &&
          (!q.checkId || w.checkId === q.checkId) &&
          (!q.statuses || q.statuses.includes(w.status)),
      );
    },
    async insertWaiver(w) {
      rows.push(w);
    },
  };
}

const T = new Date('2026-11-23T10:00:00Z');

describe('seedDemoWaivers', () => {
  it('adds the payment-service exception on slo-burn-alert, active for 20 days', async () => {
    const store = memoryStore();
    expect(await seedDemoWaivers(store, T)).toBe(1);
    expect(store.rows).toEqual([
      expect.objectContaining({
        entityRef: 'component:default/payment-service',
        checkId: 'slo-burn-alert',
        kind: 'exception',
        owner: 'group:default/payments-team',
        approvedBy: 'user:default/fatima.haddad',
        status: 'active',
        expiresAt: '2026-12-13T10:00:00.000Z',
      }),
    ]);
  });

  it('does not duplicate on restart while the waiver is active', async () => {
    const store = memoryStore();
    await seedDemoWaivers(store, T);
    expect(await seedDemoWaivers(store, new Date('2026-11-30T10:00:00Z'))).toBe(
      0,
    );
    expect(store.rows).toHaveLength(1);
  });

  it('adds a fresh waiver under a dated id once the earlier one expired', async () => {
    const store = memoryStore();
    await seedDemoWaivers(store, T);
    store.rows[0].status = 'expired';
    const later = new Date('2026-12-20T10:00:00Z');
    expect(await seedDemoWaivers(store, later)).toBe(1);
    expect(store.rows.map(w => [w.id, w.status])).toEqual([
      ['demo-payment-service-slo-burn-alert', 'expired'],
      ['demo-payment-service-slo-burn-alert-2026-12-20', 'active'],
    ]);
    expect(await seedDemoWaivers(store, later)).toBe(0);
  });
});

describe('seeding the demo from two replicas starting at once', () => {
  const databases = TestDatabases.create({
    ids: ['POSTGRES_15', 'SQLITE_3'],
    disableDocker: true,
  });

  it.each(databases.eachSupportedId())(
    'inserts each demo waiver and campaign once and fails neither start, on %s',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const store = await ScorecardsStore.create(
        mockServices.database({ knex }),
      );
      // both read "not seeded yet" before either inserts
      const [a, b] = await Promise.all([
        seedDemoWaivers(store, T),
        seedDemoWaivers(store, T),
      ]);
      const [c, d] = await Promise.all([
        seedDemoCampaigns(store, T),
        seedDemoCampaigns(store, T),
      ]);
      const waivers = await store.listWaivers();
      expect(a + b).toBe(waivers.length);
      expect(new Set(waivers.map(w => w.id)).size).toBe(waivers.length);
      expect(waivers.length).toBeGreaterThan(0);
      expect(c + d).toBe((await store.listCampaigns()).length);
    },
    60_000,
  );
});
