/*
 * When an entity that left the catalog was first seen (scorecards.md §2.3 "new entity", SR28).
 * The scheduled pass removes a deleted entity's latest row (§2.10), and its `first_seen_at`
 * went with it: an entity deleted and registered again under the same ref (a location
 * unregistered and added back, a catalog-info.yaml moved, a provider's full refresh that
 * briefly dropped it) came back as new, so every `enforce-new` check blocked its deploy gate
 * though it had existed for years. The removed row's `first_seen_at` is kept here and taken
 * back when the entity returns; rows go with history's retention.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('scorecards_departed', t => {
    t.string('entity_ref', 320).primary();
    t.string('first_seen_at', 30).notNullable();
    t.string('departed_at', 30).notNullable();
    t.index(['departed_at'], 'scorecards_departed_at');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('scorecards_departed');
};
