/*
 * Result hash of the latest result set (scorecards.md §2.10, §7.4): `POST /internal/results` is
 * idempotent by (entityRef, resultHash), and a batch is compared with the stored state in one
 * query of (entity_ref, result_hash, changed_at). Computed by the backend from the history
 * snapshot, never taken from a client. Nullable: rows written before this migration get theirs
 * at their next change (until then the hash is computed from snapshot_json when needed).
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('scorecards_latest', t => {
    // `sha256:` + 64 hex digits.
    t.string('result_hash', 80).nullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('scorecards_latest', t => {
    t.dropColumn('result_hash');
  });
};
