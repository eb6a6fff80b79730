import {
  EvaluationSummary,
  summarizeEvaluation,
} from '@internal/plugin-scorecards-common';
import { Knex } from 'knex';
import { readLatestWriteSeq } from './latestWrites';

/** The summary of one entity's latest result set (what reads over the whole catalog need). */
export interface LatestSummaryRow {
  entityRef: string;
  changedAt: string;
  summary: EvaluationSummary;
}

const READ_CHUNK = 500;

type StoredSummaryRow = {
  entity_ref: string;
  changed_at: string;
  summary_json: string | null;
};

/** Options of {@link LatestSummaryCache}. */
export interface LatestSummaryCacheOptions {
  /**
   * Every row is read again at least this often (default 10 minutes): a replica of a version
   * before the write counter writes rows without raising it during a rolling deploy, and an
   * operator's repair may forget to.
   */
  fullEveryMs?: number;
  /** For tests: a monotonic clock in milliseconds (default `performance.now`). */
  clock?: () => number;
}

/**
 * Every latest row's summary, parsed once and kept between reads over the whole catalog
 * (`GET /rollups`, `/checks`, `/campaigns`, the daily rollup snapshot): each read asks the
 * database for the write order (`latestWrites.ts`) and parses only the rows written since the
 * previous read — all of them again after rows were deleted — instead of every summary on every
 * request (~27 MB of JSON at 5,000 entities under the default standard, docs/benchmarks.md).
 * Writes of other replicas are seen the same way, since the order lives in the database.
 *
 * Every row is read again after a deletion, when the counter went back, and at least every
 * `fullEveryMs` (10 minutes), for writers that do not raise it (an older replica during a
 * rolling deploy, an operator's repair).
 *
 * Reads run one after another: a read that arrives during another waits for it and then asks
 * for what was written since, so it never answers older than the database when it started, and
 * a cold start parses every row once, not once per concurrent request. The summaries answered
 * are shared between reads: callers must not change them.
 */
export class LatestSummaryCache {
  readonly #db: Knex;
  readonly #fullEveryMs: number;
  readonly #clock: () => number;
  #fullAtMs = Number.NEGATIVE_INFINITY;
  readonly #rows = new Map<string, LatestSummaryRow>();
  /** One copy of each check id, state, level and owner the summaries repeat. */
  readonly #strings = new Map<string, string>();
  /** The `seq` the copy reflects; undefined until a first whole read. */
  #seq: number | undefined;
  #sorted: LatestSummaryRow[] | undefined;
  #tail: Promise<unknown> = Promise.resolve();

  constructor(db: Knex, options: LatestSummaryCacheOptions = {}) {
    this.#db = db;
    this.#fullEveryMs = options.fullEveryMs ?? 10 * 60_000;
    this.#clock = options.clock ?? (() => performance.now());
  }

  /** Every latest row's summary, in entity-ref order. */
  read(): Promise<LatestSummaryRow[]> {
    const next = this.#tail.then(() => this.#refresh());
    this.#tail = next.catch(() => undefined);
    return next.then(rows => [...rows]);
  }

  async #refresh(): Promise<readonly LatestSummaryRow[]> {
    const { seq, resetSeq } = await readLatestWriteSeq(this.#db);
    const since = this.#seq;
    const startedMs = this.#clock();
    const whole =
      since === undefined ||
      resetSeq > since ||
      // a counter that went back (a restored backup, the migration run down and up) says
      // nothing about what this copy missed
      seq < since ||
      startedMs - this.#fullAtMs >= this.#fullEveryMs;
    if (!whole && seq === since && this.#sorted) return this.#sorted;
    if (whole) {
      const stored = await this.#db('scorecards_latest').select(
        'entity_ref',
        'changed_at',
        'summary_json',
      );
      const rows = await this.#summariesOf(stored);
      this.#rows.clear();
      for (const row of rows) this.#rows.set(row.entityRef, row);
      this.#fullAtMs = startedMs;
    } else {
      // Rows written since, including those committed after `seq` was read (read again next
      // time: harmless).
      const stored = await this.#db('scorecards_latest')
        .where('write_seq', '>', since)
        .select('entity_ref', 'changed_at', 'summary_json');
      for (const row of await this.#summariesOf(stored))
        this.#rows.set(row.entityRef, row);
    }
    this.#seq = seq;
    // Code-unit order, the same on every database (SQL `order by` follows PostgreSQL's collation).
    this.#sorted = [...this.#rows.values()].sort((a, b) =>
      a.entityRef < b.entityRef ? -1 : Number(a.entityRef > b.entityRef),
    );
    return this.#sorted;
  }

  /**
   * Pools the strings every summary repeats, in place: `JSON.parse` gives each occurrence its
   * own copy, which made a kept summary ~1.9× larger (docs/benchmarks.md, "Reads over the whole
   * catalog"). Values come from the standard and the catalog, so the pool stays small.
   */
  #intern(summary: EvaluationSummary): void {
    const pool = <S extends string | undefined | null>(value: S): S => {
      if (typeof value !== 'string') return value;
      const pooled = this.#strings.get(value);
      if (pooled !== undefined) return pooled as S;
      this.#strings.set(value, value);
      return value;
    };
    const s = summary as {
      -readonly [K in keyof EvaluationSummary]: EvaluationSummary[K];
    };
    s.lifecycle = pool(s.lifecycle);
    s.level = pool(s.level);
    s.expectedLevel = pool(s.expectedLevel);
    for (const b of s.blockers) {
      b.level = pool(b.level);
      b.checkId = pool(b.checkId);
      b.state = pool(b.state);
      b.attribution = pool(b.attribution);
    }
    for (const r of s.results) {
      r.checkId = pool(r.checkId);
      r.state = pool(r.state);
      r.rawState = pool(r.rawState);
      r.attribution = pool(r.attribution);
      if (r.platformCapability)
        r.platformCapability.owner = pool(r.platformCapability.owner);
    }
  }

  /** Parses stored summaries; rows written before summaries were stored derive theirs. */
  async #summariesOf(
    stored: readonly StoredSummaryRow[],
  ): Promise<LatestSummaryRow[]> {
    const older = stored
      .filter(r => r.summary_json === null)
      .map(r => r.entity_ref);
    const derived = new Map<string, EvaluationSummary>();
    for (let i = 0; i < older.length; i += READ_CHUNK) {
      const full = await this.#db('scorecards_latest')
        .whereIn('entity_ref', older.slice(i, i + READ_CHUNK))
        .select('entity_ref', 'evaluation_json');
      for (const r of full) {
        derived.set(
          r.entity_ref,
          summarizeEvaluation(JSON.parse(r.evaluation_json)),
        );
      }
    }
    return stored.flatMap(r => {
      const summary =
        r.summary_json === null
          ? derived.get(r.entity_ref)
          : (JSON.parse(r.summary_json) as EvaluationSummary);
      if (summary) this.#intern(summary);
      // A row removed between the two reads is simply not listed.
      return summary
        ? [{ entityRef: r.entity_ref, changedAt: r.changed_at, summary }]
        : [];
    });
  }
}
