import type { LedgerView } from '@internal/plugin-evidence-common';
import { Knex } from 'knex';
import { ChangeRow } from './rows';
import { textKey } from './keyset';

/** Ids per statement: SQLite binds at most 999 parameters. */
const ID_CHUNK = 900;

/**
 * The changes of `chunk` (matched on `column`: `entity_ref`, or `subject` for aliases) in the
 * window `[fromMs, toMs]` as `changeInWindow` has it, keeping what `view` asks for — ranked in SQL,
 * so that only the kept rows are read whole and sent (a year of changes at 2.8 a day was ~1,000
 * rows per entity, read and answered on every full read of the mirror); every change in the
 * window is still ranked.
 *
 * A superset of what the reader keeps, never less: rows are ranked per stored `(entity_ref,
 * subject)` pair, and the reader's entity gathers one or more such pairs (aliases), so the
 * newest of an entity are among the newest of its pairs; the reader ranks again (scorecards'
 * `compactLedger`). Time, tie order and artifact are the reader's: `finishedAt ?? effectiveAt`,
 * then id in code-unit order; the artifact digest, else `version:` + version or id.
 */
export async function compactLedgerRows(
  db: Knex,
  column: 'entity_ref' | 'subject',
  chunk: readonly string[],
  window: { fromMs: number; toMs: number; environment?: string },
  view: LedgerView,
): Promise<ChangeRow[]> {
  // The stored digest: the same as the attributes' (`artifactDigest` cannot change after the
  // first write, IMMUTABLE_FIELD), without parsing every row's JSON.
  const artifact = `CASE WHEN kind = 'deploy' AND status = 'succeeded' THEN COALESCE(NULLIF(artifact_digest, ''), 'version:' || COALESCE(NULLIF(version, ''), id)) END`;
  const newestFirst = `ORDER BY view_time DESC, ${textKey(db, 'id')} DESC`;
  // Ranked on narrow rows (ids and what the ranks need), the kept rows read whole afterwards:
  // sorting each row with its JSON made the read several times slower.
  const inWindow = db('evidence_changes')
    .whereIn(column, [...chunk])
    .where('effective_ms', '<=', window.toMs)
    .whereRaw('COALESCE(finished_ms, ?) >= ?', [window.toMs, window.fromMs])
    .modify(q => {
      if (window.environment) q.where('environment', window.environment);
    })
    .select(
      'id',
      'entity_ref',
      'subject',
      'environment',
      'kind',
      'status',
      db.raw(
        'CASE WHEN rollback_of IS NULL THEN 0 ELSE 1 END AS view_rollback',
      ),
      db.raw('COALESCE(finished_ms, effective_ms) AS view_time'),
      db.raw(`${artifact} AS view_artifact`),
    );
  const ranked = db
    .from(inWindow.as('w'))
    .select(
      'id',
      'entity_ref',
      'subject',
      'environment',
      'view_time',
      'view_artifact',
      db.raw(
        `ROW_NUMBER() OVER (PARTITION BY entity_ref, subject, environment, kind, status, view_rollback ${newestFirst}) AS view_class_rank`,
      ),
      db.raw(
        `ROW_NUMBER() OVER (PARTITION BY entity_ref, subject, environment, view_artifact ${newestFirst}) AS view_of_artifact`,
      ),
    );
  const newestOfArtifact = `CASE WHEN view_artifact IS NOT NULL AND view_of_artifact = 1 THEN 1 ELSE 0 END`;
  const artifacts = db
    .from(ranked.as('r'))
    .select(
      'id',
      'view_class_rank',
      db.raw(`${newestOfArtifact} AS view_newest_of_artifact`),
      db.raw(
        `ROW_NUMBER() OVER (PARTITION BY entity_ref, subject, environment, ${newestOfArtifact} ${newestFirst}) AS view_artifact_rank`,
      ),
    );
  const kept = db
    .from(artifacts.as('a'))
    .select('id')
    .where('view_class_rank', '<=', view.perClass)
    .orWhere(q =>
      q
        .where('view_newest_of_artifact', 1)
        .where('view_artifact_rank', '<=', view.artifacts),
    );
  const ids = ((await kept) as { id: string }[]).map(r => r.id);
  // Apart, not `id IN (subquery)`: PostgreSQL planned that as a nested loop running the ranking
  // once per row of the table (past a 20 s timeout for 8,400 rows of a table not analyzed yet).
  const rows: ChangeRow[] = [];
  for (let i = 0; i < ids.length; i += ID_CHUNK) {
    const chunkRows: ChangeRow[] = await db<ChangeRow>(
      'evidence_changes',
    ).whereIn('id', ids.slice(i, i + ID_CHUNK));
    for (const row of chunkRows) rows.push(row);
  }
  return rows;
}
