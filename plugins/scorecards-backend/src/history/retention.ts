import { Knex } from 'knex';
import { RollupSnapshotStore } from './RollupSnapshotStore';
import { DEFAULT_DEPARTED_GRACE_DAYS } from '../database/ScorecardsStore';

const DAY_MS = 86400000;

/** What one retention run deleted. */
export interface RetentionReport {
  /** Transitions with `at` before this instant were deleted. */
  cutoff: string;
  transitions: number;
  rollupSnapshots: number;
  /** First-seen times of entities that left the catalog before the cutoff, forgotten. */
  departed: number;
}

/**
 * Deletes transitions older than `retainDays` (by `at`), `batchSize` rows per statement. Rows
 * are taken oldest id first, which is also oldest `at` first: transitions are only appended.
 */
async function deleteOldTransitions(
  db: Knex,
  cutoff: string,
  batchSize: number,
): Promise<number> {
  let deleted = 0;
  for (;;) {
    const ids = (
      (await db('scorecards_transitions')
        .where('at', '<', cutoff)
        .orderBy('id', 'asc')
        .limit(batchSize)
        .select('id')) as { id: number }[]
    ).map(r => r.id);
    if (ids.length === 0) return deleted;
    deleted += await db('scorecards_transitions').whereIn('id', ids).delete();
    if (ids.length < batchSize) return deleted;
  }
}

/**
 * Retention of history (scorecards §2.10, `scorecards.history.retainDays`): transitions whose
 * `at` is more than `retainDays` before `now`, and daily rollup snapshots dated before that
 * instant's date, deleted in batches; and the first-seen times kept of entities that left the
 * catalog longer than `departedGraceMs` ago (an entity back after that is new again). Latest
 * results and waivers are not touched.
 */
export async function applyRetention(options: {
  db: Knex;
  now: string;
  retainDays: number;
  /** Deleted entities' first-seen times are forgotten this long after they left; default 14 days. */
  departedGraceMs?: number;
  /** Transitions per delete statement; snapshots go 31 dates per statement. */
  batchSize?: number;
}): Promise<RetentionReport> {
  const cutoff = new Date(
    Date.parse(options.now) - options.retainDays * DAY_MS,
  ).toISOString();
  const transitions = await deleteOldTransitions(
    options.db,
    cutoff,
    options.batchSize ?? 1000,
  );
  const rollupSnapshots = await new RollupSnapshotStore(
    options.db,
  ).deleteBefore(cutoff.slice(0, 10));
  const departedCutoff = new Date(
    Date.parse(options.now) -
      (options.departedGraceMs ?? DEFAULT_DEPARTED_GRACE_DAYS * DAY_MS),
  ).toISOString();
  const departed = await options
    .db('scorecards_departed')
    .where('departed_at', '<', departedCutoff)
    .delete();
  return { cutoff, transitions, rollupSnapshots, departed };
}
