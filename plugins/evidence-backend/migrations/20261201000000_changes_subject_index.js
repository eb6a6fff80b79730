/*
 * Ledger reads find changes posted under an alias by their stored subject (`alias:<name>`);
 * without an index on `subject` every entity read scanned the whole ledger (evidence.md §9).
 * The design's index on the `alias` column is replaced, not joined: no query filters on that
 * column (alias reads go through `subject`), and each extra index costs every batch insert.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('evidence_changes', t => {
    t.dropIndex(['alias'], 'evidence_changes_alias');
    t.index(['subject'], 'evidence_changes_subject');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('evidence_changes', t => {
    t.dropIndex(['subject'], 'evidence_changes_subject');
    t.index(['alias'], 'evidence_changes_alias');
  });
};
