/*
 * The window each daily rollup snapshot counted expiring waivers in (scorecards.md §2.10,
 * `scorecards.waivers.expiryWarningDays`): `waiversExpiring14d` of a row is the count within
 * this many days, the `waiversExpiringWithinDays` that `GET /rollups` answers. Stored per row,
 * so a later change of the setting leaves old snapshots readable as to what they counted.
 * Nullable: rows taken before this migration did not record it (their window is unknown, not
 * assumed), and history answers none for them; every snapshot taken since sets it.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('scorecards_rollup_snapshots', t => {
    t.integer('waivers_expiring_within_days').nullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('scorecards_rollup_snapshots', t => {
    t.dropColumn('waivers_expiring_within_days');
  });
};
