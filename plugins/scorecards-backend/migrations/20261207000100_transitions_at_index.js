/*
 * `scorecards_transitions (at)`: `GET /rollups` and the daily rollup snapshot count the
 * regressions of a window (`at >= ? and regression`), and retention deletes by `at`; the only
 * index led with `entity_ref`, so each read scanned every transition (243 ms at 2M rows on
 * PostgreSQL 15, 5.6 ms with this index; 2026-12-07 review).
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('scorecards_transitions', t => {
    t.index(['at'], 'scorecards_transitions_at');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('scorecards_transitions', t => {
    t.dropIndex([], 'scorecards_transitions_at');
  });
};
