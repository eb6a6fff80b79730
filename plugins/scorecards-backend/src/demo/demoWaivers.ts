import { isUniqueViolation } from '@internal/suite-node';
import type { Waiver } from '@internal/plugin-scorecards-common';

const DAY_MS = 86_400_000;

/**
 * The demo's waivers (scorecards.md §6.3): payment-service has no burn-rate alert rules and
 * holds an exception on `slo-burn-alert`, approved by fatima.haddad, expiring 20 days after the
 * portal seeded it — so the demo shows an L3 service whose level rests on an active waiver.
 */
export function demoWaivers(now: Date): Waiver[] {
  const at = now.toISOString();
  return [
    {
      id: 'demo-payment-service-slo-burn-alert',
      entityRef: 'component:default/payment-service',
      checkId: 'slo-burn-alert',
      kind: 'exception',
      reason:
        'Demo: burn-rate alert rules are being migrated to the new Alertmanager routing; latency and error-rate alerts page meanwhile.',
      owner: 'group:default/payments-team',
      requestedBy: 'user:default/chen.wei',
      approvedBy: 'user:default/fatima.haddad',
      createdAt: at,
      approvedAt: at,
      expiresAt: new Date(now.getTime() + 20 * DAY_MS).toISOString(),
      ticket: 'DEMO-1',
      status: 'active',
    },
  ];
}

/** What the seeder needs from the store. */
export interface DemoWaiverStore {
  listWaivers(query: {
    entityRef?: string;
    checkId?: string;
    statuses?: string[];
  }): Promise<Waiver[]>;
  insertWaiver(w: Waiver): Promise<void>;
}

/**
 * Inserts each demo waiver unless an active or pending waiver already covers its entity and
 * check. Waivers that expired (a portal left running past 20 days) are kept as history and a
 * fresh one is added under a dated id, so restarts never duplicate and never resurrect.
 */
export async function seedDemoWaivers(
  store: DemoWaiverStore,
  now: Date,
): Promise<number> {
  let inserted = 0;
  for (const waiver of demoWaivers(now)) {
    const covering = await store.listWaivers({
      entityRef: waiver.entityRef,
      checkId: waiver.checkId,
      statuses: ['active', 'pending'],
    });
    if (covering.length > 0) continue;
    const earlier = await store.listWaivers({
      entityRef: waiver.entityRef,
      checkId: waiver.checkId,
    });
    const id = earlier.some(w => w.id === waiver.id)
      ? `${waiver.id}-${waiver.createdAt.slice(0, 10)}`
      : waiver.id;
    if (earlier.some(w => w.id === id)) continue;
    try {
      await store.insertWaiver({ ...waiver, id });
    } catch (error) {
      // Another replica starting at the same moment seeded it between the read and the insert:
      // seeded all the same. Failing here failed the plugin's start, and Backstage left that
      // replica running but never ready.
      if (isUniqueViolation(error)) continue;
      throw error;
    }
    inserted += 1;
  }
  return inserted;
}
