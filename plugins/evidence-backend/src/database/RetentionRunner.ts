import { Knex } from 'knex';
import { AliasResolver } from '../service/AliasResolver';
import { EvidenceOptions } from '../service/evidenceConfig';
import {
  PRUNED_MARK,
  currentSequence,
  lockSequence,
  nextSequence,
} from './EdgeWriter';
import { deleteClosedCollisionRecords } from './redactStoredCredentials';

const DAY_MS = 86400_000;

/** Rows each retention step deleted or compacted, for the task log and tests. */
export type RetentionReport = Record<string, number>;

/**
 * Retention and compaction of §2.7, run daily by a global task. Every delete is chunked
 * (`evidence.retention.chunkSize`, 5,000) so one run never holds a long lock; a second run at
 * the same clock deletes nothing.
 */
export class RetentionRunner {
  constructor(
    private readonly db: Knex,
    private readonly options: EvidenceOptions,
    private readonly resolver?: AliasResolver,
  ) {}

  async run(now: Date): Promise<RetentionReport> {
    const at = now.getTime();
    const r = this.options.retention;
    const report: RetentionReport = {};
    const cutoff = (seconds: number) => at - seconds * 1000;

    report.idempotency = await this.deleteChunked(
      'evidence_idempotency',
      ['scope', 'idem_key'],
      q => q.where('expires_ms', '<', at),
    );
    report.changes = await this.deleteChunked('evidence_changes', ['id'], q =>
      q.whereRaw('COALESCE(finished_ms, started_ms) < ?', [
        cutoff(r.changesSeconds),
      ]),
    );
    report.ciRuns = await this.deleteChunked('evidence_ci_runs', ['id'], q =>
      q.whereRaw('COALESCE(finished_ms, started_ms, received_ms) < ?', [
        cutoff(r.ciRunsSeconds),
      ]),
    );
    report.unresolvedFacts = await this.deleteChunked(
      'evidence_facts',
      ['id'],
      q =>
        q
          .where('resolution', 'unresolved')
          .where('updated_ms', '<', cutoff(r.unresolvedFactsSeconds)),
    );
    report.factHistoryCompacted = await this.compactHistory(
      cutoff(r.factHistoryRawSeconds),
    );
    // The newest row of a key is the latest version's own row (same id): kept while it exists.
    report.factHistory = await this.deleteChunked(
      'evidence_fact_history',
      ['id'],
      q =>
        q
          .where('observed_ms', '<', cutoff(r.factHistorySeconds))
          // NOT EXISTS, not NOT IN: past ~145k facts PostgreSQL's NOT IN no longer hashes the
          // subquery and checks each candidate against the whole list (20 s per 500 rows,
          // measured); the anti-join takes ~9 ms per 5,000.
          .whereNotExists(
            this.db('evidence_facts')
              .select(this.db.raw('1'))
              .whereRaw('evidence_facts.id = evidence_fact_history.id'),
          ),
    );
    report.edges = await this.deleteEdges(
      cutoff(this.options.edges.retainForSeconds),
      at,
    );
    // A feed cursor below the newest pruned tombstone can no longer be answered (410). The
    // mark is written before the tombstones go, so a reader in between answers 410 early
    // rather than silently missing a removal; it only moves forward (a run with an earlier
    // clock must not make lost removals answerable again).
    const pruned = await this.db('evidence_edge_tombstones')
      .where('removed_ms', '<', cutoff(r.tombstonesSeconds))
      .max('seq as seq')
      .first();
    if (pruned?.seq !== null && pruned?.seq !== undefined) {
      const mark = Number(pruned.seq);
      if (mark > (await currentSequence(this.db, PRUNED_MARK))) {
        await this.db('evidence_sequences')
          .insert({ name: PRUNED_MARK, value: mark })
          .onConflict('name')
          .merge();
      }
    }
    report.tombstones = await this.deleteChunked(
      'evidence_edge_tombstones',
      ['edge_id'],
      q => q.where('removed_ms', '<', cutoff(r.tombstonesSeconds)),
    );
    // A mirror that has not read `GET /entities/changed` for as long as a feed cursor stays
    // answerable re-reads everything anyway, so the record of an entity evidence left (R14) is
    // kept exactly as long as an edge tombstone.
    report.detachedRefs = await this.deleteChunked(
      'evidence_detached_refs',
      ['entity_ref'],
      q => q.where('updated_ms', '<', cutoff(r.tombstonesSeconds)),
    );
    report.healthLog = await this.deleteChunked(
      'evidence_source_health_log',
      ['id'],
      q => q.where('at_ms', '<', cutoff(r.healthLogSeconds)),
    );
    // Read only by re-runs of the start-up credential pass, which end with its rollout window.
    report.redactionCollisions = await deleteClosedCollisionRecords(
      this.db,
      at,
    );
    if (this.resolver?.isLoaded) {
      const stale = await this.db('evidence_collection_status')
        .where('last_attempt_ms', '<', cutoff(r.collectionStatusSeconds))
        .select('entity_ref', 'source');
      const gone = stale.filter(s => !this.resolver!.exists(s.entity_ref));
      for (const row of gone) {
        await this.db('evidence_collection_status').where(row).delete();
      }
      report.collectionStatus = gone.length;
    }
    return report;
  }

