import {
  EdgeInput,
  NormalizedEdge,
  Warning,
  clampToReceipt,
  mergeEdgeObservation,
  normalizeEdge,
  timestampMs,
  toIsoTimestamp,
} from '@internal/plugin-evidence-common';
import { Knex } from 'knex';
import { ulid } from 'ulid';
import { recordDetachedRefs } from './detachedRefs';
import { EdgeRow, edgeFromRow } from './rows';
import { WriteContext, WriteResult } from './writeContext';

/**
 * The next value of a named sequence. The counter row's lock is held until commit, so on
 * PostgreSQL concurrent writers take values in commit order and an edge-feed cursor never skips
 * a row; SQLite has a single writer anyway.
 */
export async function nextSequence(
  trx: Knex.Transaction,
  name: string,
): Promise<number> {
  await trx('evidence_sequences')
    .where({ name })
    .update({ value: trx.raw('value + 1') });
  const row = await trx('evidence_sequences').where({ name }).first();
  return Number(row.value);
}

/**
 * Takes a named sequence's counter-row lock without using a value, so a transaction that
 * decides from reads (retention choosing edges to delete) sees what concurrent writers
 * committed before it and none of them can interleave until it commits.
 */
export async function lockSequence(
  trx: Knex.Transaction,
  name: string,
): Promise<void> {
  await trx('evidence_sequences')
    .where({ name })
    .update({ value: trx.raw('value') });
}

/**
 * Row of `evidence_sequences` holding the newest pruned tombstone's `seq`: feed cursors below
 * it can no longer be answered (410 CURSOR_EXPIRED).
 */
export const PRUNED_MARK = 'edges-pruned';

/** The last committed value of a named sequence (0 when the row does not exist yet). */
export async function currentSequence(db: Knex, name: string): Promise<number> {
  const row = await db('evidence_sequences').where({ name }).first();
  return row ? Number(row.value) : 0;
}

/**
 * Upserts one observed edge by its natural key (source, client, server, connectionType) with the
 * merge rules of §2.4; a raw self-loop is never stored and comes back as undefined.
 */
export async function writeEdge(
  ctx: WriteContext,
  input: EdgeInput,
): Promise<WriteResult | undefined> {
  const mapped = normalizeEdge(input, ctx.resolver.resolveAlias);
  if (!mapped) return undefined;
  const warnings: Warning[] = [];
  const lastSeen = clampToReceipt(
    input.lastSeen,
    ctx.nowIso,
    ctx.options.maxSkewSeconds,
  );
  const firstSeen = clampToReceipt(
    input.firstSeen ?? input.lastSeen,
    ctx.nowIso,
    ctx.options.maxSkewSeconds,
  );
  if (lastSeen.skewed || firstSeen.skewed) {
    warnings.push({
      code: 'SKEWED',
      field: 'lastSeen',
      message: `timestamps more than ${ctx.options.maxSkewSeconds} s ahead of the server clock are read as ${ctx.nowIso}`,
    });
  }
  const incoming = {
    ...input,
    firstSeen: firstSeen.value,
    lastSeen: lastSeen.value,
  };
  // The sequence comes first. Its lock serializes edge writers and retention, so the row read
  // below is the committed one: an edge refreshed while retention deletes it is not lost, and
  // two first writes of one natural key meet as insert and update instead of colliding.
  const seq = await nextSequence(ctx.trx, 'edges');
  const existing = await ctx
    .trx<EdgeRow>('evidence_edges')
    .where({
      source: input.source,
      client: input.client,
      server: input.server,
      connection_type: input.connectionType,
    })
    .first();
  const merged = existing
    ? mergeEdgeObservation(
        {
          ...incoming,
          firstSeen: toIsoTimestamp(Number(existing.first_seen_ms)),
          lastSeen: toIsoTimestamp(Number(existing.last_seen_ms)),
          requestsPerMinute: existing.rpm ?? undefined,
          errorRatio: existing.error_ratio ?? undefined,
        },
        incoming,
      )
    : incoming;
  // Before the alias map's first load (a replica just started) every name would map to
  // nothing: a stored edge keeps its ends instead of leaving both entities until the next remap.
  const normalized =
    existing && !ctx.resolver.isLoaded ? storedEnds(existing, mapped) : mapped;
  const row: EdgeRow = {
    id: existing?.id ?? ulid(ctx.now),
    source: input.source,
    client: input.client,
    server: input.server,
    connection_type: input.connectionType,
    client_ref: normalized.clientRef,
    server_ref: normalized.serverRef,
    dependent_ref: normalized.dependentRef,
    dependency_ref: normalized.dependencyRef,
    interaction: normalized.interaction,
    alias_conflict: normalized.aliasConflict,
    first_seen_ms: timestampMs(merged.firstSeen),
    last_seen_ms: timestampMs(merged.lastSeen),
    collected_ms: ctx.now,
    rpm: merged.requestsPerMinute ?? null,
    error_ratio: merged.errorRatio ?? null,
    seq,
    demo: ctx.demo,
    updated_ms: ctx.writtenAt ?? ctx.now,
  };
  if (existing) {
    // Each observation maps the names anew: after an alias moved the edge leaves its old ends.
    await recordDetachedRefs(
      ctx.trx,
      [existing.dependent_ref, existing.dependency_ref],
      [row.dependent_ref, row.dependency_ref],
      ctx.writtenAt ?? ctx.now,
    );
    await ctx.trx('evidence_edges').where({ id: existing.id }).update(row);
  } else {
    await ctx.trx('evidence_edges').insert(row);
  }
  return {
    status: existing ? 200 : 201,
    id: row.id,
    entityRefs: [normalized.dependentRef, normalized.dependencyRef].filter(
      (r): r is string => r !== null,
    ),
    response: {
      record: edgeFromRow(row, ctx.nowIso, ctx.options.edges.freshForSeconds),
      warnings,
    },
  };
}

/** The ends an edge was stored with, in the form `normalizeEdge` answers. */
function storedEnds(existing: EdgeRow, mapped: NormalizedEdge): NormalizedEdge {
  return {
    ...mapped,
    clientRef: existing.client_ref,
    serverRef: existing.server_ref,
    dependentRef: existing.dependent_ref,
    dependencyRef: existing.dependency_ref,
    aliasConflict: Boolean(existing.alias_conflict),
  };
}
