import {
  AliasResolution,
  ConnectionType,
  normalizeEdge,
} from '@internal/plugin-evidence-common';
import { Knex } from 'knex';
import { nextSequence } from './EdgeWriter';
import { recordDetachedRefs } from './detachedRefs';
import { EdgeRow } from './rows';

const PAGE = 5000;

type MappedColumns = Pick<
  EdgeRow,
  | 'client_ref'
  | 'server_ref'
  | 'dependent_ref'
  | 'dependency_ref'
  | 'interaction'
  | 'alias_conflict'
>;

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
  nowMs: number,
): Promise<number> {
  let updated = 0;
  let after = '';
  for (;;) {
    const rows: (MappedColumns &
      Pick<EdgeRow, 'id' | 'client' | 'server' | 'connection_type'>)[] =
      await db<EdgeRow>('evidence_edges')
        .select(
          'id',
          'client',
          'server',
          'connection_type',
          'client_ref',
          'server_ref',
          'dependent_ref',
          'dependency_ref',
          'interaction',
          'alias_conflict',
        )
        .where('id', '>', after)
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
      const unchanged =
        row.client_ref === next.client_ref &&
        row.server_ref === next.server_ref &&
        row.dependent_ref === next.dependent_ref &&
        row.dependency_ref === next.dependency_ref &&
        row.interaction === next.interaction &&
        Boolean(row.alias_conflict) === next.alias_conflict;
      if (unchanged) continue;
      updated += await db.transaction(async (trx): Promise<number> => {
        // The sequence lock first, as the edge writer takes it: a concurrent observation of the
        // same edge maps it with the same resolver, so whichever commits last agrees.
        const seq = await nextSequence(trx, 'edges');
        await recordDetachedRefs(
          trx,
          [row.dependent_ref, row.dependency_ref],
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
