import {
  FactRecord,
  ObservedEdge,
  SourceHealth,
  StoredChange,
  canonicalEnvironment,
  changeInWindow,
  orderChanges,
  timestampMs,
  toIsoTimestamp,
  type LedgerView,
} from '@internal/plugin-evidence-common';
import { Knex } from 'knex';
import { isPostgres } from '@internal/suite-node';
import { AliasResolver, SubjectResolution } from '../service/AliasResolver';
import {
  EvidenceOptions,
  expectEverySecondsOf,
} from '../service/evidenceConfig';
import {
  ChangeRow,
  CiRunRow,
  CollectionRow,
  EdgeRow,
  FactRow,
  HealthRow,
  ciRunFromRow,
  collectionFromRow,
  edgeFromRow,
  factFromRow,
  healthFromRow,
  storedChange,
} from './rows';
import { PRUNED_MARK, currentSequence } from './EdgeWriter';
import { compactLedgerRows } from './compactLedgerRows';
import {
  CHANGE_CURSOR,
  changePositionAfter,
  whereAfterChange,
} from './changeCursor';
import {
  KeyPart,
  KeyPosition,
  cursorCodec,
  keysetPage,
  orderByKeys,
  textKey,
  whereAfter,
} from './keyset';

/** Cursor of `GET /facts`: the sort keys of the last fact of a page. */
/** Most rows `changedEntityMarks` marks; past it, the feed lists refs alone. */
export const MAX_CHANGE_MARKS = 10_000;

export const FACT_CURSOR = cursorCodec('facts', [
  'string',
  'string',
  'string',
  'string',
  'string',
]);

// SQLite allows 999 bound parameters per statement.
const CHUNK = 900;

async function inChunks<T>(
  values: string[],
  query: (chunk: string[]) => PromiseLike<T[]>,
): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < values.length; i += CHUNK) {
    // a loop, not push(...rows): a spread of ~125k rows overflows the call stack (RangeError)
    for (const row of await query(values.slice(i, i + CHUNK))) out.push(row);
  }
  return out;
}

/** Rows per page of `newestBefore`, newest first, until one still resolves to the ref. */
const NEWEST_PAGE = 20;
/** `newestBefore`'s queries in flight at once. */
const NEWEST_IN_FLIGHT = 8;

/**
 * Changes that took effect by `toMs` and had not finished before `fromMs` (or have not
 * finished): in SQL, the rows `changeInWindow` can keep for `[from, to]`, which still decides.
 * `effective_ms >= fromMs` is spelt out too, for a row whose finish is recorded before its start.
 */
function withinWindow(
  query: Knex.QueryBuilder,
  fromMs: number,
  toMs: number,
): void {
  query.where('effective_ms', '<=', toMs).where(w => {
    w.where('effective_ms', '>=', fromMs)
      .orWhere('finished_ms', '>=', fromMs)
      .orWhereNull('finished_ms');
  });
}

/** Rows grouped by a key in one pass, input order kept within each group. */
export function groupBy<T>(
  rows: T[],
  key: (row: T) => string,
): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

/** What `POST /read` may include per entity (§5.1). */
export type ReadInclude =
  | 'facts'
  | 'collection'
  | 'edges'
  | 'ledger'
  | 'ledgerSummary';

/** Per-ref ledger summary (§5.1 `LedgerSummary`). */
export interface LedgerSummary {
  coverage: Record<string, { firstAt: string; lastAt: string; count: number }>;
  lastChange: StoredChange | null;
  lastSucceededDeploy: StoredChange | null;
  recent30d: number;
}

/** Read queries of §5.1 over the store's tables; a fixed number of indexed queries per call. */
export class EvidenceReader {
  constructor(
    private readonly db: Knex,
    private readonly resolver: AliasResolver,
    private readonly options: EvidenceOptions,
  ) {}

  /** Latest facts of the refs matching the filters; without `resolution`, only resolved rows. */
  async facts(q: {
    entityRefs: string[];
    kinds?: string[];
    source?: string;
    key?: string;
    resolution?: 'resolved' | 'unresolved';
    /** Keep values as stored JSON text for a response that splices them. */
    rawValues?: boolean;
  }): Promise<FactRecord[]> {
    const rows = await this.inRefChunks(
      q.entityRefs.map(r => r.toLowerCase()),
      chunk => {
        const query = this.db<FactRow>('evidence_facts').where(
          'resolution',
          q.resolution ?? 'resolved',
        );
        this.whereRefIn(query, 'entity_ref', chunk);
        if (q.kinds?.length) query.whereIn('kind', q.kinds);
        if (q.source) query.where('source', q.source);
        if (q.key !== undefined) query.where('fact_key', q.key);
        return query.orderBy([
          { column: 'entity_ref' },
          { column: 'kind' },
          { column: 'fact_key' },
          { column: 'source' },
        ]);
      },
    );
    return rows.map(row => factFromRow(row, { rawValue: q.rawValues }));
  }

