import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  Campaign,
  EntityEvaluation,
  HistorySnapshot,
  Transition,
  Waiver,
  summarizeEvaluation,
} from '@internal/plugin-scorecards-common';
import { isPostgres, lockKeys } from '@internal/suite-node';
import { Knex } from 'knex';
import {
  LatestSummaryCache,
  LatestSummaryCacheOptions,
  LatestSummaryRow,
} from './LatestSummaryCache';
import { raiseLatestWriteSeq } from './latestWrites';

export type { LatestSummaryRow } from './LatestSummaryCache';

const migrationsDir = resolvePackagePath(
  '@internal/plugin-scorecards-backend',
  'migrations',
);

/** Where a page of waivers ends: the (createdAt, id) of its last row, in list order. */
export interface WaiverPosition {
  createdAt: string;
  id: string;
}

/** The stored latest state of one entity. */
export interface LatestRow {
  entityRef: string;
  snapshot: HistorySnapshot;
  evaluation: EntityEvaluation;
  firstSeenAt: string;
  changedAt: string;
  /** Hash of `snapshot` (recordEvaluation.ts); absent on rows written before it was stored. */
  resultHash?: string;
}

/** What `updateLatestMany` decides for one entity: its answer, and what to write, if anything. */
export interface LatestDecision<T> {
  value: T;
  write?: { latest: LatestRow; transitions: readonly Transition[] };
}

// Rows per statement: 8 and 11 bound values per row stay far below SQLite's and PostgreSQL's
// limits on bound parameters; larger statements bought nothing measurable.
const READ_CHUNK = 500;
/** The store's space of `lockKeys` (ASCII "scl1"): the latest state of an entity, by ref. */
const LATEST_LOCK_SPACE = 0x73636c31;
const LATEST_WRITE_CHUNK = 200;
const TRANSITION_WRITE_CHUNK = 150;

/** What `updateLatestMany` compares first: the stored hash and change time of an entity. */
export interface LatestHead {
  resultHash?: string;
  changedAt: string;
}

type WaiverRow = {
  id: string;
  entity_ref: string;
  check_id: string;
  kind: Waiver['kind'];
  reason: string;
  owner: string;
  requested_by: string;
  approved_by: string | null;
  created_at: string;
  approved_at: string | null;
  expires_at: string;
  revoked_at: string | null;
  ticket: string | null;
  status: Waiver['status'];
  /** Reason of the last approve, reject or revoke (migration 20261201000000). */
  decision_reason: string | null;
  revoked_by: string | null;
};

function toWaiver(r: WaiverRow): Waiver {
  return {
    id: r.id,
    entityRef: r.entity_ref,
    checkId: r.check_id,
    kind: r.kind,
    reason: r.reason,
    owner: r.owner,
    requestedBy: r.requested_by,
    ...(r.approved_by ? { approvedBy: r.approved_by } : {}),
    createdAt: r.created_at,
    ...(r.approved_at ? { approvedAt: r.approved_at } : {}),
    expiresAt: r.expires_at,
    ...(r.revoked_at ? { revokedAt: r.revoked_at } : {}),
    ...(r.decision_reason ? { decisionReason: r.decision_reason } : {}),
    ...(r.revoked_by ? { revokedBy: r.revoked_by } : {}),
    ...(r.ticket ? { ticket: r.ticket } : {}),
    status: r.status,
  };
}

/** Days a deleted entity's first-seen time is kept for its return (`scorecards_departed`). */
export const DEFAULT_DEPARTED_GRACE_DAYS = 14;

/** Options of {@link ScorecardsStore}. */
export interface ScorecardsStoreOptions {
  /**
   * How long a deleted entity's first-seen time is taken back when it is registered again under
   * its ref (`scorecards.history.departedGraceDays`); default 14 days.
   */
  departedGraceMs?: number;
  /** Options of the parsed summaries kept between reads (`listLatestSummaries`). */
  summaries?: LatestSummaryCacheOptions;
}

/** Storage of latest results, transitions, waivers and campaigns (§2.8, §2.10, §2.11). */
export class ScorecardsStore {
  static async create(
    database: DatabaseService,
    options: ScorecardsStoreOptions = {},
  ): Promise<ScorecardsStore> {
    const knex = await database.getClient();
    if (!database.migrations?.skip) {
      await knex.migrate.latest({
        directory: migrationsDir,
        tableName: 'scorecards_knex_migrations',
      });
    }
    return new ScorecardsStore(knex, options);
  }

