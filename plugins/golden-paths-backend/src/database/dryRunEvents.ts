import type { AuditEvent } from '@internal/plugin-golden-paths-common';
import { DRY_RUN_RECORD_ACTION } from '@internal/plugin-golden-paths-common';
import type { Knex } from 'knex';

// The dry runs' trace in `gp_events`: the `golden-path-step` record ledger:open writes with
// `dryRun: true` (§4.6). `gp_events` has no column for either, and a migration for a read an
// operator makes when lifting a switch is not worth it: the LIKE filters narrow the rows the
// database returns, and `isDryRunRecord` decides on the parsed record.

const OPEN_ACTION = `%"action":"${DRY_RUN_RECORD_ACTION}"%`;
const DRY_RUN = '%"dryRun":true%';

/** How many records one page of the walk reads. */
export const DRY_RUN_PAGE_SIZE = 200;
/**
 * How many pages the walk reads at most: a template never dry-run would otherwise read every
 * dry-run record retention keeps (400 days) each time its lift dialog opens.
 */
export const DRY_RUN_MAX_PAGES = 10;

/**
 * The dry-run ledger:open records, newest first (event ids are time-ordered ULIDs), read
 * `pageSize` at a time so a caller that finds its dry run early reads no further, and never
 * more than `maxPages` pages: a caller that reads `pageSize * maxPages` records cannot tell
 * whether older ones exist.
 */
export async function* dryRunOpenEventsNewestFirst(
  db: Knex,
  pageSize = DRY_RUN_PAGE_SIZE,
  maxPages = DRY_RUN_MAX_PAGES,
): AsyncGenerator<AuditEvent> {
  let before: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const query = db('gp_events')
      .where('event_type', 'golden-path-step')
      .andWhere('record_json', 'like', OPEN_ACTION)
      .andWhere('record_json', 'like', DRY_RUN)
      .orderBy('id', 'desc')
      .limit(pageSize);
    if (before) query.andWhere('id', '<', before);
    const rows = await query;
    for (const r of rows) {
      yield {
        id: r.id,
        requestKey: r.request_key ?? undefined,
        at: r.at,
        eventType: r.event_type,
        severity: r.severity,
        record: JSON.parse(r.record_json),
      };
    }
    if (rows.length < pageSize) return;
    before = rows[rows.length - 1].id;
  }
}
