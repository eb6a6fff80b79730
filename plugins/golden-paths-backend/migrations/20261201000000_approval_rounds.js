/*
 * Approval rounds (golden-paths.md §4.9, §6.2 rule 3): an expired approval of (request, plan
 * digest) is followed by a fresh one with its own id, and the expired one stays on record with its
 * decisions. (request_key, plan_digest) is therefore no longer unique; (request_key, plan_digest,
 * round) is, so two runs that find the same expired approval at once still open one successor
 * (INSERT … ON CONFLICT DO NOTHING on the next round). Existing rows are round 0.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('gp_approvals', t => {
    t.integer('round').notNullable().defaultTo(0);
  });
  await knex.schema.alterTable('gp_approvals', t => {
    t.dropUnique(['request_key', 'plan_digest'], 'gp_approvals_request_digest');
  });
  await knex.schema.alterTable('gp_approvals', t => {
    t.unique(['request_key', 'plan_digest', 'round'], {
      indexName: 'gp_approvals_request_digest_round',
    });
  });
};

/**
 * Back to one approval per (request, plan digest): only the latest round of each is kept; the
 * earlier (expired) rounds and their decisions are dropped.
 *
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  const earlier = knex('gp_approvals as a')
    .select('a.id')
    .whereExists(
      knex('gp_approvals as b')
        .select(knex.raw('1'))
        .whereRaw('b.request_key = a.request_key')
        .andWhereRaw('b.plan_digest = a.plan_digest')
        .andWhereRaw('b.round > a.round'),
    );
  const ids = (await earlier).map(r => r.id);
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    await knex('gp_approval_decisions').whereIn('approval_id', chunk).delete();
    await knex('gp_approvals').whereIn('id', chunk).delete();
  }
  await knex.schema.alterTable('gp_approvals', t => {
    t.dropUnique(
      ['request_key', 'plan_digest', 'round'],
      'gp_approvals_request_digest_round',
    );
  });
  await knex.schema.alterTable('gp_approvals', t => {
    t.dropColumn('round');
  });
  await knex.schema.alterTable('gp_approvals', t => {
    t.unique(['request_key', 'plan_digest'], {
      indexName: 'gp_approvals_request_digest',
    });
  });
};
