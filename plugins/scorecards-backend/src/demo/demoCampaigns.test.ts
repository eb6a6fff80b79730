import type { Campaign } from '@internal/plugin-scorecards-common';
import { DemoCampaignStore, seedDemoCampaigns } from './demoCampaigns';

function memoryStore(): DemoCampaignStore & { rows: Campaign[] } {
  const rows: Campaign[] = [];
  return {
    rows,
    async getCampaign(id) {
      return rows.find(c => c.id === id);
    },
    async insertCampaign(c) {
      rows.push(c);
    },
  };
}

describe('seedDemoCampaigns', () => {
  it('adds the tier-1 campaign to L2, started 14 days before the seeding day and due 120 days after', async () => {
    const store = memoryStore();
    expect(
      await seedDemoCampaigns(store, new Date('2026-12-02T10:30:00Z')),
    ).toBe(1);
    expect(store.rows).toEqual([
      expect.objectContaining({
        id: 'demo-tier1-production-ready',
        selector: { kinds: ['Component'], tiers: [1] },
        goal: { level: 'L2' },
        startsAt: '2026-11-18T00:00:00.000Z',
        dueAt: '2027-04-01T00:00:00.000Z',
        state: 'active',
      }),
    ]);
  });

  it('keeps a stored campaign on restart (same id, first dates)', async () => {
    const store = memoryStore();
    await seedDemoCampaigns(store, new Date('2026-12-02T10:30:00Z'));
    expect(
      await seedDemoCampaigns(store, new Date('2026-12-20T08:00:00Z')),
    ).toBe(0);
    expect(store.rows).toHaveLength(1);
    expect(store.rows[0].startsAt).toBe('2026-11-18T00:00:00.000Z');
  });
});
