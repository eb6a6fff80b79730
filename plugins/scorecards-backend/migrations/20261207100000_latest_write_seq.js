/*
 * Write order of the latest rows, so that reads over the whole catalog (`GET /rollups`,
 * `/checks`, `/campaigns`, the daily rollup snapshot) parse only the summaries written since
 * their previous read instead of every row on every request (~0.5 s at 5,000 entities):
 *
 * - `scorecards_latest_writes`: one row, `seq` raised by every transaction that writes latest
 *   rows and `reset_seq` set to it by every transaction that deletes some (a reader's copy older
 *   than `reset_seq` is read again whole);
 * - `scorecards_latest.write_seq`: the `seq` of the transaction that wrote the row (null on rows
 *   written before this migration: a first read reads every row anyway), indexed because the
 *   column sits behind the large JSON columns of each row.
 *
 * Anything that writes `scorecards_latest` outside `ScorecardsStore` (a later migration, an
 * operator's fix) must raise `reset_seq` too (`markLatestRewritten`), or replicas keep serving
 * what they had parsed.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('scorecards_latest_writes', t => {
    t.integer('id').primary().notNullable();
    t.bigInteger('seq').notNullable();
    t.bigInteger('reset_seq').notNullable();
  });
  await knex('scorecards_latest_writes').insert({
    id: 1,
    seq: 0,
    reset_seq: 0,
  });
  await knex.schema.alterTable('scorecards_latest', t => {
    t.bigInteger('write_seq').nullable();
    t.index(['write_seq'], 'scorecards_latest_write_seq');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('scorecards_latest', t => {
    t.dropIndex([], 'scorecards_latest_write_seq');
    t.dropColumn('write_seq');
  });
  await knex.schema.dropTable('scorecards_latest_writes');
};