  /** Sort keys of `GET /facts`: by entity, kind, key, source; the subject makes them unique. */
  private factKeys(): KeyPart[] {
    const text = (sql: string): KeyPart => ({
      sql: textKey(this.db, sql),
      dir: 'asc',
      type: 'string',
    });
    return [
      text("COALESCE(entity_ref, '')"),
      text('kind'),
      text('fact_key'),
      text('source'),
      text('subject'),
    ];
  }

  /**
   * `GET /facts`: latest facts matching the filters (without `resolution`, only resolved rows),
   * one page in SQL order with a keyset cursor (an entity's facts, or all of them). `visible`
   * drops what the caller may not see (§5.1); the page is refilled from the rows after it.
   */
  async listFacts(
    q: {
      entityRef?: string;
      kind?: string;
      source?: string;
      key?: string;
      resolution?: 'resolved' | 'unresolved';
      limit: number;
      cursor?: KeyPosition;
    },
    visible?: (facts: FactRecord[]) => Promise<FactRecord[]>,
  ): Promise<{ items: FactRecord[]; nextCursor?: string }> {
    const keys = this.factKeys();
    const page = await keysetPage({
      limit: q.limit,
      after: q.cursor,
      fetch: (after, count) => {
        const query = this.db<FactRow>('evidence_facts').where(
          'resolution',
          q.resolution ?? 'resolved',
        );
        if (q.entityRef) query.where('entity_ref', q.entityRef.toLowerCase());
        if (q.kind) query.where('kind', q.kind);
        if (q.source) query.where('source', q.source);
        if (q.key !== undefined) query.where('fact_key', q.key);
        if (after) whereAfter(query, keys, after);
        orderByKeys(query, keys);
        return query.limit(count);
      },
      positionOf: row => [
        row.entity_ref ?? '',
        row.kind,
        row.fact_key,
        row.source,
        row.subject,
      ],
      show: rows => {
        const facts = rows.map(row => factFromRow(row));
        return visible ? visible(facts) : facts;
      },
    });
    return page.next
      ? { items: page.items, nextCursor: FACT_CURSOR.encode(page.next) }
      : { items: page.items };
  }

  /**
   * PostgreSQL takes the refs as one array parameter (`= ANY(?)`), one statement for a 5,000-ref
   * read; SQLite gets chunks under its bound-parameter limit.
   */
  private whereRefIn(query: Knex.QueryBuilder, column: string, refs: string[]) {
    if (isPostgres(this.db)) query.whereRaw('?? = ANY(?)', [column, refs]);
    else query.whereIn(column, refs);
  }

  private inRefChunks<T>(
    refs: string[],
    query: (chunk: string[]) => PromiseLike<T[]>,
  ): Promise<T[]> {
    return isPostgres(this.db)
      ? Promise.resolve(query(refs))
      : inChunks(refs, query);
  }

  /** Value history of one entity's kind, newest first. */
  async factHistory(q: {
    entityRef: string;
    kind?: string;
    key?: string;
    from?: string;
    to?: string;
    limit?: number;
  }): Promise<FactRecord[]> {
    const query = this.db<FactRow>('evidence_fact_history').where(
      'entity_ref',
      q.entityRef.toLowerCase(),
    );
    if (q.kind) query.where('kind', q.kind);
    if (q.key !== undefined) query.where('fact_key', q.key);
    if (q.from) query.where('observed_ms', '>=', timestampMs(q.from));
    if (q.to) query.where('observed_ms', '<=', timestampMs(q.to));
    const rows = await query
      .orderBy('observed_ms', 'desc')
      .orderBy('id', 'desc')
      .limit(Math.min(q.limit ?? 100, 1000));
    return rows.map(row => factFromRow(row));
  }

  async collection(entityRefs: string[]) {
    const rows = await this.inRefChunks<CollectionRow>(entityRefs, chunk =>
      this.db<CollectionRow>('evidence_collection_status').modify(query =>
        this.whereRefIn(query, 'entity_ref', chunk),
      ),
    );
    return rows.map(collectionFromRow);
  }

  /**
   * How a stored ledger row resolves for a read: live, against this replica's alias map (IB R7:
   * an entity registered after the row, or an alias that moved, counts at once), except where
   * that map knows less than the row. Before the map's first load (a replica just started, the
   * catalog not answering yet) every row reads as stored; and a row naming an entity directly
   * that a replica with a fresher map stored as resolved stays resolved (the map is re-read
   * every minute, so a replica can lag an entity registered since). Until 2026-12-07 such rows
   * were dropped: a new replica answered every ledger read with no changes.
   */
  private resolveRow(row: ChangeRow): SubjectResolution {
    const stored: SubjectResolution = {
      entityRef: row.entity_ref,
      resolution: row.resolution === 'resolved' ? 'resolved' : 'unresolved',
    };
    if (!this.resolver.isLoaded) return stored;
    const live = this.resolver.resolveSubject(row.subject);
    if (live.resolution === 'resolved' || isIndirectSubject(row.subject)) {
      return live;
    }
    return stored.resolution === 'resolved' && stored.entityRef === row.subject
      ? stored
      : live;
  }

