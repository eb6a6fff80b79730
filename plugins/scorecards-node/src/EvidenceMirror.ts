import { createHash } from 'node:crypto';
import type {
  ChangedEntities,
  EvidenceInclude,
  EvidenceService,
} from '@internal/plugin-evidence-node';
import type {
  LedgerNeeds,
  ScorecardsConfig,
  SourceHealth,
} from '@internal/plugin-scorecards-common';
import {
  ConvertedEvidence,
  EvaluationEvidence,
  convertEntityEvidence,
  mergeEntityEvidence,
  outageHealth,
  toSourceHealth,
} from './readEvaluationEvidence';
import { StringPool } from './StringPool';

/** Options of {@link EvidenceMirror}. */
export interface EvidenceMirrorOptions {
  evidence: EvidenceService;
  config: ScorecardsConfig;
  /**
   * Most refs read per bulk request (the client splits them further into its batch size);
   * fewer while the store answers slowly (`#readAll`).
   */
  chunkSize?: number;
  /** The same for requests that read ledgers with a view (`ledgerNeeds`), which cost more. */
  ledgerChunkSize?: number;
  /** A poll asks for changes since this long before the previous `until` (slow commits). */
  overlapMs?: number;
  /** Everything is read again this often (removals by retention are not in the feed). */
  fullEveryMs?: number;
  /**
   * Every mirrored ref's ledger is read again this often, in slices of at most `ledgerBudgetMs`
   * of reading per refresh (`refresh`); full reads leave ledgers out.
   */
  ledgerFullEveryMs?: number;
  /** Most time one refresh spends reading ledgers of the round (`ledgerFullEveryMs`). */
  ledgerBudgetMs?: number;
  /**
   * How soon a ledger the store could not answer alone in time is tried again (30 s); once
   * it is missing, ten times that, doubling (`#missingRetry`).
   */
  ledgerRetryMs?: number;
  /** Older than this since the last successful refresh, the mirror answers as an outage. */
  maxAgeMs?: number;
  /**
   * For tests: the time in epoch ms, used both for the times the mirror reports and for its ages
   * (`maxAgeMs`, `fullEveryMs`). Without it, times come from `Date.now` and ages from the
   * monotonic `performance.now`, so a wall clock set back does not make old data look fresh.
   */
  clock?: () => number;
  /**
   * What the standard's checks read of a ledger (`ledgerNeedsOf`): each ref's ledger is kept as
   * `compactLedger` leaves it, a few records however long its history; undefined keeps every
   * record (a custom check type that does not declare what it reads).
   */
  ledgerNeeds?: LedgerNeeds;
}

/** The evidence of some refs from the mirror, and a version that changes when it does. */
export interface MirroredEvaluationEvidence {
  /** Merged when first read: an evaluation reused by `version` never needs it. */
  readonly evidence: EvaluationEvidence;
  /** Equal for two answers exactly when the mirrored inputs are equal (or an outage). */
  version: string;
}

interface Entry {
  data: ConvertedEvidence;
  /** Digest of the data's JSON: equal data, equal fingerprint. */
  fingerprint: string;
  version: number;
}

const INCLUDE = ['facts', 'collection', 'edges', 'ledger'] as const;
/**
 * How long one bulk request should take: the sizes of the next requests follow the last one's
 * time, well inside the client's timeout (2 s by default), whatever a ref costs the store.
 */
const REQUEST_TARGET_MS = 500;
/** A full read of refs the mirror holds: everything but the ledger (`ledgerFullEveryMs`). */
const INCLUDE_BUT_LEDGER = ['facts', 'collection', 'edges'] as const;
/**
 * A write the feed marks is taken as read by a whole read only when its stamp is this much
 * older than the answer that listed it (its `until`), which assumes the evidence replicas'
 * clocks differ by less (NTP keeps them within milliseconds). Then a write of the row after the
 * read has a later stamp, a new mark (one replica behind could otherwise stamp it with the
 * first write's millisecond), and a change in effect by the answering replica's clock is in
 * effect by the reading one's (a ledger read leaves out changes that take effect after it). A
 * write within the margin is read once more by the next poll.
 */
const READ_MARK_MARGIN_MS = 1_000;
/** A slice of a round of ledgers (`ledgerFullEveryMs`). */
const LEDGER_ONLY = ['ledger'] as const;
const EMPTY: ConvertedEvidence = {
  facts: [],
  collection: [],
  edges: [],
  ledger: [],
};

/** A slice of a round of ledgers being read (`#readAll`). */
interface LedgerSlice {
  /** No request starts past this age. */
  deadlineAge: number;
  /** The refs done: read, or timed out alone. */
  done: string[];
  /** Refs whose ledger alone the store could not answer in time. */
  timedOut: string[];
  /** Why the slice stopped before its deadline; it never rejects. */
  failure?: string;
}

