import {
  DEFAULT_ROLLUP_EXPIRING_WITHIN_DAYS,
  RollupRow,
  computeRollups,
} from '@internal/plugin-scorecards-common';
import { ScorecardsStore } from '../database/ScorecardsStore';
import { LoadedSnapshot, inCatalog } from '../evaluation/CatalogSnapshot';
import { rollupEntriesOf } from '../service/rollupEntries';
import { RollupGroupBy, RollupSnapshotStore } from './RollupSnapshotStore';

const DAY_MS = 86400000;
const GROUPINGS: readonly RollupGroupBy[] = ['owner', 'system', 'domain'];

/** The UTC date of an instant. */
export const utcDate = (at: string) => at.slice(0, 10);

/** The UTC day before the one of `at`: the day the 00:05 run closes. */
export const previousUtcDate = (at: string) =>
  new Date(Date.parse(at) - DAY_MS).toISOString().slice(0, 10);

/** What taking a snapshot did: rows written, or why nothing was. */
export type RollupSnapshotOutcome =
  | { date: string; rows: number }
  | { date: string; skipped: 'no-results' | 'empty-catalog' };

/**
 * Computes the rollup rows per owner, System and Domain over every stored latest result (the
 * same rows as `GET /rollups`, with the plugin's own view: no per-caller filter) and stores them
 * as the snapshot of `date`, replacing that date's rows, with the window their expiring-waiver
 * count used. Writes nothing without stored results,
 * or when the catalog snapshot is empty (an outage must not look like an empty portal).
 */
export async function takeRollupSnapshot(options: {
  store: ScorecardsStore;
  snapshots: RollupSnapshotStore;
  /** The catalog snapshot that maps entities to owner, System and Domain. */
  catalog: () => Promise<LoadedSnapshot>;
  date: string;
  now: string;
  /** Days before expiry a waiver counts as expiring (`GET /rollups`'); default 14. */
  expiringWithinDays?: number;
  /** The checks of the standard (`rollupEntriesOf`). */
  definedChecks: { has(checkId: string): boolean };
}): Promise<RollupSnapshotOutcome> {
  const { store, snapshots, date, now } = options;
  const expiringWithinDays =
    options.expiringWithinDays ?? DEFAULT_ROLLUP_EXPIRING_WITHIN_DAYS;
  const latest = await store.listLatestSummaries();
  if (latest.length === 0) return { date, skipped: 'no-results' };
  const catalog = await options.catalog();
  if (catalog.entities.length === 0) return { date, skipped: 'empty-catalog' };
  const entries = await rollupEntriesOf({
    store,
    evaluations: latest
      .filter(row => inCatalog(catalog, row))
      .map(l => l.summary),
    snapshot: catalog,
    now,
    definedChecks: options.definedChecks,
  });
  const rows: RollupRow[] = GROUPINGS.flatMap(groupBy =>
    computeRollups(entries, { groupBy, now, expiringWithinDays }),
  );
  // The window is stored with the rows: the setting may change, the count they hold does not.
  await snapshots.replaceDay(date, rows, {
    at: now,
    waiversExpiringWithinDays: expiringWithinDays,
  });
  return { date, rows: rows.length };
}