  /**
   * Per ref, the newest change in ledger order that took effect before `beforeMs` (the bound of
   * `ledgerRead`, before its `asOf`), passes `where` in SQL and `matches` once resolved live: the summary's last change
   * or good deploy when the bounded read of `ledgerRead` holds none newer. A few refs at a time;
   * per ref one query per subject form (its stored ref; its aliases), each newest first and
   * `LIMIT`ed, paged on until a row matches or the rows run out (rows that now resolve to
   * another entity are stepped over). One query with `entity_ref = ? OR subject IN (…)` let
   * PostgreSQL walk an index on time backwards through the whole ledger for an entity with no
   * older change (47 s for 200 refs on 1M rows, measured).
   */
  private async newestBefore(
    refs: string[],
    env: string | undefined,
    where: (q: Knex.QueryBuilder) => void,
    beforeMs: number,
    matches: (c: StoredChange) => boolean,
  ): Promise<Map<string, StoredChange>> {
    const found = new Map<string, StoredChange>();
    const keys = this.changeKeys();
    const newestOf = async (
      ref: string,
      subject: (q: Knex.QueryBuilder) => void,
    ): Promise<StoredChange | undefined> => {
      let after: KeyPosition | undefined;
      for (;;) {
        const query = this.db<ChangeRow>('evidence_changes')
          .modify(subject)
          .where('effective_ms', '<', beforeMs);
        if (env) query.where('environment', env);
        where(query);
        if (after) whereAfterChange(query, keys, after);
        orderByKeys(query, keys);
        const rows: ChangeRow[] = await query.limit(NEWEST_PAGE);
        for (const row of rows) {
          const live = this.resolveRow(row);
          if (live.resolution !== 'resolved' || live.entityRef !== ref)
            continue;
          const change: StoredChange = {
            ...storedChange(row),
            entityRef: ref,
            resolution: 'resolved',
          };
          if (matches(change)) return change;
        }
        if (rows.length < NEWEST_PAGE) return undefined;
        after = changePositionAfter(rows, after);
      }
    };
    const one = async (ref: string) => {
      const aliasSubjects = this.resolver.aliasesOf(ref).map(a => `alias:${a}`);
      const candidates = await Promise.all([
        newestOf(ref, q => q.where('entity_ref', ref)),
        aliasSubjects.length > 0
          ? newestOf(ref, q => q.whereIn('subject', aliasSubjects))
          : undefined,
      ]);
      const newest = orderChanges(
        candidates.filter((c): c is StoredChange => c !== undefined),
      )[0];
      if (newest) found.set(ref, newest);
    };
    for (let i = 0; i < refs.length; i += NEWEST_IN_FLIGHT) {
      await Promise.all(refs.slice(i, i + NEWEST_IN_FLIGHT).map(one));
    }
    return found;
  }

  /** Rows of the ledger naming any of the refs, by stored ref or by an alias that maps to one. */
  private changeRowsFor(
    refs: string[],
    filter: (q: Knex.QueryBuilder) => void,
  ): Promise<StoredChange[]> {
    return this.resolvedChangeRows(refs, (column, chunk) =>
      this.db<ChangeRow>('evidence_changes')
        .whereIn(column, chunk)
        .modify(filter),
    );
  }

  /**
   * The changes of `refs` that `rows` answers for a chunk of refs (`entity_ref`) or of their
   * aliases (`subject`), resolved against the current alias map.
   */
  private async resolvedChangeRows(
    refs: string[],
    rows: (
      column: 'entity_ref' | 'subject',
      chunk: string[],
    ) => PromiseLike<ChangeRow[]>,
  ): Promise<StoredChange[]> {
    const aliasSubjects = refs.flatMap(ref =>
      this.resolver.aliasesOf(ref).map(a => `alias:${a}`),
    );
    const byRef = await inChunks<ChangeRow>(refs, chunk =>
      rows('entity_ref', chunk),
    );
    const byAlias = await inChunks<ChangeRow>(aliasSubjects, chunk =>
      rows('subject', chunk),
    );
    const wanted = new Set(refs);
    const seen = new Set<string>();
    const out: StoredChange[] = [];
    for (const row of [...byRef, ...byAlias]) {
      if (seen.has(row.id)) continue;
      seen.add(row.id);
      // Ledger reads resolve against the current map, so a late-registered entity sees its
      // changes at once without waiting for re-resolution (IB R7).
      const live = this.resolveRow(row);
      if (live.resolution !== 'resolved' || !live.entityRef) continue;
      if (!wanted.has(live.entityRef)) continue;
      out.push({
        ...storedChange(row),
        entityRef: live.entityRef,
        resolution: 'resolved',
      });
    }
    return out;
  }