/** An answer of `read`: merges its items when its evidence is first read, once. */
class MirrorAnswer implements MirroredEvaluationEvidence {
  readonly #items: readonly ConvertedEvidence[];
  readonly #health: SourceHealth[];
  #merged: EvaluationEvidence | undefined;

  constructor(
    items: readonly ConvertedEvidence[],
    health: SourceHealth[],
    readonly version: string,
  ) {
    this.#items = items;
    this.#health = health;
  }

  get evidence(): EvaluationEvidence {
    this.#merged ??= mergeEntityEvidence(this.#items, this.#health);
    return this.#merged;
  }
}

/**
 * A local copy of the evidence store for evaluating entities while the catalog processes them
 * (scorecards §7.5, "lookups are batched or cached so the catalog does not slow down").
 *
 * Reading evidence per entity during processing made every entity wait for a network round
 * trip (p50 15–18 ms, at the catalog's concurrency of 10) — the main cost of the module in the
 * catalog pipeline. The mirror is filled in bulk instead: a full read of every ref with evidence
 * (`changedEntities()` without `since`), then every `refresh()` re-reads only the refs the store
 * reports as written since the previous poll, and everything again every `fullEveryMs` (the feed
 * does not report removals). Processing then evaluates from memory without waiting.
 *
 * Full reads leave ledgers out: the store ranks every change of a ref's window to answer its
 * ledger, which with a year of history cost it ~1.3 s per 200 refs, so a full read at 10,000
 * services took over a minute, past which a refresh times out. Every ledger write is in the
 * feed (polls, and full reads for what was written since the last poll, read such refs
 * whole), and so is a change dated ahead when it takes effect; the store removes changes only
 * by the read window and by retention. So the mirror reads every ledger again only every
 * `ledgerFullEveryMs` (1 h), a slice of at most `ledgerBudgetMs` (10 s) of reading per
 * refresh: what leaves the window or retention removes stays until its ref's turn. The first
 * round (every ref read without its ledger, then the ledgers in slices) must complete before
 * the mirror answers.
 *
 * Honesty rules: until the first full read and round of ledgers succeeded `read()` answers
 * undefined (the caller reads through the client as before); when refreshes have failed for
 * longer than `maxAgeMs` the answer is an outage — every source unavailable, so checks are
 * `unknown`, never a pass on old data. A ref the store has no evidence for answers empty, as
 * the store itself would.
 */
export class EvidenceMirror {
  readonly #options: Required<
    Omit<EvidenceMirrorOptions, 'clock' | 'ledgerNeeds'>
  >;
  /** What of each ref's ledger is kept; everything without it. */
  readonly #ledgerNeeds: LedgerNeeds | undefined;
  readonly #clock: () => number;
  /**
   * What ages are measured on: a monotonic clock unless the caller gives one. On the wall clock,
   * a clock set back would keep a mirror whose refreshes fail "fresh" for as long as it went back,
   * and hold off the next full read as long.
   */
  readonly #ageClock: () => number;
  readonly #entries = new Map<string, Entry>();
  /**
   * Refs (stored keys) whose evidence the store answered in a shape the mirror cannot convert:
   * an evaluation naming one reads an outage, as `readEvaluationEvidence` answers such an item,
   * never the older data (a pass nothing backs any more), until a read converts it again.
   */
  #unreadable = new Map<string, number>();
  /** One copy of each string the entries hold; a new pool with every full read. */
  #pool = new StringPool();
  #health: SourceHealth[] = [];
  #healthFingerprint = '';
  #healthVersion = 0;
  #nextVersion = 1;
  #until: string | undefined;
  #lastFullAge = Number.NEGATIVE_INFINITY;
  /**
   * Stored keys whose ledgers the current round has still to read, in order; a round starts
   * every `ledgerFullEveryMs` (`#ledgerRoundAge`) with every ref the mirror holds.
   */
  #ledgerQueue = new Set<string>();
  #ledgerRoundAge = Number.NEGATIVE_INFINITY;
  /** Whether a round of ledgers completed: the mirror answers only from then on. */
  #ledgersLoaded = false;
  /**
   * Stored keys whose ledger the mirror does not have, and since when: the store could not
   * answer it alone in time, twice in a round (or a whole read of a ref new to the mirror
   * timed out). An evaluation naming one reads an outage; polls and full reads read such a
   * ref without its ledger (each try costs the store's timeout), the next round tries again.
   */
  #ledgerMissing = new Map<string, number>();
  /** Ledger reads of the current round that timed out, per stored key. */
  #ledgerAttempts = new Map<string, number>();
  /**
   * Stored keys in a request with ledgers that timed out: read without their ledgers by
   * polls and full reads, and each alone by the round's slices until one answers or is missing.
   */
  #suspects = new Set<string>();
  /**
   * When a ledger that timed out alone is tried again (age), and the wait that led there (0
   * after a first timeout, then 5 min doubling while it stays missing).
   */
  #missingRetry = new Map<string, { atAge: number; delayMs: number }>();
  #lastSuccessAt: number | undefined;
  #lastSuccessAge = Number.NEGATIVE_INFINITY;
  #failingSince: number | undefined;
  /**
   * Writes the mirror read, by stored key and the feed's mark (`ChangedEntities.marks`), with
   * each mark's stamp. A poll asks from 30 s (`overlapMs`) before the last `until`, for slow
   * commits, so it lists a write again for ~7 polls; a ref the mirror holds whose listed
   * writes are all here is not read again. Kept until no poll can list them (`#noteRead`).
   */
  readonly #readMarks = new Map<string, number>();
  /** Refreshes started, and the latest of them that applied its reads. */
  #started = 0;
  #applied = 0;
  /** Refs the next bulk request reads, without and with ledgers (`#readAll`). */
  readonly #requestSize: { plain: number; ledger: number };

