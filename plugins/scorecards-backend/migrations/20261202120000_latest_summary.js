/*
 * Summary of the latest result set (scorecards.md §2.11, §7.4): levels and result states only
 * (`summarizeEvaluation` of scorecards-common), so that rollups, campaign progress and check
 * summaries read a few kilobytes per entity instead of parsing the full evaluation. Nullable:
 * rows written before this migration get theirs at their next write; until then readers derive
 * it from evaluation_json.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('scorecards_latest', t => {
    t.text('summary_json').nullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('scorecards_latest', t => {
    t.dropColumn('summary_json');
  });
};
