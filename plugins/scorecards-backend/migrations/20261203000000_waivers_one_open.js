/*
 * One pending or active waiver per (entity, check) (scorecards.md §2.8), enforced by the
 * database: a partial unique index over the open rows, so that two replicas or a retried
 * request cannot both pass the check-then-insert of `POST /waivers`. Partial indexes are plain
 * SQL on SQLite (≥ 3.8) and PostgreSQL alike.
 *
 * Rows that would violate it are resolved first, deterministically:
 * 1. open rows whose expiry has passed (or does not parse) become `expired`, as the scheduled
 *    pass would have marked them (a pending waiver nobody decided on lapses too);
 * 2. of several remaining open rows of one pair, the one that counts stays — active before
 *    pending, then the latest expiry, then the smallest id (the order `activeWaiverFor` of
 *    scorecards-common picks in) — and the others become `revoked` by `plugin:scorecards`
 *    with a decision reason that says why. None of them counted: only the kept one did.
 * Down drops the index only; the closed rows stay closed.
 */

// @ts-check

const INDEX = 'scorecards_waivers_one_open';
const DUPLICATE_REASON =
  'duplicate: one pending or active waiver per entity and check (migration 20261203000000)';
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/** @param {unknown} instant @param {number} nowMs */
function lapsed(instant, nowMs) {
  if (typeof instant !== 'string' || !ISO_UTC.test(instant)) return true;
  const ms = Date.parse(instant);
  return !(ms > nowMs);
}

/**
 * @param {{ id: string; status: string; expires_at: string }} a
 * @param {{ id: string; status: string; expires_at: string }} b
 */
function byPreference(a, b) {
  if (a.status !== b.status) return a.status === 'active' ? -1 : 1;
  const expiry = Date.parse(b.expires_at) - Date.parse(a.expires_at);
  if (expiry !== 0) return expiry;
  if (a.id < b.id) return -1;
  return a.id > b.id ? 1 : 0;
}

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  const now = new Date().toISOString();
  const nowMs = Date.parse(now);
  /** @type {{ id: string; entity_ref: string; check_id: string; status: string; expires_at: string }[]} */
  const open = await knex('scorecards_waivers')
    .whereIn('status', ['pending', 'active'])
    .select('id', 'entity_ref', 'check_id', 'status', 'expires_at');

  const expired = open.filter(w => lapsed(w.expires_at, nowMs)).map(w => w.id);
  /** @type {Map<string, typeof open>} */
  const pairs = new Map();
  for (const w of open) {
    if (lapsed(w.expires_at, nowMs)) continue;
    const key = JSON.stringify([w.entity_ref, w.check_id]);
    pairs.set(key, [...(pairs.get(key) ?? []), w]);
  }
  const duplicates = [...pairs.values()].flatMap(rows =>
    [...rows]
      .sort(byPreference)
      .slice(1)
      .map(w => w.id),
  );

  for (let i = 0; i < expired.length; i += 500) {
    await knex('scorecards_waivers')
      .whereIn('id', expired.slice(i, i + 500))
      .whereIn('status', ['pending', 'active'])
      .update({ status: 'expired' });
  }
  for (let i = 0; i < duplicates.length; i += 500) {
    await knex('scorecards_waivers')
      .whereIn('id', duplicates.slice(i, i + 500))
      .whereIn('status', ['pending', 'active'])
      .update({
        status: 'revoked',
        revoked_at: now,
        revoked_by: 'plugin:scorecards',
        decision_reason: DUPLICATE_REASON,
      });
  }

  // No bound parameters: PostgreSQL takes none in DDL.
  await knex.raw(
    `CREATE UNIQUE INDEX ${INDEX} ON scorecards_waivers (entity_ref, check_id) WHERE status IN ('pending', 'active')`,
  );
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.raw(`DROP INDEX IF EXISTS ${INDEX}`);
};
