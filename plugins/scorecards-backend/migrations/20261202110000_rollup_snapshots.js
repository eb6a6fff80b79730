/*
 * Daily rollup snapshots (scorecards.md §2.10, §2.11): one row per (date, groupBy, key), the
 * RollupRow as JSON. Written by the daily task at 00:05 UTC (the row dated D is the state at the
 * end of D); a re-run of the same day replaces that day's rows. Kept `scorecards.history.retainDays`.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('scorecards_rollup_snapshots', t => {
    t.string('group_by', 8).notNullable(); // owner | system | domain
    t.string('key', 320).notNullable(); // entity ref of the owner, System or Domain, or (none)
    t.string('date', 10).notNullable(); // YYYY-MM-DD (UTC)
    t.text('row_json').notNullable();
    t.string('taken_at', 30).notNullable();
    // History of one key reads (group_by, key) by date; retention deletes by date.
    t.primary(['group_by', 'key', 'date']);
    t.index(['date'], 'scorecards_rollup_snapshots_date');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('scorecards_rollup_snapshots');
};
