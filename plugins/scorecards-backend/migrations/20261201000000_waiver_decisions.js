/*
 * Waiver decisions (scorecards.md §2.8, §7.4): the reason given with the last approve, reject
 * or revoke, and who revoked. Both nullable: waivers decided before this migration have neither.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('scorecards_waivers', t => {
    t.text('decision_reason').nullable();
    t.string('revoked_by', 320).nullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('scorecards_waivers', t => {
    t.dropColumn('revoked_by');
    t.dropColumn('decision_reason');
  });
};
