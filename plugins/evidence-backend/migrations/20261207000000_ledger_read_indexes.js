/*
 * Indexes for reads that scanned the whole ledger once it held months of changes (measured on
 * PostgreSQL 15 with 3M changes over 730 days for 2,000 entities; 2026-12-07 review):
 *
 * - `(entity_ref, finished_ms)` and `(entity_ref, effective_ms)`: the ledger reads of an
 *   entity's window and summary are bounded in SQL by time now (EvidenceReader), and the newest
 *   change or good deploy before that bound is read per entity, newest first, `LIMIT`ed. The
 *   existing `(entity_ref, environment, effective_ms)` serves neither without an environment.
 * - `(rollback_of)` where set: every status update of a change asks whether a rollback named it
 *   (ChangeWriter); without it, 729 ms and a scan of the table per update, inside the write.
 * Not an index on `(effective_ms)` alone, though it would serve `GET /changes` without an
 * entity: with it PostgreSQL walked it backwards through the whole ledger for an entity's
 * newest changes (`GET /changes?entityRef=`, 0.17 → 222 ms a page), and that read matters more.
 * - `evidence_fact_history (observed_ms)` where `granularity = 'raw'`: compaction reads raw rows
 *   by age and no longer steps over the daily rows it wrote.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('evidence_changes', t => {
    t.index(['entity_ref', 'finished_ms'], 'evidence_changes_entity_finished');
    t.index(
      ['entity_ref', 'effective_ms'],
      'evidence_changes_entity_effective',
    );
    t.index(['rollback_of'], 'evidence_changes_rollback_of', {
      predicate: knex.whereNotNull('rollback_of'),
    });
  });
  await knex.schema.alterTable('evidence_fact_history', t => {
    t.index(['observed_ms'], 'evidence_fact_history_raw_observed', {
      predicate: knex.whereRaw("granularity = 'raw'"),
    });
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('evidence_fact_history', t => {
    t.dropIndex([], 'evidence_fact_history_raw_observed');
  });
  await knex.schema.alterTable('evidence_changes', t => {
    t.dropIndex([], 'evidence_changes_rollback_of');
    t.dropIndex([], 'evidence_changes_entity_effective');
    t.dropIndex([], 'evidence_changes_entity_finished');
  });
};
