/*
 * `GET /entities/changed` lists an entity by the write stamps of the rows naming it. A row that
 * leaves an entity names only its new owner afterwards: re-resolution moving an alias's (or a
 * repository's) rows to another entity or to none (the alias moved or became void, R14), a fact
 * or an edge re-mapped when it is next written. The entity they left was never listed although
 * its evidence changed, so mirrors kept what it had lost. This table holds, per entity ref, when
 * rows last left it; the feed reads it beside the rows. One row per ref, so it stays as small as
 * the catalog.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('evidence_detached_refs', t => {
    t.string('entity_ref', 320).notNullable().primary();
    t.bigInteger('updated_ms').notNullable();
    t.index(['updated_ms'], 'evidence_detached_refs_updated');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('evidence_detached_refs');
};
