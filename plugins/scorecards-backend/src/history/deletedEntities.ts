import { LoggerService } from '@backstage/backend-plugin-api';
import { ScorecardsStore } from '../database/ScorecardsStore';
import { LoadedSnapshot } from '../evaluation/CatalogSnapshot';

/** Who closes the waivers of deleted entities, as `revokedBy` says (like SR30's closing). */
export const PLUGIN_ACTOR = 'plugin:scorecards';
export const ENTITY_DELETED_REASON = 'entity deleted';

/**
 * A waiver is closed automatically when its entity is deleted (scorecards §2.8): pending and
 * active waivers whose entity is not in the catalog snapshot become `revoked` with
 * `decisionReason: 'entity deleted'` and `revokedBy: 'plugin:scorecards'`; the waiver row and
 * the entity's transitions stay. Waivers created after the snapshot was read are left for the
 * next pass (their entity may be newer than the snapshot). The caller must not call this with
 * an empty or failed snapshot: an outage must not look like deletion.
 */
export async function closeWaiversOfDeletedEntities(options: {
  store: ScorecardsStore;
  catalog: LoadedSnapshot;
  now: string;
  logger: LoggerService;
}): Promise<number> {
  const { store, catalog, now } = options;
  const open = await store.listWaivers({ statuses: ['pending', 'active'] });
  let closed = 0;
  for (const waiver of open) {
    if (catalog.byRef.has(waiver.entityRef)) continue;
    if (Date.parse(waiver.createdAt) >= catalog.index.refreshedAtMs) continue;
    const moved = await store.updateWaiver(waiver.id, ['pending', 'active'], {
      status: 'revoked',
      revoked_at: now,
      revoked_by: PLUGIN_ACTOR,
      decision_reason: ENTITY_DELETED_REASON,
    });
    if (moved) closed++;
  }
  if (closed > 0) {
    options.logger.info(
      `scorecards: closed ${closed} waiver(s) of deleted entities`,
    );
  }
  return closed;
}