  /** Changes whose `[effectiveAt, finishedAt ?? asOf]` intersects `[from, to]` (IB §4.4). */
  async queryChanges(q: {
    entityRefs: string[];
    from: string;
    to: string;
    asOf: string;
    environment?: string;
    kinds?: string[];
    statuses?: string[];
  }): Promise<StoredChange[]> {
    const refs = q.entityRefs.map(r => r.toLowerCase());
    const toMs = timestampMs(q.to);
    const changes = await this.changeRowsFor(refs, query => {
      withinWindow(query, timestampMs(q.from), toMs);
      if (q.environment) {
        query.where('environment', canonicalEnvironment(q.environment));
      }
      if (q.kinds?.length) query.whereIn('kind', q.kinds);
      if (q.statuses?.length) query.whereIn('status', q.statuses);
    });
    return orderChanges(
      changes.filter(c =>
        changeInWindow(c, { from: q.from, to: q.to, asOf: q.asOf }),
      ),
    );
  }

  /**
   * The §3.8 ledger order (`compareChanges`) in SQL: effectiveAt desc, in progress first,
   * finishedAt desc (none last), receivedAt desc, id desc.
   */
  private changeKeys(): KeyPart[] {
    return [
      { sql: 'effective_ms', dir: 'desc', type: 'integer' },
      {
        sql: "CASE WHEN status = 'started' THEN 1 ELSE 0 END",
        dir: 'desc',
        type: 'integer',
      },
      { sql: 'COALESCE(finished_ms, -1)', dir: 'desc', type: 'integer' },
      { sql: 'received_ms', dir: 'desc', type: 'integer' },
      { sql: textKey(this.db, 'id'), dir: 'desc', type: 'string' },
    ];
  }

  /**
   * `GET /changes`: one page in ledger order (§3.8), ordered and cut in SQL, with a keyset
   * cursor after the last row read. With `entityRef` (and not `resolution=unresolved`) the
   * entity's changes by stored ref or by an alias now mapping to it, resolved live as every
   * ledger read (R7). `visible` drops what the caller may not see (§5.1); the page is refilled
   * from the rows after it.
   */
  async listChanges(
    q: {
      entityRef?: string;
      alias?: string;
      environment?: string;
      kind?: string;
      status?: string;
      from?: string;
      to?: string;
      resolution?: 'resolved' | 'unresolved';
      limit: number;
      cursor?: KeyPosition;
    },
    visible?: (changes: StoredChange[]) => Promise<StoredChange[]>,
  ): Promise<{ items: StoredChange[]; nextCursor?: string }> {
    const ref = q.entityRef?.toLowerCase();
    const byEntity = ref !== undefined && q.resolution !== 'unresolved';
    const aliasSubjects = byEntity
      ? this.resolver.aliasesOf(ref).map(a => `alias:${a.toLowerCase()}`)
      : [];
    const keys = this.changeKeys();
    const page = await keysetPage({
      limit: q.limit,
      after: q.cursor,
      fetch: (after, count) => {
        const query = this.db<ChangeRow>('evidence_changes');
        if (q.environment) {
          query.where('environment', canonicalEnvironment(q.environment));
        }
        if (q.kind) query.where('kind', q.kind);
        if (q.status) query.where('status', q.status);
        if (q.from) query.where('effective_ms', '>=', timestampMs(q.from));
        if (q.to) query.where('effective_ms', '<=', timestampMs(q.to));
        if (q.alias) query.where('subject', `alias:${q.alias.toLowerCase()}`);
        if (byEntity) {
          query.where(w => {
            w.where('entity_ref', ref);
            if (aliasSubjects.length > 0) w.orWhereIn('subject', aliasSubjects);
          });
        } else {
          if (ref) query.where('subject', ref);
          query.where('resolution', q.resolution ?? 'resolved');
        }
        if (after) whereAfterChange(query, keys, after);
        orderByKeys(query, keys);
        return query.limit(count);
      },
      positionAfter: changePositionAfter,
      show: rows => {
        const changes = byEntity
          ? rows.flatMap(row => {
              const live = this.resolveRow(row);
              return live.resolution === 'resolved' && live.entityRef === ref
                ? [
                    {
                      ...storedChange(row),
                      entityRef: live.entityRef,
                      resolution: 'resolved' as const,
                    },
                  ]
                : [];
            })
          : rows.map(storedChange);
        return visible ? visible(changes) : changes;
      },
    });
    return page.next
      ? { items: page.items, nextCursor: CHANGE_CURSOR.encode(page.next) }
      : { items: page.items };
  }

