/*
 * Once-per-task close records (golden-paths.md §4.5, §4.9 ledger:close, V2): a task's successful
 * close of a request (`succeeded`, or `replayed` when the request had already succeeded) is
 * recorded once. Which close records is decided inside the close's transaction by inserting the
 * (request_key, task_id) marker — INSERT … ON CONFLICT DO NOTHING — instead of reading the audit
 * trail after the commit, where two closes of one task arriving together both found nothing and
 * both recorded. Existing successful closes are taken over from `gp_events`, so a retry of a close
 * recorded before this migration still records nothing.
 */

// @ts-check

const CLOSE_ACTION = 'goldenpath:ledger:close';
const BATCH = 500;

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('gp_close_records', t => {
    t.string('request_key', 128).notNullable();
    t.string('task_id', 128).notNullable();
    // `succeeded` or `replayed`: what the recorded close was.
    t.string('outcome', 16).notNullable();
    t.string('recorded_at', 30).notNullable();
    t.primary(['request_key', 'task_id']);
  });

  // Keyset pages by id; the LIKE only narrows the rows, the parsed record decides. Only closes of
  // requests still in `gp_requests`: retention keeps events (400 days) longer than succeeded
  // requests (90), no close can come for a deleted request, and retention deletes markers with
  // their request's row, so a marker taken over for one already gone would stay forever.
  let after = '';
  for (;;) {
    const rows = await knex('gp_events')
      .where('event_type', 'golden-path-step')
      .andWhere('record_json', 'like', `%${CLOSE_ACTION}%`)
      .andWhere('id', '>', after)
      .whereIn('request_key', knex('gp_requests').select('request_key'))
      .orderBy('id')
      .limit(BATCH)
      .select('id', 'request_key', 'at', 'record_json');
    if (rows.length === 0) break;
    const markers = [];
    for (const row of rows) {
      // A record that is not JSON (written by hand, cut short) names no close: skipped, so one
      // bad row cannot keep the backend from starting.
      let record;
      try {
        record = JSON.parse(row.record_json);
      } catch {
        continue;
      }
      const isClose =
        record !== null &&
        typeof record === 'object' &&
        record.action === CLOSE_ACTION &&
        typeof record.taskId === 'string' &&
        (record.result === 'succeeded' || record.result === 'replayed');
      if (!isClose) continue;
      markers.push({
        request_key: row.request_key,
        task_id: record.taskId,
        outcome: record.result,
        recorded_at: row.at,
      });
    }
    if (markers.length) {
      await knex('gp_close_records')
        .insert(markers)
        .onConflict(['request_key', 'task_id'])
        .ignore();
    }
    after = rows[rows.length - 1].id;
  }
};

/**
 * The markers only mirror `gp_events`, which keeps every close record: nothing is lost.
 *
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('gp_close_records');
};
