import { isUniqueViolation } from '@internal/suite-node';
import type { Campaign } from '@internal/plugin-scorecards-common';

const DAY_MS = 86_400_000;

/**
 * The demo's campaign (scorecards.md §2.11): every tier-1 Component to L2 (Production-ready),
 * started two weeks before the portal seeded it and due four months after, so the campaign
 * pages show a mix of done and remaining entities with their owners.
 */
export function demoCampaigns(now: Date): Campaign[] {
  const day = Date.UTC(
    now.getUTCFullYear(),
    now.getUTCMonth(),
    now.getUTCDate(),
  );
  return [
    {
      id: 'demo-tier1-production-ready',
      title: 'Tier-1 services Production-ready',
      owner: 'group:default/platform-team',
      brief:
        'Demo: every tier-1 service reaches L2 (Production-ready) — SLOs, rollback, branch protection and the rest of L2 — before the peak season freeze.',
      selector: { kinds: ['Component'], tiers: [1] },
      goal: { level: 'L2' },
      startsAt: new Date(day - 14 * DAY_MS).toISOString(),
      dueAt: new Date(day + 120 * DAY_MS).toISOString(),
      state: 'active',
    },
  ];
}

/** What the seeder needs from the store. */
export interface DemoCampaignStore {
  getCampaign(id: string): Promise<Campaign | undefined>;
  insertCampaign(c: Campaign, by: string, at: string): Promise<void>;
}

/**
 * Inserts each demo campaign whose id is not stored yet: a restart keeps the campaign, its
 * dates and its daily progress points instead of starting it again.
 */
export async function seedDemoCampaigns(
  store: DemoCampaignStore,
  now: Date,
): Promise<number> {
  let inserted = 0;
  for (const campaign of demoCampaigns(now)) {
    if (await store.getCampaign(campaign.id)) continue;
    try {
      await store.insertCampaign(
        campaign,
        'plugin:scorecards (demo)',
        now.toISOString(),
      );
    } catch (error) {
      // another replica starting at the same moment inserted it first (see seedDemoWaivers)
      if (isUniqueViolation(error)) continue;
      throw error;
    }
    inserted += 1;
  }
  return inserted;
}