  async getChange(id: string): Promise<StoredChange | undefined> {
    const row = await this.db<ChangeRow>('evidence_changes')
      .where({ id })
      .first();
    return row ? storedChange(row) : undefined;
  }

  /**
   * Ledger summary per ref as of `asOf`: coverage (kept forever, whenever written), last change
   * and last good deploy by then, the count of the 30 days before it.
   */
  async changeSummary(
    refs: string[],
    asOf: string,
    environment?: string,
  ): Promise<Record<string, LedgerSummary>> {
    return (await this.ledgerRead(refs, { asOf, environment })).summary;
  }

  /**
   * The entity read's ledger and summary from one query of the ledger (§5.1): `ledger` holds
   * the changes intersecting `[windowFrom, asOf]`, `summary` is computed over all of them.
   * With `summary: false` (a read of the window alone) the summary, and the reads of the newest
   * changes older than the window it needs, are left out: `summary` is empty.
   */
  async ledgerRead(
    refs: string[],
    q: {
      asOf: string;
      windowFrom?: string;
      environment?: string;
      summary?: boolean;
      /**
       * Keep of the window only what this view asks for (`compactLedgerRows`); a read with the
       * summary reads the window whole, which the summary counts.
       */
      view?: LedgerView;
    },
  ): Promise<{
    ledger: Map<string, StoredChange[]>;
    summary: Record<string, LedgerSummary>;
  }> {
    const lower = refs.map(r => r.toLowerCase());
    const env = q.environment ? canonicalEnvironment(q.environment) : undefined;
    const asOfMs = timestampMs(q.asOf);
    const since = asOfMs - 30 * 86400_000;
    const withSummary = q.summary !== false;
    const view = withSummary ? undefined : q.view;
    // the summary counts the 30 days up to `asOf`; a read of the window alone needs only it
    const windowFromMs = q.windowFrom ? timestampMs(q.windowFrom) : undefined;
    let lowerMs = since;
    if (windowFromMs !== undefined) {
      lowerMs = withSummary ? Math.min(since, windowFromMs) : windowFromMs;
    }
    // Coverage is keyed as written: by entity ref, or `alias:<name>` for a change whose alias
    // mapped to nothing then. Such rows are never rewritten (re-resolution would have to merge
    // counts into rows concurrent writers are upserting); like the ledger itself (R7) they are
    // read under the alias's current owner, so they follow the alias map, also when an alias
    // moves or becomes void.
    const ownerOfKey = new Map<string, string>();
    for (const ref of lower) {
      ownerOfKey.set(ref, ref);
      for (const alias of this.resolver.aliasesOf(ref)) {
        const key = `alias:${alias.toLowerCase()}`;
        const live = this.resolver.resolveSubject(key);
        if (live.resolution === 'resolved' && live.entityRef === ref) {
          ownerOfKey.set(key, ref);
        }
      }
    }
    const [coverage, changes] = await Promise.all([
      // coverage is the summary's alone
      inChunks<{
        entity_ref: string;
        kind: string;
        first_ms: number | string;
        last_ms: number | string;
        count: number | string;
      }>(withSummary ? [...ownerOfKey.keys()] : [], chunk =>
        this.db('evidence_change_coverage')
          .whereIn('entity_ref', chunk)
          .modify(query => {
            if (env) query.where('environment', env);
          }),
      ),
      // Only the rows the window and the 30 days before `asOf` can hold, bounded in SQL: read
      // whole, an entity's history (730 days kept) made each read of 1,000 refs take 40 s and
      // overflow the stack on a ledger of 3M changes. The newest change and good deploy older
      // than that bound are read apart (`newestBefore`).
      view && windowFromMs !== undefined
        ? this.resolvedChangeRows(lower, (column, chunk) =>
            compactLedgerRows(
              this.db,
              column,
              chunk,
              { fromMs: windowFromMs, toMs: asOfMs, environment: env },
              view,
            ),
          )
        : this.changeRowsFor(lower, query => {
            if (env) query.where('environment', env);
            withinWindow(query, lowerMs, asOfMs);
          }),
    ]);
    const changesByRef = groupBy(orderChanges(changes), c => c.entityRef!);
    const coverageByRef = groupBy(coverage, c => ownerOfKey.get(c.entity_ref)!);
    const window = q.windowFrom
      ? { from: q.windowFrom, to: q.asOf, asOf: q.asOf }
      : undefined;
    const isLastChange = (c: StoredChange) =>
      c.status !== 'cancelled' && timestampMs(c.effectiveAt) <= asOfMs;
    const isGoodDeploy = (c: StoredChange) =>
      c.kind === 'deploy' &&
      c.status === 'succeeded' &&
      timestampMs(c.finishedAt ?? c.effectiveAt) <= asOfMs;
    // A match among the bounded rows is the newest only if it took effect after the bound (a
    // change still running since before it is read too); otherwise an older one may be newer.
    const settled = (c: StoredChange | undefined) =>
      c !== undefined && timestampMs(c.effectiveAt) >= lowerMs;
    // the newest match older than the bound, for the refs whose bounded rows do not settle it
    const olderThanBound = (
      matches: (c: StoredChange) => boolean,
      where: (query: Knex.QueryBuilder) => void,
    ) =>
      this.newestBefore(
        lower.filter(
          ref => !settled((changesByRef.get(ref) ?? []).find(matches)),
        ),
        env,
        where,
        lowerMs,
        matches,
      );
    const [olderChange, olderDeploy] = withSummary
      ? await Promise.all([
          olderThanBound(isLastChange, query =>
            query.whereNot('status', 'cancelled'),
          ),
          olderThanBound(isGoodDeploy, query =>
            query.where({ kind: 'deploy', status: 'succeeded' }),
          ),
        ])
      : [undefined, undefined];
    const newest = (
      ref: string,
      mine: StoredChange[],
      matches: (c: StoredChange) => boolean,
      older: Map<string, StoredChange>,
    ): StoredChange | null => {
      const found = mine.find(matches);
      const before = older.get(ref);
      if (!before) return found ?? null;
      if (!found) return before;
      return orderChanges([found, before])[0];
    };
    const ledger = new Map<string, StoredChange[]>();
    const summary: Record<string, LedgerSummary> = {};
    for (const ref of lower) {
      const mine = changesByRef.get(ref) ?? [];
      if (window) {
        ledger.set(
          ref,
          mine.filter(c => changeInWindow(c, window)),
        );
      }
      if (!olderChange || !olderDeploy) continue; // no summary asked for
      const cov: LedgerSummary['coverage'] = {};
      for (const row of coverageByRef.get(ref) ?? []) {
        const existing = cov[row.kind];
        const first = Number(row.first_ms);
        const last = Number(row.last_ms);
        cov[row.kind] = existing
          ? {
              firstAt: toIsoTimestamp(
                Math.min(first, timestampMs(existing.firstAt)),
              ),
              lastAt: toIsoTimestamp(
                Math.max(last, timestampMs(existing.lastAt)),
              ),
              count: existing.count + Number(row.count),
            }
          : {
              firstAt: toIsoTimestamp(first),
              lastAt: toIsoTimestamp(last),
              count: Number(row.count),
            };
      }
      summary[ref] = {
        coverage: cov,
        // IB §4.4: the last change is the newest record whose status is not `cancelled` (a
        // cancelled deploy changed nothing) that took effect by `asOf`; the brief reads this one
        // when its own window has none, also for an incident time in the past
        lastChange: newest(ref, mine, isLastChange, olderChange),
        // the deploy one would roll back to at `asOf`: one that had succeeded by then
        lastSucceededDeploy: newest(ref, mine, isGoodDeploy, olderDeploy),
        // the 30 days up to `asOf`: a change after it is no change of those days
        recent30d: mine.filter(c => {
          const at = timestampMs(c.effectiveAt);
          return at >= since && at <= asOfMs;
        }).length,
      };
    }
    return { ledger, summary };
  }