  /** `scorecards.history.departedGraceDays`, in milliseconds. */
  readonly departedGraceMs: number;

  readonly #summaries: LatestSummaryCache;

  constructor(readonly db: Knex, options: ScorecardsStoreOptions = {}) {
    this.departedGraceMs =
      options.departedGraceMs ?? DEFAULT_DEPARTED_GRACE_DAYS * 86400_000;
    this.#summaries = new LatestSummaryCache(db, options.summaries);
  }

  // ---- latest results and history ----

  async getLatest(entityRef: string): Promise<LatestRow | undefined> {
    const row = await this.db('scorecards_latest')
      .where({ entity_ref: entityRef })
      .first();
    return row ? this.toLatest(row) : undefined;
  }

  async listLatest(): Promise<LatestRow[]> {
    const rows = await this.db('scorecards_latest').orderBy('entity_ref');
    return rows.map(r => this.toLatest(r));
  }

  /**
   * Every latest result set as its summary, in entity-ref order: what rollups, campaigns and
   * check summaries read. Parsed once per write, not per read (`LatestSummaryCache`); the
   * summaries are shared between reads and must not be changed.
   */
  listLatestSummaries(): Promise<LatestSummaryRow[]> {
    return this.#summaries.read();
  }

  private toLatest(row: any): LatestRow {
    return {
      entityRef: row.entity_ref,
      snapshot: JSON.parse(row.snapshot_json),
      evaluation: JSON.parse(row.evaluation_json),
      firstSeenAt: row.first_seen_at,
      changedAt: row.changed_at,
      ...(row.result_hash ? { resultHash: row.result_hash } : {}),
    };
  }

  /** Stored result hash and change time of those of `refs` that have a latest row. */
  async latestHeads(refs: readonly string[]): Promise<Map<string, LatestHead>> {
    const heads = new Map<string, LatestHead>();
    for (let i = 0; i < refs.length; i += 500) {
      const rows = await this.db('scorecards_latest')
        .whereIn('entity_ref', refs.slice(i, i + 500))
        .select('entity_ref', 'result_hash', 'changed_at');
      for (const r of rows) {
        heads.set(r.entity_ref, {
          ...(r.result_hash ? { resultHash: r.result_hash } : {}),
          changedAt: r.changed_at,
        });
      }
    }
    return heads;
  }

  /**
   * Compare-and-write of the latest state of entities in one transaction: reads the stored rows
   * of every ref (locked on PostgreSQL in entity-ref order, so the scheduled pass and
   * `POST /internal/results` on any replica write one entity one after the other, and two
   * writers of overlapping batches wait instead of deadlocking), lets `decide` compare each ref
   * in the order given with its new evaluation — a ref given twice sees what the first decision
   * wrote — and writes the latest rows and transitions it returns in multi-row statements. One
   * transaction per batch instead of one per entity is what makes a bulk import's results cheap
   * to store (docs/benchmarks.md).
   */
  async updateLatestMany<T>(
    entityRefs: readonly string[],
    decide: (
      index: number,
      current: LatestRow | undefined,
    ) => LatestDecision<T>,
  ): Promise<T[]> {
    if (entityRefs.length === 0) return [];
    return this.db.transaction(async tx => {
      // First, before any row lock (latestWrites.ts).
      const writeSeq = await raiseLatestWriteSeq(tx);
      const current = await this.readLatestForUpdate(tx, entityRefs);
      const stored = new Set(current.keys());
      const latest = new Map<string, LatestRow>();
      const transitions: Transition[] = [];
      const values = entityRefs.map((ref, i) => {
        const { value, write } = decide(i, current.get(ref));
        if (write) {
          current.set(ref, write.latest);
          latest.set(ref, write.latest);
          transitions.push(...write.transitions);
        }
        return value;
      });
      await this.takeBackFirstSeen(tx, latest, stored);
      await this.writeLatestRows(tx, [...latest.values()], writeSeq);
      await this.writeTransitions(tx, transitions);
      return values;
    });
  }

  /**
   * A first latest row of an entity that had left the catalog and came back under its ref keeps
   * the `firstSeenAt` it left with (the earlier of the two), and the departed row goes.
   */
  private async takeBackFirstSeen(
    tx: Knex.Transaction,
    latest: Map<string, LatestRow>,
    stored: ReadonlySet<string>,
  ): Promise<void> {
    const first = [...latest.keys()].filter(ref => !stored.has(ref));
    if (first.length === 0) return;
    const at = first
      .map(ref => latest.get(ref)!.changedAt)
      .reduce((a, b) => (a > b ? a : b));
    const departed = await this.departedFirstSeen(first, at, tx);
    for (const [ref, firstSeenAt] of departed) {
      const row = latest.get(ref)!;
      if (firstSeenAt < row.firstSeenAt)
        latest.set(ref, { ...row, firstSeenAt });
    }
    // back, or new under a retired ref: the departed row has served either way
    await tx('scorecards_departed').whereIn('entity_ref', first).delete();
  }