  constructor(options: EvidenceMirrorOptions) {
    this.#options = {
      chunkSize: 1000,
      // With a ledger view the store ranks every change in each ref's window: 100 refs a call
      // keep a call inside the client's 2 s timeout at twice the changes a day of 200 (the
      // same work in all; docs/benchmarks.md, "A ledger view"); busier ledgers make the
      // requests smaller still (`#readAll`).
      ledgerChunkSize: options.ledgerNeeds ? 100 : 1000,
      overlapMs: 30_000,
      fullEveryMs: 10 * 60_000,
      ledgerFullEveryMs: 3600_000,
      ledgerBudgetMs: 10_000,
      ledgerRetryMs: 30_000,
      maxAgeMs: 2 * 60_000,
      ...options,
    };
    this.#ledgerNeeds = options.ledgerNeeds;
    this.#requestSize = {
      plain: this.#options.chunkSize,
      ledger: Math.min(this.#options.chunkSize, this.#options.ledgerChunkSize),
    };
    this.#clock = options.clock ?? Date.now;
    this.#ageClock = options.clock ?? (() => performance.now());
  }

  /** Whether a store without the optional feed makes this mirror useless. */
  static isSupportedBy(evidence: EvidenceService): boolean {
    return typeof evidence.changedEntities === 'function';
  }

  /** Whether the mirror answers: a full read and the first round of ledgers completed. */
  get loaded(): boolean {
    return this.#lastSuccessAt !== undefined && this.#ledgersLoaded;
  }

  /**
   * Refs (stored keys) an evaluation reads as an outage: evidence that could not be converted,
   * or a ledger the store could not answer in time (`#ledgerMissing`).
   */
  get unreadable(): string[] {
    return [
      ...new Set([...this.#unreadable.keys(), ...this.#ledgerMissing.keys()]),
    ];
  }

  /** Refs currently mirrored (those with any evidence at the last read). */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Brings the mirror up to date: a full read when due, else the refs written since the last
   * poll; then the next slice of the round of ledgers. Rejects when the store cannot be read;
   * the mirror then keeps what it had (and turns into an outage after `maxAgeMs`). A refresh
   * that a later one overtook (a caller that stopped waiting at its deadline, and a slow read
   * answering after) applies nothing and answers `overtaken`: its reads are older than what the
   * mirror holds. A slice of ledgers that cannot be read does not fail the refresh: `ledgers`
   * says so, and the next refresh reads it again.
   */
  async refresh(): Promise<{
    full: boolean;
    refs: number;
    /** Refs whose evidence could not be converted: each keeps what the mirror had for it. */
    unconvertible?: string[];
    /** A later refresh applied first: this one applied nothing (`refs` is 0). */
    overtaken?: true;
    /** Ledgers of the round read by this refresh, those left, and why the slice failed. */
    ledgers?: { read: number; left: number; failure?: string };
  }> {
    const { evidence } = this.#options;
    if (!evidence.changedEntities) {
      throw new Error('the evidence service cannot list changed entities');
    }
    const startedAt = this.#clock();
    const startedAge = this.#ageClock();
    const refresh = ++this.#started;
    const full =
      this.#until === undefined ||
      startedAge - this.#lastFullAge >= this.#options.fullEveryMs;
    const since = full
      ? undefined
      : String(Math.max(0, Number(this.#until) - this.#options.overlapMs));
    try {
      const changed = await evidence.changedEntities(since);
      if (!changed.available) {
        throw new Error(`evidence store unavailable (${changed.cause})`);
      }
      // A full read converts every entry again: into a new pool, so that strings no entry
      // uses any more leave with the old one.
      const pool = full ? new StringPool() : this.#pool;
      const unconvertible: string[] = [];
      // A full read reads the refs the mirror holds without their ledgers (they come in
      // rounds), and every ref so until the first round completed; a ref new to a loaded
      // mirror is read whole, as every ref a poll names. So is every ref written since the
      // last poll: its cursor moves to this read's, past writes no poll has read.
      // (The first full read has no last poll: it reads every ref without its ledger.)
      // What the feed named since the last poll, with the writes it marks: the poll's own
      // answer, or the one a full read asks for.
      let named: ChangedEntities | undefined = changed.data;
      if (full) {
        named =
          this.#until !== undefined
            ? await this.#writtenSincePoll()
            : undefined;
      }
      const namedRefs = new Set(named?.refs);
      const whole: string[] = [];
      const withoutLedger: string[] = [];
      for (const ref of changed.data.refs) {
        const key = storedKeyOf(ref);
        const held = this.#entries.has(key);
        // every write named for it already read: a poll skips it, a full read reads it as the
        // refs it names no more (without its ledger)
        const readBefore =
          namedRefs.has(ref) && this.#hasRead(ref, named?.marks);
        if (!full && readBefore) continue;
        if (this.#isSuspect(key) && held) {
          // its ledger timed out: only a round's slice tries it again, alone
          withoutLedger.push(ref);
        } else if (
          (namedRefs.has(ref) && !readBefore) ||
          (full && this.#ledgersLoaded && !held)
        ) {
          whole.push(ref);
        } else {
          withoutLedger.push(ref);
        }
      }
      // Stored keys read without their ledgers because a whole read of them timed out.
      const deferred: string[] = [];
      const fresh = await this.#readAll(
        whole,
        pool,
        unconvertible,
        INCLUDE,
        undefined,
        deferred,
      );
      const ledgerless = await this.#readAll(
        withoutLedger,
        pool,
        unconvertible,
        INCLUDE_BUT_LEDGER,
      );
      const health = await evidence.sourceHealth();
      if (!health.available) {
        throw new Error(`evidence source health unavailable (${health.cause})`);
      }
      if (this.#applied > refresh) return { full, refs: 0, overtaken: true };
      this.#applied = refresh;
      // The ledger each ref has now, taken when applied: a refresh that applied during this
      // one's reads may have read a newer ledger than the mirror held when they began. Before
      // the first round completed, a ref without one waits in the round's queue (the mirror
      // does not answer until then); after it, a ref gone from the mirror meanwhile (another
      // full read applied during these reads) stays gone, as that read found, until a read
      // names it again (whole: the mirror does not hold it).
      for (const [ref, data] of ledgerless) {
        const held = this.#entries.get(ref);
        if (held) data.ledger = held.data.ledger;
        else if (this.#ledgersLoaded) continue;
        else this.#ledgerQueue.add(ref);
        fresh.set(ref, data);
      }
      // A whole read that timed out was read again without ledgers: a ref the mirror holds
      // keeps its ledger, a new one has none yet and reads as an outage; the round's next
      // slice (right after this) reads their ledgers first, stopping at its first timeout.
      if (deferred.length > 0) {
        for (const key of deferred) {
          const data = fresh.get(key);
          if (!data) continue;
          const held = this.#entries.get(key);
          if (held) data.ledger = held.data.ledger;
          else if (this.#ledgersLoaded) {
            this.#ledgerMissing.set(
              key,
              this.#ledgerMissing.get(key) ?? startedAt,
            );
          }
        }
        this.#ledgerQueue = new Set([...deferred, ...this.#ledgerQueue]);
      }
      if (full) {
        // A ref the store no longer lists lost all its evidence (retention, deletion).
        for (const ref of this.#entries.keys()) {
          if (!fresh.has(ref)) this.#forget(ref);
        }
        this.#lastFullAge = startedAge;
        this.#pool = pool;
      }
      for (const [ref, data] of fresh) this.#store(ref, data);
      const deferredKeys = new Set(deferred);
      // The writes named for refs read whole (not read again without ledgers, converted) are
      // read; none a poll can list any more are kept.
      if (named?.marks) {
        const failed = new Set(unconvertible);
        this.#noteRead(
          whole.filter(ref => {
            const key = storedKeyOf(ref);
            return fresh.has(key) && !deferredKeys.has(key) && !failed.has(ref);
          }),
          named,
        );
      }
      this.#forgetMarksBefore(
        Number(changed.data.until) - this.#options.overlapMs,
      );
      // A ref read whole is no longer suspected; a suspect the mirror does not hold is dropped.
      for (const key of fresh.keys()) {
        if (!deferredKeys.has(key) && !ledgerless.has(key)) {
          this.#suspects.delete(key);
        }
      }
      for (const key of this.#suspects) {
        if (!this.#entries.has(key)) this.#suspects.delete(key);
      }
      // since when each unreadable ref has been so (kept through later reads that fail alike)
      const unreadable = new Map<string, number>(full ? [] : this.#unreadable);
      for (const ref of fresh.keys()) unreadable.delete(ref);
      this.#markUnreadable(unconvertible, pool, startedAt, unreadable);
      this.#unreadable = unreadable;
      this.#storeHealth(health.data.map(toSourceHealth));
      this.#until = changed.data.until;
      this.#lastSuccessAt = startedAt;
      this.#lastSuccessAge = startedAge;
      this.#failingSince = undefined;
      const ledgers = await this.#readLedgerSlice(refresh, startedAge);
      return {
        full,
        refs: fresh.size,
        ...(unconvertible.length > 0 || ledgers?.unconvertible.length
          ? {
              unconvertible: [
                ...unconvertible,
                ...(ledgers?.unconvertible ?? []),
              ],
            }
          : {}),
        ...(ledgers
          ? {
              ledgers: {
                read: ledgers.read,
                left: this.#ledgerQueue.size,
                ...(ledgers.failure ? { failure: ledgers.failure } : {}),
              },
            }
          : {}),
      };
    } catch (error) {
      // An overtaken refresh's failure says nothing about the store since the later success.
      if (this.#applied < refresh) this.#failingSince ??= startedAt;
      throw error;
    }
  }

  /**
   * The refs written since the last poll's cursor, asked after a full read's list (so that
   * they cover every write before that list's `until`, which the next poll starts from).
   */
  async #writtenSincePoll(): Promise<ChangedEntities> {
    const since = String(
      Math.max(0, Number(this.#until) - this.#options.overlapMs),
    );
    const written = await this.#options.evidence.changedEntities!(since);
    if (!written.available) {
      throw new Error(`evidence store unavailable (${written.cause})`);
    }
    return written.data;
  }

  /**
   * Whether the mirror read every write `marks` lists for `ref`, and holds what it read: the
   * ref, its ledger, convertible evidence.
   */
  #hasRead(ref: string, marks: ChangedEntities['marks']): boolean {
    const listed = marks?.[ref];
    if (!listed || listed.length === 0) return false;
    const key = storedKeyOf(ref);
    if (
      !this.#entries.has(key) ||
      this.#unreadable.has(key) ||
      this.#ledgerMissing.has(key) ||
      this.#isSuspect(key)
    ) {
      return false;
    }
    return listed.every(mark => this.#readMarks.has(`${key} ${mark}`));
  }

  /** Records the writes `answer` listed for `refs`, read whole after it (`#readMarks`). */
  #noteRead(refs: readonly string[], answer: ChangedEntities): void {
    const newest = Number(answer.until) - READ_MARK_MARGIN_MS;
    for (const ref of refs) {
      const key = storedKeyOf(ref);
      for (const mark of answer.marks?.[ref] ?? []) {
        // Rows moved between entities by re-resolution (`d:`): a ledger read resolves aliases
        // through the answering replica's map, which may lag the move by up to a minute, so
        // the ref is read by every poll that lists the move, as before marks.
        if (mark.startsWith('d:')) continue;
        const stamp = Number(mark.slice(mark.lastIndexOf('@') + 1));
        if (stamp <= newest) this.#readMarks.set(`${key} ${mark}`, stamp);
      }
    }
  }

  /** Drops read marks stamped at or before `sinceMs`: a poll from it on no longer lists them. */
  #forgetMarksBefore(sinceMs: number): void {
    for (const [mark, stamp] of this.#readMarks) {
      if (stamp <= sinceMs) this.#readMarks.delete(mark);
    }
  }

  /**
   * Reads the next ledgers of the round for at most `ledgerBudgetMs`, starting a round when
   * one is due, and applies them unless a later refresh applied meanwhile. Undefined when no
   * round is under way.
   */
  async #readLedgerSlice(
    refresh: number,
    startedAge: number,
  ): Promise<
    { read: number; unconvertible: string[]; failure?: string } | undefined
  > {
    if (!this.#ledgersLoaded) {
      // The first round: the refs the first full read queued (read without their ledgers).
      if (this.#ledgerRoundAge === Number.NEGATIVE_INFINITY) {
        this.#ledgerRoundAge = startedAge;
      }
    } else if (
      this.#ledgerQueue.size === 0 &&
      startedAge - this.#ledgerRoundAge >= this.#options.ledgerFullEveryMs
    ) {
      this.#ledgerRoundAge = startedAge;
      this.#ledgerQueue = new Set(this.#entries.keys());
      this.#ledgerAttempts.clear();
    }
    // Missing ledgers whose wait is over are tried again (`#missingRetry`).
    const nowAge = this.#ageClock();
    for (const [key, retry] of this.#missingRetry) {
      if (retry.atAge <= nowAge && this.#entries.has(key)) {
        this.#ledgerQueue.add(key);
      }
    }
    if (this.#ledgerQueue.size === 0) {
      this.#ledgersLoaded = true;
      return undefined;
    }
    const pool = this.#pool;
    const unconvertible: string[] = [];
    const slice: LedgerSlice = {
      deadlineAge: this.#ageClock() + this.#options.ledgerBudgetMs,
      done: [],
      timedOut: [],
    };
    // Refs whose ledger timed out in a request (or alone) first, each alone, so that the one
    // the store cannot answer in time is found without holding up the others; then the rest.
    // A ledger that timed out alone before is queued again only once its retry is due.
    const queued = [...this.#ledgerQueue];
    const triedAlone = (key: string) => this.#ledgerAttempts.has(key);
    const read = new Map<string, ConvertedEvidence>();
    const readAlone = async (keys: string[]) => {
      for (const key of keys) {
        if (slice.failure) return;
        const one = await this.#readAll(
          [key],
          pool,
          unconvertible,
          LEDGER_ONLY,
          slice,
        );
        for (const [k, data] of one) read.set(k, data);
      }
    };
    // Suspects first, each alone: those not tried alone yet, then those whose retry is due.
    await readAlone(
      queued.filter(key => this.#isSuspect(key) && !triedAlone(key)),
    );
    await readAlone(
      queued.filter(key => this.#isSuspect(key) && triedAlone(key)),
    );
    if (!slice.failure) {
      const rest = await this.#readAll(
        queued.filter(key => !this.#isSuspect(key)),
        pool,
        unconvertible,
        LEDGER_ONLY,
        slice,
      );
      for (const [k, data] of rest) read.set(k, data);
    }
    if (this.#applied !== refresh) return undefined;
    // What was read before the deadline or a failure is kept; the next refresh goes on.
    const atMs = this.#clock();
    for (const ref of slice.done) {
      const key = storedKeyOf(ref);
      this.#ledgerQueue.delete(key);
      const held = this.#entries.get(key);
      const ledger = read.get(key)?.ledger;
      if (held && ledger) {
        this.#store(key, { ...held.data, ledger });
        this.#ledgerMissing.delete(key);
      }
      // Answered (or answered without it: restricted, or its evidence gone, which the next
      // full read finds): not tried again alone.
      if (!slice.timedOut.includes(ref)) {
        this.#ledgerAttempts.delete(key);
        this.#suspects.delete(key);
        this.#missingRetry.delete(key);
      }
    }
    // A ledger the store could not answer alone in time is tried again 30 s later (a
    // moment's slowness: meanwhile its entity keeps the ledger the mirror holds, if it holds
    // one); after a second timeout it is missing (its entity reads as an outage, the others
    // are not held up) and tried again 5 min later, then 10, 20, … (at most
    // `ledgerFullEveryMs`), and in every round.
    const { ledgerRetryMs } = this.#options;
    for (const ref of slice.timedOut) {
      const key = storedKeyOf(ref);
      if (!this.#entries.has(key)) continue;
      const attempts = (this.#ledgerAttempts.get(key) ?? 0) + 1;
      this.#ledgerAttempts.set(key, attempts);
      const retry = this.#missingRetry.get(key);
      let delayMs = ledgerRetryMs;
      // (a ledger missing since an earlier round goes on doubling its wait)
      if (attempts >= 2 || this.#ledgerMissing.has(key)) {
        delayMs = Math.min(
          this.#options.ledgerFullEveryMs,
          retry && retry.delayMs >= 10 * ledgerRetryMs
            ? retry.delayMs * 2
            : 10 * ledgerRetryMs,
        );
      }
      this.#missingRetry.set(key, {
        atAge: this.#ageClock() + delayMs,
        delayMs,
      });
      // Before the first round completed, the mirror holds no ledger of it (it was read
      // without one), and a ref new to it has none either (`#ledgerMissing` already).
      if (attempts >= 2 || !this.#ledgersLoaded) {
        this.#ledgerMissing.set(key, this.#ledgerMissing.get(key) ?? atMs);
      }
    }
    // A ledger that cannot be converted reads as an outage, as in a full read.
    this.#markUnreadable(unconvertible, pool, atMs, this.#unreadable);
    if (this.#ledgerQueue.size === 0) this.#ledgersLoaded = true;
    return {
      read: slice.done.length,
      unconvertible,
      ...(slice.failure ? { failure: slice.failure } : {}),
    };
  }

  /**
   * The evidence of `refs` for one evaluation, or undefined before the first full read.
   * Synchronous: this is what keeps catalog processing from waiting on the network.
   */
  read(refs: readonly string[]): MirroredEvaluationEvidence | undefined {
    if (this.#lastSuccessAt === undefined || !this.#ledgersLoaded) {
      return undefined;
    }
    if (this.#ageClock() - this.#lastSuccessAge > this.#options.maxAgeMs) {
      return this.#outage(this.#failingSince ?? this.#lastSuccessAt);
    }
    if (this.#unreadable.size > 0 || this.#ledgerMissing.size > 0) {
      for (const ref of refs) {
        const key = storedKeyOf(ref);
        const since = this.#unreadable.get(key) ?? this.#ledgerMissing.get(key);
        if (since !== undefined) return this.#outage(since);
      }
    }
    const items: ConvertedEvidence[] = [];
    let versions = '';
    for (let i = 0; i < refs.length; i++) {
      const ref = refs[i];
      // Each ref once, where it is first named (as a Set of them would list them): the lists
      // are a few refs long, and this runs on every visit of every scored entity.
      if (refs.indexOf(ref) < i) continue;
      const entry = this.#entries.get(storedKeyOf(ref));
      items.push(entry?.data ?? EMPTY);
      versions += `${items.length > 1 ? '.' : ''}${entry?.version ?? 0}`;
    }
    return new MirrorAnswer(
      items,
      this.#health,
      `${versions}/${this.#healthVersion}`,
    );
  }

  /** An evaluation's evidence when the store cannot be read (for it), since `sinceMs`. */
  #outage(sinceMs: number): MirroredEvaluationEvidence {
    const since = new Date(sinceMs);
    return {
      evidence: {
        facts: [],
        ledger: [],
        observedEdges: [],
        collection: [],
        sourceHealth: outageHealth(this.#options.config, since.toISOString()),
      },
      version: `outage@${since.getTime()}`,
    };
  }

  /**
   * Records in `into` that `refs` cannot be converted, since `atMs` or since they were already
   * (`#unreadable` as it stood), and forgets what the mirror held of them.
   */
  #markUnreadable(
    refs: readonly string[],
    pool: StringPool,
    atMs: number,
    into: Map<string, number>,
  ): void {
    for (const ref of refs) {
      const key = pool.intern(storedKeyOf(ref));
      into.set(key, this.#unreadable.get(key) ?? atMs);
      this.#forget(key);
    }
  }

  /** Drops a stored key's entry and what the rounds know of it. */
  #forget(key: string): void {
    this.#entries.delete(key);
    this.#ledgerQueue.delete(key);
    this.#ledgerMissing.delete(key);
    this.#ledgerAttempts.delete(key);
    this.#suspects.delete(key);
    this.#missingRetry.delete(key);
  }

  /**
   * Refs of a request with ledgers that timed out: their ledgers are read alone from now, and
   * queued at once (a refresh that fails or is overtaken after this would not queue them).
   */
  #suspect(refs: readonly string[]): void {
    for (const ref of refs) {
      const key = storedKeyOf(ref);
      this.#suspects.add(key);
      if (this.#entries.has(key)) this.#ledgerQueue.add(key);
    }
  }

  /** Whether a ref's ledger is read alone, in slices only: suspected or missing. */
  #isSuspect(key: string): boolean {
    return this.#suspects.has(key) || this.#ledgerMissing.has(key);
  }

  async #readAll(
    refs: string[],
    pool: StringPool,
    unconvertible: string[],
    include: readonly EvidenceInclude[] = INCLUDE,
    slice?: LedgerSlice,
    /**
     * Receives the stored keys of refs read without their ledgers because a request with
     * ledgers timed out (polls and full reads: no retries, which the breaker would count).
     */
    deferred?: string[],
  ): Promise<Map<string, ConvertedEvidence>> {
    const out = new Map<string, ConvertedEvidence>();
    const withLedger = include.includes('ledger');
    const sizes = withLedger ? 'ledger' : 'plain';
    const most = withLedger
      ? Math.min(this.#options.chunkSize, this.#options.ledgerChunkSize)
      : this.#options.chunkSize;
    for (let i = 0; i < refs.length; ) {
      if (slice && this.#ageClock() >= slice.deadlineAge) break;
      const size = this.#requestSize[sizes];
      const chunk = refs.slice(i, i + size);
      const startedAge = this.#ageClock();
      const read = await this.#options.evidence.readEntities(chunk, {
        include: [...include],
        // The mirror is the cache; a second copy in the client would only cost memory.
        cache: false,
        // The store then neither reads nor sends the history the mirror would drop.
        ...(this.#ledgerNeeds && withLedger
          ? { ledgerView: this.#ledgerNeeds }
          : {}),
      });
      const tookMs = this.#ageClock() - startedAge;
      if (!read.available) {
        const failure = `evidence store unavailable (${read.cause})`;
        // A request the store could not answer in time makes the requests after it half as
        // large: a history of many changes a day costs the store more per ref than 100 refs a
        // call leave time for. It is not read again in halves within the refresh: timeouts in
        // a row open the client's circuit breaker (3 for 30 s), which the catalog's own reads
        // go through too.
        // (A ref read alone says nothing of the others: the size stays.)
        if (read.cause === 'timeout' && tellsOfSize(size, chunk.length)) {
          this.#requestSize[sizes] = Math.max(1, Math.ceil(size / 2));
        }
        if (slice) {
          // One ref alone: tried again later (`#readLedgerSlice`), the slice goes on next time.
          if (read.cause === 'timeout') {
            if (chunk.length === 1) {
              slice.timedOut.push(chunk[0]);
              slice.done.push(chunk[0]);
            }
            this.#suspect(chunk);
          }
          slice.failure = failure;
          break;
        }
        if (read.cause === 'timeout' && withLedger && deferred) {
          // This request's refs and every one after it: their facts, collection and edges
          // now, their ledgers from the round's next slices (at most one such timeout a
          // refresh). The request's own refs are suspects: read alone by the slices, and
          // until then not in whole reads (`#isSuspect`).
          this.#suspect(chunk);
          const plain = await this.#readAll(
            refs.slice(i),
            pool,
            unconvertible,
            INCLUDE_BUT_LEDGER,
          );
          for (const [key, data] of plain) {
            out.set(key, data);
            deferred.push(key);
          }
          break;
        }
        throw new Error(failure);
      }
      this.#requestSize[sizes] = nextRequestSize(
        size,
        chunk.length,
        tookMs,
        most,
      );
      i += chunk.length;
      if (slice) slice.done.push(...chunk);
      for (const [ref, item] of read.data) {
        if (item.restricted) continue;
        try {
          // pooled: a key cut out of the response text would keep all of it (`StringPool`)
          out.set(
            pool.intern(storedKeyOf(ref)),
            convertEntityEvidence(
              // the store answers only what was asked for
              include === LEDGER_ONLY
                ? {
                    ...item,
                    facts: item.facts ?? [],
                    collection: item.collection ?? [],
                  }
                : item,
              pool,
              this.#ledgerNeeds,
            ),
          );
        } catch {
          // One entity's evidence in a shape the mirror cannot convert must not stop every
          // other entity's refresh: that entity reads as an outage (`read`), and the caller
          // reports it.
          unconvertible.push(ref);
        }
      }
    }
    return out;
  }

  #store(ref: string, data: ConvertedEvidence): void {
    // A digest rather than the JSON itself, which per ref was as large as the data it stood for.
    const fingerprint = createHash('sha256')
      .update(JSON.stringify(data))
      .digest('base64');
    const existing = this.#entries.get(ref);
    this.#entries.set(ref, {
      // The fresh copy even when unchanged: its strings are in the current pool.
      data,
      fingerprint,
      // Re-read refs are often unchanged (the overlap, a collector writing the same values):
      // they keep their version so evaluations depending on them can be reused.
      version:
        existing?.fingerprint === fingerprint
          ? existing.version
          : this.#nextVersion++,
    });
  }

  #storeHealth(health: SourceHealth[]): void {
    // The engine judges a source by its status and since; `lastSuccessAt` moves with every
    // collector run and would make every evaluation look changed.
    const fingerprint = JSON.stringify(
      health.map(h => [h.source, h.status, h.since]),
    );
    this.#health = health;
    if (fingerprint === this.#healthFingerprint) return;
    this.#healthFingerprint = fingerprint;
    this.#healthVersion = this.#nextVersion++;
  }
}