  /** Observed edges of refs (or all), with freshness computed at read (§5.3). */
  async edges(q: {
    entityRefs?: string[];
    direction?: 'outgoing' | 'incoming' | 'both';
    includeStale?: boolean;
    since?: string;
    asOf: string;
    freshForSeconds?: number;
    /** only edges with a side that maps to no entity (`GET /edges/unmapped`) */
    unmappedOnly?: boolean;
  }): Promise<ObservedEdge[]> {
    const freshFor = Math.min(
      q.freshForSeconds ?? this.options.edges.freshForSeconds,
      this.options.edges.freshForSeconds,
    );
    const direction = q.direction ?? 'both';
    const query = this.db<EdgeRow>('evidence_edges');
    if (q.entityRefs) {
      const refs = q.entityRefs.map(r => r.toLowerCase());
      query.where(w => {
        if (direction !== 'incoming') w.orWhereIn('dependent_ref', refs);
        if (direction !== 'outgoing') w.orWhereIn('dependency_ref', refs);
      });
    }
    if (q.since) query.where('last_seen_ms', '>=', timestampMs(q.since));
    if (q.unmappedOnly) {
      query.where(w => w.whereNull('client_ref').orWhereNull('server_ref'));
    }
    const rows = await query.orderBy('seq');
    return (
      rows
        .map(row => edgeFromRow(row, q.asOf, freshFor))
        .filter(e => q.includeStale !== false || e.observation === 'fresh')
        // Mapped self-loops are kept in storage but never shown on an entity (R15).
        .filter(e => !(e.clientRef !== null && e.clientRef === e.serverRef))
    );
  }

