/*
 * The `evidence-ci-summary-recent` task (evidence.md §2.5, §4.1) recomputes `ci.summary` for the
 * entities whose CI runs were written since its previous pass, every 60 s. Without this index
 * each pass would scan every retained run (90 d); with it a pass reads only the runs written
 * since the last one.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('evidence_ci_runs', t => {
    t.index(['updated_ms'], 'evidence_ci_runs_updated');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('evidence_ci_runs', t => {
    t.dropIndex(['updated_ms'], 'evidence_ci_runs_updated');
  });
};
