/*
 * `GET /entities/changed` lists the refs written since a time; its clients poll with `since` a
 * little before the previous answer's `until`, which covers rows stamped just before a poll but
 * committed after it. Edges and per-entity collection status were found by their `collected_ms`
 * and `last_attempt_ms`, which are the collector run's time (its start, for the repository
 * collector): a run taking longer than that overlap committed rows whose stamps were already
 * behind the next poll's `since`, and mirrors never saw them. These columns hold the server's
 * clock when the row was written, which the feed reads instead; the record times keep their
 * meaning (`collectedAt`, `lastAttemptAt`). Existing rows start from those record times.
 *
 * The indexes the feed used on the record times are replaced: no other query filters edges by
 * `collected_ms`; `last_attempt_ms` keeps its index for retention.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('evidence_edges', t => {
    t.bigInteger('updated_ms').nullable();
  });
  await knex('evidence_edges').update({ updated_ms: knex.ref('collected_ms') });
  await knex.schema.alterTable('evidence_edges', t => {
    t.dropIndex(['collected_ms'], 'evidence_edges_collected');
    t.index(['updated_ms'], 'evidence_edges_updated');
  });

  await knex.schema.alterTable('evidence_collection_status', t => {
    t.bigInteger('updated_ms').nullable();
  });
  await knex('evidence_collection_status').update({
    updated_ms: knex.ref('last_attempt_ms'),
  });
  await knex.schema.alterTable('evidence_collection_status', t => {
    t.index(['updated_ms'], 'evidence_collection_status_updated');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('evidence_collection_status', t => {
    t.dropIndex(['updated_ms'], 'evidence_collection_status_updated');
  });
  await knex.schema.alterTable('evidence_collection_status', t => {
    t.dropColumn('updated_ms');
  });
  await knex.schema.alterTable('evidence_edges', t => {
    t.dropIndex(['updated_ms'], 'evidence_edges_updated');
    t.index(['collected_ms'], 'evidence_edges_collected');
  });
  await knex.schema.alterTable('evidence_edges', t => {
    t.dropColumn('updated_ms');
  });
};
