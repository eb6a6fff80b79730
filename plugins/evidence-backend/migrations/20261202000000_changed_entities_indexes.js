/*
 * `GET /entities/changed` (the feed that lets consumers such as the scorecards catalog module
 * keep a local mirror of the evidence instead of reading it per entity) asks each table for
 * the entity refs written since a time. Without these indexes every poll would scan the facts,
 * the ledger and the edges; with them a poll reads only the rows written since the last one.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('evidence_facts', t => {
    t.index(['updated_ms'], 'evidence_facts_updated');
  });
  await knex.schema.alterTable('evidence_changes', t => {
    t.index(['updated_ms'], 'evidence_changes_updated');
  });
  await knex.schema.alterTable('evidence_edges', t => {
    t.index(['collected_ms'], 'evidence_edges_collected');
  });
  await knex.schema.alterTable('evidence_collection_status', t => {
    t.index(['last_attempt_ms'], 'evidence_collection_status_attempt');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('evidence_facts', t => {
    t.dropIndex(['updated_ms'], 'evidence_facts_updated');
  });
  await knex.schema.alterTable('evidence_changes', t => {
    t.dropIndex(['updated_ms'], 'evidence_changes_updated');
  });
  await knex.schema.alterTable('evidence_edges', t => {
    t.dropIndex(['collected_ms'], 'evidence_edges_collected');
  });
  await knex.schema.alterTable('evidence_collection_status', t => {
    t.dropIndex(['last_attempt_ms'], 'evidence_collection_status_attempt');
  });
};
