/*
 * Golden paths ledger (golden-paths.md §4.3). One schema for SQLite and PostgreSQL: instants are
 * ISO-8601 UTC strings (toISOString, so they sort as text), JSON is text.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('gp_requests', t => {
    t.string('request_key', 128).primary();
    t.string('fingerprint', 80).notNullable();
    t.text('request_json').notNullable();
    t.string('template_ref', 320).notNullable();
    t.string('template_version', 64).notNullable();
    t.string('kind', 32).notNullable();
    t.string('status', 32).notNullable();
    t.string('plan_digest', 80).nullable();
    t.text('outputs_json').nullable();
    t.string('created_by', 320).notNullable();
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    // Written once by the inserting claim; the claimant recognizes its own insert by it.
    t.string('claim_token', 40).notNullable();
    t.string('lease_task_id', 128).nullable();
    t.string('lease_until', 30).nullable();
    t.string('lease_started_at', 30).nullable();
    t.integer('attempts').notNullable().defaultTo(1);
    t.string('last_error_code', 16).nullable();
    t.string('expires_at', 30).nullable();
    t.index(['status', 'updated_at'], 'gp_requests_status_updated');
  });
  await knex.schema.createTable('gp_steps', t => {
    t.string('request_key', 128).notNullable();
    t.string('step_id', 128).notNullable();
    t.string('fingerprint', 80).notNullable();
    t.string('status', 16).notNullable();
    t.text('output_json').nullable();
    t.string('effect_ref', 2048).nullable();
    t.string('task_id', 128).nullable();
    t.integer('attempt').notNullable().defaultTo(1);
    t.string('started_at', 30).notNullable();
    t.string('finished_at', 30).nullable();
    t.primary(['request_key', 'step_id']);
  });
  await knex.schema.createTable('gp_approvals', t => {
    t.string('id', 40).primary();
    t.string('request_key', 128).notNullable();
    t.string('plan_digest', 80).notNullable();
    t.text('triggers_json').notNullable();
    t.text('routes_json').notNullable();
    t.string('status', 16).notNullable();
    t.string('requested_by', 320).notNullable();
    t.string('created_at', 30).notNullable();
    t.string('expires_at', 30).notNullable();
    t.string('decided_at', 30).nullable();
    t.text('plan_json').nullable();
    t.unique(['request_key', 'plan_digest'], {
      indexName: 'gp_approvals_request_digest',
    });
    t.index(['status'], 'gp_approvals_status');
  });
  await knex.schema.createTable('gp_approval_decisions', t => {
    t.string('approval_id', 40).notNullable();
    t.string('route', 320).notNullable();
    t.string('approver', 320).notNullable();
    t.string('decision', 16).notNullable();
    t.text('reason').notNullable();
    t.text('answers_json').nullable();
    t.string('decided_at', 30).notNullable();
    t.boolean('break_glass').notNullable().defaultTo(false);
    t.primary(['approval_id', 'route']);
  });
  await knex.schema.createTable('gp_kill_switches', t => {
    t.string('scope', 16).notNullable();
    t.string('id', 256).notNullable();
    t.boolean('disabled').notNullable();
    t.text('reason').notNullable();
    t.string('set_by', 320).notNullable();
    t.string('set_at', 30).notNullable();
    t.string('until', 30).nullable();
    t.primary(['scope', 'id']);
  });
  // Append-only audit records (§4.5).
  await knex.schema.createTable('gp_events', t => {
    t.string('id', 40).primary();
    t.string('request_key', 128).nullable();
    t.string('at', 30).notNullable();
    t.string('event_type', 64).notNullable();
    t.string('severity', 16).notNullable();
    t.text('record_json').notNullable();
    t.index(['request_key', 'at'], 'gp_events_request_at');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('gp_events');
  await knex.schema.dropTable('gp_kill_switches');
  await knex.schema.dropTable('gp_approval_decisions');
  await knex.schema.dropTable('gp_approvals');
  await knex.schema.dropTable('gp_steps');
  await knex.schema.dropTable('gp_requests');
};
