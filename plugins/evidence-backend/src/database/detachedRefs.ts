import { Knex } from 'knex';

/**
 * Records that rows left the entities `before` named and `after` does not (an alias moved, a
 * subject became void or unmapped), stamped `atMs` — the write stamp the moved rows get. The
 * moved rows name only their new owner, so without this `GET /entities/changed` would never
 * list the entity they left, and mirrors would keep the evidence it lost (R14). Re-resolution
 * records the entity the rows join as well (`after` empty): the feed's `d:` mark tells mirrors
 * that rows moved, not only that they were written (`EvidenceStore.reresolve`).
 */
export async function recordDetachedRefs(
  db: Knex | Knex.Transaction,
  before: readonly (string | null)[],
  after: readonly (string | null)[],
  atMs: number,
): Promise<void> {
  // Sorted, so concurrent writers lock the rows in one order.
  const left = [
    ...new Set(before.filter((r): r is string => !!r && !after.includes(r))),
  ].sort();
  if (left.length === 0) return;
  await db('evidence_detached_refs')
    .insert(left.map(entity_ref => ({ entity_ref, updated_ms: atMs })))
    .onConflict('entity_ref')
    .merge(['updated_ms']);
}