  /** The stored latest state of those of `refs` that have one, by entity ref. */
  async getLatestMany(
    entityRefs: readonly string[],
  ): Promise<Map<string, LatestRow>> {
    return this.readLatest(this.db, entityRefs, false);
  }

  private async readLatestForUpdate(
    tx: Knex.Transaction,
    entityRefs: readonly string[],
  ): Promise<Map<string, LatestRow>> {
    // Locks on PostgreSQL only, as `lockKeys` takes them: SQLite has no row locks (knex warns
    // on forUpdate) and its writes are serialized anyway.
    const lock = isPostgres(this.db);
    if (!lock) return this.readLatest(tx, entityRefs, false);
    // A row lock holds nothing for an entity without a row yet: two first writes both read
    // none, and the one committed last replaced the newer state. Those refs' own locks
    // serialize them; only those, so a batch of known entities takes no advisory lock (each
    // holds a slot of PostgreSQL's shared lock table until the transaction ends).
    const known = await this.readLatest(tx, entityRefs, false);
    await lockKeys(
      tx,
      LATEST_LOCK_SPACE,
      entityRefs.filter(ref => !known.has(ref)),
    );
    return this.readLatest(tx, entityRefs, lock);
  }

  private async readLatest(
    db: Knex,
    entityRefs: readonly string[],
    lock: boolean,
  ): Promise<Map<string, LatestRow>> {
    const refs = [...new Set(entityRefs)].sort();
    const rows = new Map<string, LatestRow>();
    for (let i = 0; i < refs.length; i += READ_CHUNK) {
      const query = db('scorecards_latest')
        .whereIn('entity_ref', refs.slice(i, i + READ_CHUNK))
        .orderBy('entity_ref');
      if (lock) query.forUpdate();
      for (const row of await query)
        rows.set(row.entity_ref, this.toLatest(row));
    }
    return rows;
  }

  private async writeLatestRows(
    tx: Knex.Transaction,
    latest: readonly LatestRow[],
    writeSeq: number,
  ): Promise<void> {
    for (let i = 0; i < latest.length; i += LATEST_WRITE_CHUNK) {
      const rows = latest.slice(i, i + LATEST_WRITE_CHUNK).map(l => ({
        entity_ref: l.entityRef,
        level: l.snapshot.level,
        entity_hash: l.snapshot.entityHash,
        snapshot_json: JSON.stringify(l.snapshot),
        evaluation_json: JSON.stringify(l.evaluation),
        summary_json: JSON.stringify(summarizeEvaluation(l.evaluation)),
        first_seen_at: l.firstSeenAt,
        changed_at: l.changedAt,
        result_hash: l.resultHash ?? null,
        write_seq: writeSeq,
      }));
      await tx('scorecards_latest')
        .insert(rows)
        .onConflict('entity_ref')
        .merge();
    }
  }

  private async writeTransitions(
    tx: Knex.Transaction,
    transitions: readonly Transition[],
  ): Promise<void> {
    for (let i = 0; i < transitions.length; i += TRANSITION_WRITE_CHUNK) {
      await tx('scorecards_transitions').insert(
        transitions.slice(i, i + TRANSITION_WRITE_CHUNK).map(t => ({
          entity_ref: t.entityRef,
          check_id: t.checkId,
          from_state: t.from,
          to_state: t.to,
          from_reason: t.fromReason ?? null,
          to_reason: t.toReason ?? null,
          at: t.at,
          cause: t.cause,
          check_version: t.checkVersion,
          evidence_observed_at: t.evidenceObservedAt ?? null,
          regression: t.regression,
        })),
      );
    }
  }