  /**
   * Edge feed since a cursor (§5.1): edges upserted and ids removed after it, the next cursor
   * and whether more is waiting.
   *
   * The read is bounded by the sequence value committed when it starts: writers take values
   * under the counter row's lock and commit in that order, so every row at or below that
   * head is visible, and a row committed while the two queries run is left for the next call
   * instead of being jumped over by a cursor taken from the other list. A page cut at `limit`
   * ends at the last row it returns, from either list.
   */
  async edgeChanges(cursor: number, asOf: string, limit = 5000) {
    const head = await currentSequence(this.db, 'edges');
    const [edges, tombstones] = await Promise.all([
      this.db<EdgeRow>('evidence_edges')
        .where('seq', '>', cursor)
        .where('seq', '<=', head)
        .orderBy('seq')
        .limit(limit),
      this.db<{ edge_id: string; seq: number | string }>(
        'evidence_edge_tombstones',
      )
        .where('seq', '>', cursor)
        .where('seq', '<=', head)
        .orderBy('seq')
        .limit(limit),
    ]);
    let upper = head;
    if (edges.length === limit) {
      upper = Math.min(upper, Number(edges[edges.length - 1].seq));
    }
    if (tombstones.length === limit) {
      upper = Math.min(upper, Number(tombstones[tombstones.length - 1].seq));
    }
    return {
      edges: edges
        .filter(e => Number(e.seq) <= upper)
        .map(e => edgeFromRow(e, asOf, this.options.edges.freshForSeconds)),
      removed: tombstones
        .filter(r => Number(r.seq) <= upper)
        .map(r => r.edge_id),
      // A cursor from the future (another database, a restored backup) is echoed, not rewound.
      cursor: String(Math.max(cursor, upper)),
      hasMore: upper < head,
    };
  }

