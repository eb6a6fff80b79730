import {
  AliasResolution,
  ConnectionType,
  normalizeEdge,
} from '@internal/plugin-evidence-common';
import { Knex } from 'knex';
import { lockSequence, nextSequence } from './EdgeWriter';
import { recordDetachedRefs } from './detachedRefs';
import { EdgeRow } from './rows';

const PAGE = 5000;

/** The columns an edge's names map to: what a remap rewrites. */
const MAPPED_COLUMNS = [
  'client_ref',
  'server_ref',
  'dependent_ref',
  'dependency_ref',
  'interaction',
  'alias_conflict',
] as const;

type MappedColumns = Pick<EdgeRow, (typeof MAPPED_COLUMNS)[number]>;

/**
 * Maps every stored edge's telemetry names anew after the alias map changed (§2.1, R14). An
 * edge still observed is remapped at its next observation anyway; this takes along the edges
 * nobody observes any more, which would otherwise keep naming an alias's old owner until
 * retention. A remapped row gets the next edge sequence (so `GET /edges/changes` readers see
 * it) and the write stamp of re-resolution, and the entities it left are recorded as detached.
 * Returns the rows updated.
 */
export async function remapEdges(
  db: Knex,
  resolveAlias: (name: string) => AliasResolution,
  /** The write stamp, read at each write (a remap of many edges takes a while). */
  now: () => number,
  /** Only these edges (by default every one). */
  only?: (q: Knex.QueryBuilder) => void,
): Promise<number> {
  let updated = 0;
  let after = '';
  for (;;) {
    const rows: (MappedColumns &
      Pick<EdgeRow, 'id' | 'client' | 'server' | 'connection_type'>)[] =
      await db<EdgeRow>('evidence_edges')
        .select('id', 'client', 'server', 'connection_type', ...MAPPED_COLUMNS)
        .where('id', '>', after)
        .modify(q => only?.(q))
        .orderBy('id')
        .limit(PAGE);
    if (rows.length === 0) return updated;
    after = rows[rows.length - 1].id;
    for (const row of rows) {
      const mapped = normalizeEdge(
        {
          client: row.client,
          server: row.server,
          // stored from a validated write
          connectionType: row.connection_type as ConnectionType,
        },
        resolveAlias,
      );
      if (!mapped) continue;
      const next: MappedColumns = {
        client_ref: mapped.clientRef,
        server_ref: mapped.serverRef,
        dependent_ref: mapped.dependentRef,
        dependency_ref: mapped.dependencyRef,
        interaction: mapped.interaction,
        alias_conflict: mapped.aliasConflict,
      };
      const differs = (current: MappedColumns) =>
        current.client_ref !== next.client_ref ||
        current.server_ref !== next.server_ref ||
        current.dependent_ref !== next.dependent_ref ||
        current.dependency_ref !== next.dependency_ref ||
        current.interaction !== next.interaction ||
        Boolean(current.alias_conflict) !== next.alias_conflict;
      if (!differs(row)) continue;
      updated += await db.transaction(async (trx): Promise<number> => {
        // The edge writer's lock first, then the committed row: the page above was read without
        // it, and in between an observation may have remapped the edge (on another replica, with
        // that replica's alias map) or retention deleted it. Names are the row's natural key and
        // never change, so `next` still applies.
        await lockSequence(trx, 'edges');
        const current: MappedColumns | undefined = await trx<EdgeRow>(
          'evidence_edges',
        )
          .select(...MAPPED_COLUMNS)
          .where({ id: row.id })
          .first();
        if (!current || !differs(current)) return 0;
        const seq = await nextSequence(trx, 'edges');
        const nowMs = now();
        await recordDetachedRefs(
          trx,
          [current.dependent_ref, current.dependency_ref],
          [next.dependent_ref, next.dependency_ref],
          nowMs,
        );
        return Number(
          await trx('evidence_edges')
            .where({ id: row.id })
            .update({ ...next, seq, updated_ms: nowMs }),
        );
      });
    }
  }
}
