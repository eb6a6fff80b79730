/*
 * Scorecards schema (scorecards.md §2.8, §2.10, §2.11). One schema for SQLite and PostgreSQL:
 * times are ISO-8601 UTC strings (toISOString, so they sort as text), JSON is text.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  // The latest result set per entity; rewritten only when a result, the level or the entity changed.
  await knex.schema.createTable('scorecards_latest', t => {
    t.string('entity_ref', 320).primary();
    t.string('level', 16).notNullable();
    t.string('entity_hash', 32).notNullable();
    t.text('snapshot_json').notNullable();
    t.text('evaluation_json').notNullable();
    t.string('first_seen_at', 30).notNullable();
    t.string('changed_at', 30).notNullable();
  });
  // One row per changed result or level (never one per evaluation, SR22).
  await knex.schema.createTable('scorecards_transitions', t => {
    t.increments('id').primary();
    t.string('entity_ref', 320).notNullable();
    t.string('check_id', 128).nullable();
    t.string('from_state', 32).nullable();
    t.string('to_state', 32).notNullable();
    t.string('from_reason', 64).nullable();
    t.string('to_reason', 64).nullable();
    t.string('at', 30).notNullable();
    t.string('cause', 32).notNullable();
    t.integer('check_version').nullable();
    t.string('evidence_observed_at', 30).nullable();
    t.boolean('regression').notNullable().defaultTo(false);
    t.index(['entity_ref', 'at'], 'scorecards_transitions_entity_at');
  });
  await knex.schema.createTable('scorecards_waivers', t => {
    t.string('id', 64).primary();
    t.string('entity_ref', 320).notNullable();
    t.string('check_id', 128).notNullable();
    t.string('kind', 32).notNullable();
    t.text('reason').notNullable();
    t.string('owner', 320).notNullable();
    t.string('requested_by', 320).notNullable();
    t.string('approved_by', 320).nullable();
    t.string('created_at', 30).notNullable();
    t.string('approved_at', 30).nullable();
    t.string('expires_at', 30).notNullable();
    t.string('revoked_at', 30).nullable();
    t.string('ticket', 2048).nullable();
    t.string('status', 16).notNullable();
    t.index(['entity_ref', 'check_id'], 'scorecards_waivers_entity_check');
    t.index(['status'], 'scorecards_waivers_status');
  });
  await knex.schema.createTable('scorecards_campaigns', t => {
    t.string('id', 64).primary();
    t.text('campaign_json').notNullable();
    t.string('created_by', 320).notNullable();
    t.string('created_at', 30).notNullable();
  });
  await knex.schema.createTable('scorecards_campaign_points', t => {
    t.string('campaign_id', 64).notNullable();
    t.string('date', 10).notNullable();
    t.integer('done').notNullable();
    t.primary(['campaign_id', 'date']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('scorecards_campaign_points');
  await knex.schema.dropTable('scorecards_campaigns');
  await knex.schema.dropTable('scorecards_waivers');
  await knex.schema.dropTable('scorecards_transitions');
  await knex.schema.dropTable('scorecards_latest');
};