  /**
   * Removes entities that left the catalog from "latest"; their history stays (§2.10). Only rows
   * last changed before `snapshotAtMs`, when the catalog answer `refs` was read: a row written
   * since (the first results of an entity registered while the pass ran) is not the snapshot's
   * to judge, as `inCatalog` says for reads.
   */
  async removeLatestExcept(
    refs: ReadonlySet<string>,
    snapshotAtMs: number,
  ): Promise<number> {
    const stored: { entity_ref: string; changed_at: string }[] = await this.db(
      'scorecards_latest',
    ).select('entity_ref', 'changed_at');
    const gone = stored
      .filter(
        r => !refs.has(r.entity_ref) && Date.parse(r.changed_at) < snapshotAtMs,
      )
      .map(r => r.entity_ref);
    const before = new Date(snapshotAtMs).toISOString();
    for (let i = 0; i < gone.length; i += 500) {
      const chunk = gone.slice(i, i + 500);
      await this.db.transaction(async tx => {
        // Kept for when the entity returns under the same ref (`takeBackFirstSeen`).
        const departing: { entity_ref: string; first_seen_at: string }[] =
          await tx('scorecards_latest')
            .whereIn('entity_ref', chunk)
            .where('changed_at', '<', before)
            .select('entity_ref', 'first_seen_at');
        if (departing.length === 0) return;
        // Before the rows' locks, as every writer (latestWrites.ts); readers copy anew.
        await raiseLatestWriteSeq(tx, { reset: true });
        await tx('scorecards_departed')
          .insert(
            departing.map(r => ({
              entity_ref: r.entity_ref,
              first_seen_at: r.first_seen_at,
              departed_at: before,
            })),
          )
          .onConflict('entity_ref')
          .merge();
        await tx('scorecards_latest')
          .whereIn(
            'entity_ref',
            departing.map(r => r.entity_ref),
          )
          .where('changed_at', '<', before)
          .delete();
      });
    }
    return gone.length;
  }

