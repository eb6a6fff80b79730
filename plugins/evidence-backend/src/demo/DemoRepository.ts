import { Knex } from 'knex';
import { nextSequence } from '../database/EdgeWriter';
import { recordDetachedRefs } from '../database/detachedRefs';
import { MINUTE_MS } from './demoClock';
import { DEMO_LEDGER, demoNaturalKey } from './demoLedger';

/** Tables whose rows carry the `demo` flag (evidence §2.8). */
const DEMO_TABLES = [
  'evidence_fact_history',
  'evidence_facts',
  'evidence_changes',
  'evidence_ci_runs',
  'evidence_source_health',
] as const;

/** Idempotency keys of the seeder (all scopes). */
const DEMO_KEY_PATTERN = 'demo:%';

/**
 * The demo's own reads and writes beside the ingestion path: where the seeded ledger anchors
 * `T`, health rows for collectors the demo stands in for, and the purge of every demo row.
 */
export class DemoRepository {
  constructor(private readonly db: Knex) {}

  /**
   * `T` of an earlier seed (epoch ms), recovered from a seeded ledger record, so a reseed after a
   * restart posts the same bodies and replays instead of colliding with its own keys.
   */
  async findAnchor(): Promise<number | undefined> {
    const keys = DEMO_LEDGER.map(entry => ({
      entry,
      key: demoNaturalKey(entry),
    }));
    const rows: {
      source_system: string;
      external_id: string;
      started_ms: unknown;
    }[] = await this.db('evidence_changes')
      .where({ demo: true })
      .whereIn(
        'external_id',
        keys.map(k => k.key.externalId),
      )
      .select('source_system', 'external_id', 'started_ms');
    for (const row of rows) {
      const match = keys.find(
        k =>
          k.key.system === row.source_system &&
          k.key.externalId === row.external_id,
      );
      if (match) {
        return Number(row.started_ms) - match.entry.startedMin * MINUTE_MS;
      }
    }
    return undefined;
  }

  /** Sources that have a health row. */
  async healthSources(): Promise<Set<string>> {
    const rows = await this.db('evidence_source_health').select('source');
    return new Set(rows.map(row => row.source as string));
  }

  /** Flags health rows the seed created (push sources such as `ledger`) as demo rows. */
  async markHealthDemo(except: Set<string>): Promise<void> {
    const created = [...(await this.healthSources())].filter(
      source => !except.has(source),
    );
    if (created.length === 0) return;
    await this.db('evidence_source_health')
      .whereIn('source', created)
      .update({ demo: true });
  }

  /**
   * Health `ok` for sources whose real collector is not configured (evidence §7.1). A health row
   * written by a real collector is left alone.
   */
  async confirmDemoHealth(
    sources: readonly string[],
    at: number,
  ): Promise<void> {
    for (const source of sources) {
      const existing = await this.db('evidence_source_health')
        .where({ source })
        .first();
      if (!existing) {
        await this.db('evidence_source_health')
          .insert({
            source,
            status: 'ok',
            since_ms: at,
            last_attempt_ms: at,
            last_success_ms: at,
            last_error: null,
            demo: true,
          })
          .onConflict('source')
          .ignore();
      } else if (existing.demo === true || Number(existing.demo) === 1) {
        await this.db('evidence_source_health')
          .where({ source, demo: true })
          .update({ last_attempt_ms: at, last_success_ms: at });
      }
    }
  }

  /**
   * Deletes every demo row in one transaction and returns how many: facts and their history,
   * changes (with their share of ledger coverage), edges (leaving tombstones so the edge feed
   * reports them removed), CI runs, health rows, and the seeder's idempotency keys so that a
   * later reseed writes again instead of replaying.
   */
  async deleteAll(clock: () => number): Promise<number> {
    const at = clock();
    return this.db.transaction(async trx => {
      let deleted = 0;
      const losing = await demoEntityRefs(trx);
      await this.subtractCoverage(trx);

      const edges = await trx('evidence_edges')
        .where({ demo: true })
        .select('id');
      for (const edge of edges) {
        const seq = await nextSequence(trx, 'edges');
        await trx('evidence_edge_tombstones')
          .insert({ edge_id: edge.id, seq, removed_ms: at })
          .onConflict('edge_id')
          .merge();
      }
      deleted += await trx('evidence_edges').where({ demo: true }).delete();

      for (const table of DEMO_TABLES) {
        deleted += await trx(table).where({ demo: true }).delete();
      }
      await trx('evidence_idempotency')
        .where('idem_key', 'like', DEMO_KEY_PATTERN)
        .delete();
      // The change feed lists what was written, not what was deleted: the entities losing demo
      // evidence are recorded as left (R14), so mirrors (the scorecards catalog module) re-read
      // them at their next poll instead of keeping the demo's facts and ledger until a full read.
      // Stamped when the deletes are done, not when they began: a purge of a large demo taking
      // longer than the 30 s polls overlap would commit a stamp behind every later poll's `since`.
      await recordDetachedRefs(trx, losing, [], clock());
      return deleted;
    });
  }

  /**
   * Coverage (kept forever, §2.3) counts every change; take the demo changes back out so an
   * entity with only demo records reads "no coverage" again.
   */
  private async subtractCoverage(trx: Knex.Transaction): Promise<void> {
    const demoChanges = await trx('evidence_changes')
      .where({ demo: true })
      .select('entity_ref', 'subject', 'kind', 'environment');
    const counts = new Map<
      string,
      { entityRef: string; kind: string; environment: string; count: number }
    >();
    for (const row of demoChanges) {
      const entityRef = (row.entity_ref ?? row.subject) as string;
      const id = `${entityRef}\u0000${row.kind}\u0000${row.environment}`;
      const entry = counts.get(id) ?? {
        entityRef,
        kind: row.kind,
        environment: row.environment,
        count: 0,
      };
      entry.count += 1;
      counts.set(id, entry);
    }
    for (const { entityRef, kind, environment, count } of counts.values()) {
      const where = { entity_ref: entityRef, kind, environment };
      const coverage = await trx('evidence_change_coverage')
        .where(where)
        .first();
      if (!coverage) continue;
      const remaining = Number(coverage.count) - count;
      if (remaining <= 0) {
        await trx('evidence_change_coverage').where(where).delete();
        continue;
      }
      const bounds = await trx('evidence_changes')
        .where({ kind, environment, demo: false })
        .where(q =>
          q.where({ entity_ref: entityRef }).orWhere({ subject: entityRef }),
        )
        .min('effective_ms as first')
        .max('effective_ms as last')
        .first();
      await trx('evidence_change_coverage')
        .where(where)
        .update({
          count: remaining,
          ...(bounds?.first !== null && bounds?.first !== undefined
            ? { first_ms: Number(bounds.first), last_ms: Number(bounds.last) }
            : {}),
        });
    }
  }
}

/** Every entity demo rows name (facts, changes, both ends of edges), before they are deleted. */
async function demoEntityRefs(trx: Knex.Transaction): Promise<string[]> {
  const refs = new Set<string>();
  const named = async (table: string, column: string) => {
    const rows = await trx(table)
      .distinct(`${column} as ref`)
      .where({ demo: true })
      .whereNotNull(column);
    for (const row of rows) refs.add(row.ref);
  };
  await named('evidence_facts', 'entity_ref');
  await named('evidence_changes', 'entity_ref');
  await named('evidence_edges', 'dependent_ref');
  await named('evidence_edges', 'dependency_ref');
  return [...refs];
}
