import type { RollupRow } from '@internal/plugin-scorecards-common';
import { Knex } from 'knex';

const TABLE = 'scorecards_rollup_snapshots';
/** Rows per insert statement (SQLite allows 999 bound values; a row binds 6). */
const INSERT_CHUNK = 150;

export type RollupGroupBy = RollupRow['kind'];

/** One point of a key's history: the rollup row of that key on that date. */
export interface RollupSnapshotPoint {
  date: string;
  row: RollupRow;
  /**
   * The window the row's `waiversExpiring14d` counted in (the days `GET /rollups` answers as
   * `waiversExpiringWithinDays` when the snapshot was taken). Absent for snapshots taken before
   * it was recorded (migration 20261206000000): their window is unknown.
   */
  waiversExpiringWithinDays?: number;
}

/**
 * Daily rollup snapshots (scorecards §2.10): one row per (date, groupBy, key) in
 * `scorecards_rollup_snapshots` (migration 20261202110000), with the expiring-waiver window
 * it counted in (20261206000000).
 */
export class RollupSnapshotStore {
  constructor(private readonly db: Knex) {}

  /**
   * Replaces every row of `date` with `rows` in one transaction, so a re-run of the same day
   * overwrites it (a key that has no entities any more loses its row) and never duplicates.
   * `waiversExpiringWithinDays` is the window the rows' `waiversExpiring14d` counted in.
   */
  async replaceDay(
    date: string,
    rows: readonly RollupRow[],
    taken: { at: string; waiversExpiringWithinDays: number },
  ): Promise<void> {
    await this.db.transaction(async tx => {
      await tx(TABLE).where({ date }).delete();
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        await tx(TABLE).insert(
          rows.slice(i, i + INSERT_CHUNK).map(row => ({
            group_by: row.kind,
            key: row.key,
            date,
            row_json: JSON.stringify(row),
            taken_at: taken.at,
            waivers_expiring_within_days: taken.waiversExpiringWithinDays,
          })),
        );
      }
    });
  }

  /** When the rows of `date` were taken (the latest of them), or undefined without rows. */
  async takenAt(date: string): Promise<string | undefined> {
    const row = await this.db(TABLE)
      .where({ date })
      .max('taken_at as takenAt')
      .first();
    return row?.takenAt ?? undefined;
  }

  /** The points of one key, oldest first, optionally limited to `from`…`to` (dates, inclusive). */
  async history(query: {
    groupBy: RollupGroupBy;
    key: string;
    from?: string;
    to?: string;
  }): Promise<RollupSnapshotPoint[]> {
    const q = this.db(TABLE)
      .where({ group_by: query.groupBy, key: query.key })
      .orderBy('date', 'asc')
      .select('date', 'row_json', 'waivers_expiring_within_days');
    if (query.from) q.where('date', '>=', query.from);
    if (query.to) q.where('date', '<=', query.to);
    const rows: {
      date: string;
      row_json: string;
      waivers_expiring_within_days: number | null;
    }[] = await q;
    return rows.map(r => ({
      date: r.date,
      row: JSON.parse(r.row_json),
      ...(r.waivers_expiring_within_days !== null && {
        waiversExpiringWithinDays: Number(r.waivers_expiring_within_days),
      }),
    }));
  }

  /**
   * Deletes the rows dated before `date`, `batchDays` dates per statement; returns how many
   * rows went.
   */
  async deleteBefore(date: string, batchDays = 31): Promise<number> {
    let deleted = 0;
    for (;;) {
      const dates = (
        (await this.db(TABLE)
          .where('date', '<', date)
          .distinct('date')
          .orderBy('date', 'asc')
          .limit(batchDays)) as { date: string }[]
      ).map(r => r.date);
      if (dates.length === 0) return deleted;
      deleted += await this.db(TABLE).whereIn('date', dates).delete();
      if (dates.length < batchDays) return deleted;
    }
  }
}