  /**
   * Entity refs with evidence written after `sinceMs` (every ref with any evidence when
   * `sinceMs` is 0): facts, ledger records, collection status and both ends of observed edges,
   * each by `updated_ms`, the server clock when the row was written (collector writes
   * included, and rows re-resolution attached to an entity) and entities rows left since (an
   * alias moved or became void, R14: `evidence_detached_refs`). Feeds local mirrors of the
   * store (`GET /entities/changed`); removals (retention) are not reported, so mirrors also
   * re-read everything now and then.
   *
   * With `nowMs`, also the refs of changes that took effect in `(sinceMs, nowMs]`: a change
   * dated ahead of its receipt (up to `clock.maxSkew`, §3.8) is written before a ledger read
   * includes it (`effective_ms <= asOf`), so the poll after its write reads the ledger without
   * it, and without this no later poll would name its entity again.
   */
  async changedEntityRefs(sinceMs: number, nowMs?: number): Promise<string[]> {
    const lists = (await Promise.all(
      this.#feedSources(sinceMs, nowMs).map(source =>
        source.rows.distinct(`${source.column} as ref`),
      ),
    )) as { ref: string }[][];
    const all = new Set<string>();
    for (const list of lists) for (const row of list) all.add(row.ref);
    return [...all].sort();
  }

  /**
   * What `changedEntityRefs(sinceMs, nowMs)` lists, with a mark for each row behind each ref:
   * the row and its write stamp, `<kind>:<row>@<ms>` — `f` a fact, `c` a change, `s` a
   * collection status (by source), `e` an observed edge (under both its ends), `d` rows that
   * left the ref, `t` a change that took effect (stamped with when it did). A row written again
   * gets a new mark. A mirror that read a ref whole after an answer listed a mark has that
   * write, so it need not read the ref again when an overlapping poll (`since` a little before
   * the last `until`, for slow commits) lists the same mark; a row committed late is listed
   * with a mark it has not seen. Undefined for a first read (`sinceMs` 0) and when more than
   * `limit` rows were written since (after an outage, say): the caller reads every listed ref.
   */
  async changedEntityMarks(
    sinceMs: number,
    nowMs: number,
    limit = MAX_CHANGE_MARKS,
  ): Promise<Map<string, string[]> | undefined> {
    if (sinceMs <= 0) return undefined;
    const sources = this.#feedSources(sinceMs, nowMs);
    const lists = (await Promise.all(
      sources.map(source =>
        source.rows
          .select(
            `${source.column} as ref`,
            `${source.row} as row`,
            `${source.stamp} as ms`,
          )
          .limit(limit + 1),
      ),
    )) as { ref: string; row: string; ms: number | string }[][];
    let count = 0;
    for (const list of lists) count += list.length;
    if (count > limit) return undefined;
    const marks = new Map<string, string[]>();
    lists.forEach((list, i) => {
      const { kind } = sources[i];
      for (const { ref, row, ms } of list) {
        const mark = `${kind}:${kind === 'd' ? '' : row}@${Number(ms)}`;
        const held = marks.get(ref);
        if (held) held.push(mark);
        else marks.set(ref, [mark]);
      }
    });
    return marks;
  }

  /**
   * The rows behind the change feed, one query per source: `changedEntityRefs` reads the refs
   * of each and `changedEntityMarks` its rows, so that both list the same refs (the router
   * answers the marks' refs when there are marks). Each source names the column of its ref,
   * its row (the mark's `<row>`), the column of its mark's stamp and the mark's kind.
   */
  #feedSources(
    sinceMs: number,
    nowMs?: number,
  ): {
    kind: string;
    column: string;
    row: string;
    stamp: string;
    rows: Knex.QueryBuilder;
  }[] {
    // Rows naming a ref in `column`, written (`updated_ms`) after `writtenAfterMs`.
    const written = (
      kind: string,
      table: string,
      column: string,
      row: string,
      { writtenAfterMs = sinceMs, stamp = 'updated_ms' } = {},
    ) => ({
      kind,
      column,
      row,
      stamp,
      rows: this.db(table)
        .whereNotNull(column)
        .where('updated_ms', '>', writtenAfterMs),
    });
    const sources = [
      written('f', 'evidence_facts', 'entity_ref', 'id'),
      written('c', 'evidence_changes', 'entity_ref', 'id'),
      written('s', 'evidence_collection_status', 'entity_ref', 'source'),
      written('e', 'evidence_edges', 'dependent_ref', 'id'),
      written('e', 'evidence_edges', 'dependency_ref', 'id'),
    ];
    // A first read (0) lists the refs holding evidence, not those that only lost some.
    if (sinceMs > 0) {
      sources.push(
        written('d', 'evidence_detached_refs', 'entity_ref', 'entity_ref'),
      );
    }
    // Changes that took effect in (since, now]: such a change was written at most `maxSkew`
    // before it took effect, so only rows written since `since - maxSkew` are looked at (a
    // later write of the row only moves its stamp forward): the `updated_ms` index on
    // PostgreSQL; SQLite, never analyzed here, may plan it on the `entity_ref` index as it does
    // the other feed queries (16 ms at 300,000 changes; the writes' 136 ms). Marked with when
    // it took effect (its write has a mark of its own).
    if (sinceMs > 0 && nowMs !== undefined) {
      const tookEffect = written('t', 'evidence_changes', 'entity_ref', 'id', {
        writtenAfterMs: sinceMs - this.options.maxSkewSeconds * 1000,
        stamp: 'effective_ms',
      });
      tookEffect.rows
        .where('effective_ms', '>', sinceMs)
        .where('effective_ms', '<=', nowMs);
      sources.push(tookEffect);
    }
    return sources;
  }

  /**
   * The oldest cursor still answerable: tombstones at or below it were pruned, so a client
   * holding an older cursor may have missed a removal (410, a full read is needed).
   */
  async oldestAnswerableCursor(): Promise<number> {
    return currentSequence(this.db, PRUNED_MARK);
  }

  /** Health of every source; push sources past `expectEvery` read as `degraded` (§2.6). */
  async sourceHealth(asOf: string): Promise<SourceHealth[]> {
    const rows = await this.db<HealthRow>('evidence_source_health').orderBy(
      'source',
    );
    const now = timestampMs(asOf);
    return rows.map(row => {
      const health = healthFromRow(row);
      const expect = expectEverySecondsOf(this.options, row.source);
      if (
        expect !== undefined &&
        health.status === 'ok' &&
        (row.last_success_ms === null ||
          now - Number(row.last_success_ms) > expect * 1000)
      ) {
        // Overdue is a status change of its own: `since` is the moment the source became
        // overdue, not the start of the `ok` spell before it.
        const since =
          row.last_success_ms === null
            ? health.since
            : toIsoTimestamp(Number(row.last_success_ms) + expect * 1000);
        return { ...health, status: 'degraded' as const, since };
      }
      return health;
    });
  }

  async ciRuns(q: { entityRef: string; from?: string; to?: string }) {
    const query = this.db<CiRunRow>('evidence_ci_runs').where(
      'entity_ref',
      q.entityRef.toLowerCase(),
    );
    if (q.from) query.where('finished_ms', '>=', timestampMs(q.from));
    if (q.to) query.where('finished_ms', '<=', timestampMs(q.to));
    const rows = await query.orderBy('finished_ms', 'desc').limit(1000);
    return rows.map(ciRunFromRow);
  }
}

/** A subject resolved through a map (`alias:`, `repo:`), not naming an entity itself. */
function isIndirectSubject(subject: string): boolean {
  return subject.startsWith('alias:') || subject.startsWith('repo:');
}