/**
 * Whether a request of `read` refs says anything of requests of `size`: at least half as many.
 * A ref read alone (a suspect's ledger) or a short tail leaves the size as it is.
 */
function tellsOfSize(size: number, read: number): boolean {
  return read > 1 && read * 2 >= size;
}

/**
 * The refs the next bulk request reads after one of `read` refs (of `size` asked for) took
 * `tookMs`. Fewer (towards `REQUEST_TARGET_MS`, at most half as many at a time) after one that
 * took more than twice that; more after a full one that took less than 1.5 times that: towards
 * the target (at most twice as many) below it, a tenth more above it, so that a store with a
 * fixed cost per request (a remote one) grows back after a slow answer too; at most `most`.
 */
function nextRequestSize(
  size: number,
  read: number,
  tookMs: number,
  most: number,
): number {
  if (tookMs > 2 * REQUEST_TARGET_MS) {
    if (!tellsOfSize(size, read)) return size;
    // at most half as many at a time: one slow answer of a store with a fixed cost per
    // request would otherwise take the size far below what its requests need
    return Math.max(
      1,
      Math.ceil(size / 2),
      Math.floor((read * REQUEST_TARGET_MS) / tookMs),
    );
  }
  if (read !== size) return size;
  if (tookMs < REQUEST_TARGET_MS) {
    const towards = Math.floor(
      (size * REQUEST_TARGET_MS) / Math.max(tookMs, 1),
    );
    return Math.min(most, size * 2, Math.max(size + 1, towards));
  }
  // a tenth more while under 750 ms: a store with a fixed cost per request grows back, one
  // whose cost is per ref stays well inside the timeout
  if (tookMs < 1.5 * REQUEST_TARGET_MS) {
    return Math.min(most, Math.max(size + 1, Math.floor(size * 1.1)));
  }
  return size;
}

/**
 * The key a ref's entry is stored under (`#readAll`) and read by (`read`): the ref's
 * `toLocaleLowerCase('en-US')`, without that call's cost for a ref of ASCII characters only
 * (every valid catalog ref): there the locale's lower case is `toLowerCase()`'s, and a ref
 * without an upper-case letter is its own. Anything else goes through the locale's rules.
 */
function storedKeyOf(ref: string): string {
  let upper = false;
  for (let i = 0; i < ref.length; i++) {
    const code = ref.charCodeAt(i);
    if (code > 0x7f) return ref.toLocaleLowerCase('en-US');
    if (code >= 0x41 && code <= 0x5a) upper = true;
  }
  return upper ? ref.toLowerCase() : ref;
}
