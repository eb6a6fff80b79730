/*
 * The route groups of each approval, one row per group (golden-paths.md §6.2 rules 1–2): the
 * inbox (`GET /approvals`) asks for the approvals routed to the caller's groups through the
 * `group_ref` index instead of reading every approval and parsing `routes_json` to filter them.
 * Refs are kept lower-cased (`refKey`), as membership compares them. `routes_json` stays the
 * approval's record; a new approval's rows are written in its insert's transaction. Existing
 * approvals are taken over from their `routes_json`.
 */

// @ts-check

const BATCH = 500;

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('gp_approval_routes', t => {
    t.string('approval_id', 40).notNullable();
    // lower-cased, as `refKey` gives it
    t.string('group_ref', 320).notNullable();
    t.primary(['approval_id', 'group_ref']);
    t.index(['group_ref', 'approval_id'], 'gp_approval_routes_group');
  });

  // Keyset pages by id. A `routes_json` that is not a JSON list (written by hand, cut short)
  // routes to no group: skipped, so one bad row cannot keep the backend from starting.
  let after = '';
  for (;;) {
    const rows = await knex('gp_approvals')
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .select('id', 'routes_json');
    if (rows.length === 0) break;
    const routes = [];
    for (const row of rows) {
      let parsed;
      try {
        parsed = JSON.parse(row.routes_json);
      } catch {
        continue;
      }
      if (!Array.isArray(parsed)) continue;
      const groups = new Set();
      for (const route of parsed) {
        if (route !== null && typeof route === 'object') {
          if (typeof route.group === 'string')
            groups.add(route.group.toLocaleLowerCase('en-US'));
        }
      }
      for (const group of groups)
        routes.push({ approval_id: row.id, group_ref: group });
    }
    for (let i = 0; i < routes.length; i += BATCH) {
      await knex('gp_approval_routes')
        .insert(routes.slice(i, i + BATCH))
        .onConflict(['approval_id', 'group_ref'])
        .ignore();
    }
    after = rows[rows.length - 1].id;
  }
};

/**
 * The rows only mirror `gp_approvals.routes_json`, which keeps every route: nothing is lost.
 *
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('gp_approval_routes');
};
