/*
 * The action of a step (golden-paths.md §4.8 compensation, §8 "Revert"): compensation runs each
 * step's compensation class, which depends on the action that ran it (`goldenpath:publish:git`,
 * `goldenpath:register`, `goldenpath:database:apply`, `goldenpath:lifecycle`), not on the template's
 * step id. The step claim already carries `action`; it is now kept. Rows claimed before this
 * migration have no action; compensation infers it from the recorded output and `effect_ref`.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('gp_steps', t => {
    t.string('action', 128).nullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('gp_steps', t => {
    t.dropColumn('action');
  });
};