  private async deleteChunked(
    table: string,
    key: string[],
    where: (q: Knex.QueryBuilder) => Knex.QueryBuilder,
  ): Promise<number> {
    const chunk = this.options.retention.chunkSize;
    let total = 0;
    for (;;) {
      const ids = this.db(table).select(key).modify(where).limit(chunk);
      const deleted =
        key.length === 1
          ? await this.db(table)
              .whereIn(key[0], this.db.select(key[0]).from(ids.as('c')))
              .delete()
          : await this.db(table).whereIn(key, ids).delete();
      total += deleted;
      if (deleted < chunk) return total;
    }
  }

  /**
   * Raw history older than the cutoff becomes one row per (subject, source, kind, key, UTC day):
   * the newest of the day is kept as `daily`, the others are deleted. Whole days are processed
   * at a time so a chunk boundary never leaves two rows for one day.
   */
  private async compactHistory(cutoffMs: number): Promise<number> {
    const chunk = this.options.retention.chunkSize;
    let total = 0;
    for (;;) {
      const raw = await this.db('evidence_fact_history')
        .where('granularity', 'raw')
        .where('observed_ms', '<', cutoffMs)
        .orderBy('observed_ms')
        .limit(chunk)
        .select('observed_ms');
      if (raw.length === 0) return total;
      const firstDay = Math.floor(Number(raw[0].observed_ms) / DAY_MS);
      const lastDay = Math.floor(
        Number(raw[raw.length - 1].observed_ms) / DAY_MS,
      );
      // A full chunk may end mid-day: stop before that day unless it is the only one.
      const endDay =
        raw.length === chunk && lastDay > firstDay ? lastDay : lastDay + 1;
      const rows = await this.db('evidence_fact_history')
        .where('observed_ms', '>=', firstDay * DAY_MS)
        .where('observed_ms', '<', Math.min(endDay * DAY_MS, cutoffMs))
        .select(
          'id',
          'subject',
          'source',
          'kind',
          'fact_key',
          'observed_ms',
          'granularity',
        );
      const keep = new Map<string, { id: string; observed: number }>();
      for (const row of rows) {
        const group = [
          row.subject,
          row.source,
          row.kind,
          row.fact_key,
          Math.floor(Number(row.observed_ms) / DAY_MS),
        ].join('\u0000');
        const observed = Number(row.observed_ms);
        const best = keep.get(group);
        if (
          !best ||
          observed > best.observed ||
          (observed === best.observed && row.id > best.id)
        ) {
          keep.set(group, { id: row.id, observed });
        }
      }
      const kept = new Set([...keep.values()].map(k => k.id));
      const drop = rows.filter(row => !kept.has(row.id)).map(row => row.id);
      const latestIds = new Set<string>();
      const ids = rows.map(row => row.id as string);
      for (let i = 0; i < ids.length; i += 900) {
        const latest = await this.db('evidence_facts')
          .whereIn('id', ids.slice(i, i + 900))
          .select('id');
        for (const row of latest) latestIds.add(row.id);
      }
      const deletable = drop.filter(id => !latestIds.has(id));
      for (let i = 0; i < deletable.length; i += 900) {
        await this.db('evidence_fact_history')
          .whereIn('id', deletable.slice(i, i + 900))
          .delete();
      }
      const keptIds = [...kept, ...drop.filter(id => latestIds.has(id))];
      for (let i = 0; i < keptIds.length; i += 900) {
        await this.db('evidence_fact_history')
          .whereIn('id', keptIds.slice(i, i + 900))
          .update({ granularity: 'daily' });
      }
      total += deletable.length;
    }
  }

  /** Deletes edges unseen for the retention window, leaving tombstones for the feed. */
  private async deleteEdges(cutoffMs: number, at: number): Promise<number> {
    const chunk = this.options.retention.chunkSize;
    let total = 0;
    for (;;) {
      const deleted = await this.db.transaction(async trx => {
        // Lock first, then choose: an edge a writer refreshes meanwhile is no longer picked.
        await lockSequence(trx, 'edges');
        const rows = await trx('evidence_edges')
          .where('last_seen_ms', '<', cutoffMs)
          .limit(chunk)
          .select('id');
        for (const row of rows) {
          const seq = await nextSequence(trx, 'edges');
          await trx('evidence_edge_tombstones')
            .insert({ edge_id: row.id, seq, removed_ms: at })
            .onConflict('edge_id')
            .merge();
        }
        if (rows.length > 0) {
          await trx('evidence_edges')
            .whereIn(
              'id',
              rows.map(row => row.id),
            )
            .delete();
        }
        return rows.length;
      });
      total += deleted;
      if (deleted < chunk) return total;
    }
  }
}
