/*
 * Ledger reads find changes posted under an alias (`alias:<name>`) by their stored subject;
 * without an index each entity read scanned the whole ledger (evidence.md §9 read target).
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('evidence_changes', t => {
    t.index(['subject'], 'evidence_changes_subject');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('evidence_changes', t => {
    t.dropIndex(['subject'], 'evidence_changes_subject');
  });
};