  /**
   * When each of `refs` that left the catalog was first seen, if it did (`removeLatestExcept`):
   * an entity registered again under its ref is not new (SR28).
   */
  async departedFirstSeen(
    refs: readonly string[],
    at: string,
    db: Knex = this.db,
  ): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    // Only within the grace: a service registered under the ref of one retired long ago is new.
    const since = new Date(Date.parse(at) - this.departedGraceMs).toISOString();
    for (let i = 0; i < refs.length; i += 500) {
      const rows: { entity_ref: string; first_seen_at: string }[] = await db(
        'scorecards_departed',
      )
        .whereIn('entity_ref', refs.slice(i, i + 500))
        .where('departed_at', '>=', since)
        .select('entity_ref', 'first_seen_at');
      for (const r of rows) found.set(r.entity_ref, r.first_seen_at);
    }
    return found;
  }

  async listTransitions(query: {
    entityRef?: string;
    from?: string;
    to?: string;
    checkId?: string;
    regressionsOnly?: boolean;
    /** Level rows only (`check_id` null); `checkId` does not apply then. */
    levelsOnly?: boolean;
  }): Promise<Transition[]> {
    const q = this.db('scorecards_transitions').orderBy([
      { column: 'at', order: 'asc' },
      { column: 'id', order: 'asc' },
    ]);
    if (query.entityRef) q.where('entity_ref', query.entityRef);
    if (query.from) q.where('at', '>=', query.from);
    if (query.to) q.where('at', '<=', query.to);
    if (query.levelsOnly) q.whereNull('check_id');
    else if (query.checkId) q.where('check_id', query.checkId);
    if (query.regressionsOnly) q.where('regression', true);
    const rows = await q;
    return rows.map((r: any) => ({
      entityRef: r.entity_ref,
      checkId: r.check_id,
      from: r.from_state,
      to: r.to_state,
      ...(r.from_reason ? { fromReason: r.from_reason } : {}),
      ...(r.to_reason ? { toReason: r.to_reason } : {}),
      at: r.at,
      cause: r.cause,
      checkVersion: r.check_version,
      ...(r.evidence_observed_at
        ? { evidenceObservedAt: r.evidence_observed_at }
        : {}),
      regression: Boolean(r.regression),
    }));
  }

  // ---- waivers ----

  /**
   * Waivers in (createdAt, id) order; `after` and `limit` read one batch of that order (keyset:
   * the rows after a position, so rows inserted meanwhile never shift a page).
   */
  async listWaivers(
    query: {
      entityRef?: string;
      checkId?: string;
      statuses?: string[];
      /** Stored `expired` rows only if they expired at or after this instant. */
      expiredSince?: string;
      kind?: Waiver['kind'];
      /** Only rows approved at or after this instant. */
      approvedSince?: string;
      after?: WaiverPosition;
      limit?: number;
    } = {},
  ): Promise<Waiver[]> {
    const q = this.db<WaiverRow>('scorecards_waivers').orderBy([
      'created_at',
      'id',
    ]);
    if (query.entityRef) q.where('entity_ref', query.entityRef);
    if (query.checkId) q.where('check_id', query.checkId);
    if (query.statuses) q.whereIn('status', query.statuses);
    if (query.kind) q.where('kind', query.kind);
    if (query.approvedSince !== undefined) {
      q.where('approved_at', '>=', query.approvedSince);
    }
    const expiredSince = query.expiredSince;
    if (expiredSince !== undefined) {
      q.where(b =>
        b
          .whereNot('status', 'expired')
          .orWhere('expires_at', '>=', expiredSince),
      );
    }
    const after = query.after;
    if (after) {
      q.where(b =>
        b
          .where('created_at', '>', after.createdAt)
          .orWhere(c =>
            c
              .where('created_at', after.createdAt)
              .andWhere('id', '>', after.id),
          ),
      );
    }
    if (query.limit !== undefined) q.limit(query.limit);
    return (await q).map(toWaiver);
  }

  async getWaiver(id: string): Promise<Waiver | undefined> {
    const row = await this.db<WaiverRow>('scorecards_waivers')
      .where({ id })
      .first();
    return row ? toWaiver(row as WaiverRow) : undefined;
  }

  /**
   * Stores a new waiver. The database holds at most one `pending` or `active` row per
   * (entity, check) (migration 20261203000000_waivers_one_open): a second one is refused with a
   * unique violation (`isUniqueViolation`), whichever replica inserts it.
   */
  async insertWaiver(w: Waiver): Promise<void> {
    await this.db('scorecards_waivers').insert({
      id: w.id,
      entity_ref: w.entityRef,
      check_id: w.checkId,
      kind: w.kind,
      reason: w.reason,
      owner: w.owner,
      requested_by: w.requestedBy,
      approved_by: w.approvedBy ?? null,
      created_at: w.createdAt,
      approved_at: w.approvedAt ?? null,
      expires_at: w.expiresAt,
      revoked_at: w.revokedAt ?? null,
      ticket: w.ticket ?? null,
      status: w.status,
      decision_reason: w.decisionReason ?? null,
      revoked_by: w.revokedBy ?? null,
    });
  }

  /**
   * Moves a waiver from `fromStatus` only, so concurrent decisions cannot both win; false when
   * it was in none of them (already decided, revoked or expired by someone else).
   */
  async updateWaiver(
    id: string,
    fromStatus: Waiver['status'][],
    patch: Partial<
      Pick<
        WaiverRow,
        | 'status'
        | 'approved_by'
        | 'approved_at'
        | 'revoked_at'
        | 'revoked_by'
        | 'decision_reason'
      >
    >,
  ): Promise<boolean> {
    const n = await this.db('scorecards_waivers')
      .where({ id })
      .whereIn('status', fromStatus)
      .update(patch);
    return n > 0;
  }

  /**
   * Marks active waivers at or past their expiry as expired (their counting already stopped),
   * and pending ones nobody decided on before their expiry (they can no longer be approved).
   * Either way the (entity, check) is free for a new request.
   */
  async expireWaivers(now: string): Promise<number> {
    return this.db('scorecards_waivers')
      .whereIn('status', ['pending', 'active'])
      .where('expires_at', '<=', now)
      .update({ status: 'expired' });
  }

  // ---- campaigns ----

  async listCampaigns(): Promise<Campaign[]> {
    const rows = await this.db('scorecards_campaigns').orderBy('id');
    return rows.map((r: any) => JSON.parse(r.campaign_json));
  }

  async getCampaign(id: string): Promise<Campaign | undefined> {
    const row = await this.db('scorecards_campaigns').where({ id }).first();
    return row ? JSON.parse(row.campaign_json) : undefined;
  }

  async insertCampaign(c: Campaign, by: string, at: string): Promise<void> {
    await this.db('scorecards_campaigns').insert({
      id: c.id,
      campaign_json: JSON.stringify(c),
      created_by: by,
      created_at: at,
    });
  }

  async campaignPoints(id: string): Promise<{ date: string; done: number }[]> {
    const rows = await this.db('scorecards_campaign_points')
      .where({ campaign_id: id })
      .orderBy('date');
    return rows.map((r: any) => ({ date: r.date, done: Number(r.done) }));
  }

  async upsertCampaignPoint(
    id: string,
    date: string,
    done: number,
  ): Promise<void> {
    await this.db('scorecards_campaign_points')
      .insert({ campaign_id: id, date, done })
      .onConflict(['campaign_id', 'date'])
      .merge();
  }
}
