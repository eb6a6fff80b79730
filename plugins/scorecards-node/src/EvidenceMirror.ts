import { createHash } from 'node:crypto';
import type {
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
   * Ledgers are read again in a full read only this often (at least `fullEveryMs`); the full
   * reads between take each mirrored ref's ledger as it is (`refresh`).
   */
  ledgerFullEveryMs?: number;
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
/** A full read between the ledger reads: everything but the ledger (`ledgerFullEveryMs`). */
const INCLUDE_BUT_LEDGER = ['facts', 'collection', 'edges'] as const;
const EMPTY: ConvertedEvidence = {
  facts: [],
  collection: [],
  edges: [],
  ledger: [],
};

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
 * Ledgers are read in those full reads only every `ledgerFullEveryMs` (6 h): the store ranks
 * every change of a ref's window to answer its ledger, which with a year of history made each
 * full read cost the store ~1.3 s per 200 refs. A ledger write is in the feed, and the store
 * removes no change but by the read window, so between the ledger reads the mirror keeps each
 * ref's ledger as its last read left it; a change older than the window stays until the next.
 *
 * Honesty rules: until the first full read succeeded `read()` answers undefined (the caller
 * reads through the client as before); when refreshes have failed for longer than `maxAgeMs`
 * the answer is an outage — every source unavailable, so checks are `unknown`, never a pass on
 * old data. A ref the store has no evidence for answers empty, as the store itself would.
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
  #lastLedgerFullAge = Number.NEGATIVE_INFINITY;
  #lastSuccessAt: number | undefined;
  #lastSuccessAge = Number.NEGATIVE_INFINITY;
  #failingSince: number | undefined;
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
      ledgerFullEveryMs: 6 * 3600_000,
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

  /** Refs currently mirrored (those with any evidence at the last read). */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Brings the mirror up to date: a full read when due, else the refs written since the last
   * poll. Rejects when the store cannot be read; the mirror then keeps what it had (and turns
   * into an outage after `maxAgeMs`). A refresh that a later one overtook (a caller that stopped
   * waiting at its deadline, and a slow read answering after) applies nothing and answers
   * `refs: 0`: its reads are older than what the mirror holds.
   */
  async refresh(): Promise<{
    full: boolean;
    refs: number;
    /** Refs whose evidence could not be converted: each keeps what the mirror had for it. */
    unconvertible?: string[];
  }> {
    const { evidence } = this.#options;
    if (!evidence.changedEntities) {
      throw new Error('the evidence service cannot list changed entities');
    }
    const startedAt = this.#clock();
    const startedAge = this.#ageClock();
    const refresh = ++this.#started;
    const ledgerFull =
      this.#until === undefined ||
      startedAge - this.#lastLedgerFullAge >= this.#options.ledgerFullEveryMs;
    const full =
      ledgerFull || startedAge - this.#lastFullAge >= this.#options.fullEveryMs;
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
      // Refs mirrored now are read without their ledgers in a full read between ledger reads;
      // a ref the mirror does not hold (new, or unreadable) is read whole.
      const withoutLedger =
        full && !ledgerFull
          ? changed.data.refs.filter(ref => this.#entries.has(storedKeyOf(ref)))
          : [];
      const skipLedger = new Set(withoutLedger);
      const fresh = await this.#readAll(
        changed.data.refs.filter(ref => !skipLedger.has(ref)),
        pool,
        unconvertible,
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
      if (this.#applied > refresh) return { full, refs: 0 };
      this.#applied = refresh;
      // The ledger each ref has now, taken when applied: a refresh that applied during this
      // one's reads may have read a newer ledger than the mirror held when they began.
      for (const [ref, data] of ledgerless) {
        const held = this.#entries.get(ref);
        if (held) {
          data.ledger = held.data.ledger;
          fresh.set(ref, data);
        } else {
          // Gone from the mirror meanwhile (a refresh that applied during these reads): its
          // ledger is unknown here, never empty; the next refresh reads every ledger.
          this.#lastLedgerFullAge = Number.NEGATIVE_INFINITY;
        }
      }
      if (full) {
        // A ref the store no longer lists lost all its evidence (retention, deletion).
        for (const ref of this.#entries.keys()) {
          if (!fresh.has(ref)) this.#entries.delete(ref);
        }
        this.#lastFullAge = startedAge;
        if (ledgerFull) this.#lastLedgerFullAge = startedAge;
        this.#pool = pool;
      }
      for (const [ref, data] of fresh) this.#store(ref, data);
      // since when each unreadable ref has been so (kept through later reads that fail alike)
      const unreadable = new Map<string, number>(full ? [] : this.#unreadable);
      for (const ref of fresh.keys()) unreadable.delete(ref);
      for (const ref of unconvertible) {
        const key = pool.intern(storedKeyOf(ref));
        unreadable.set(key, this.#unreadable.get(key) ?? startedAt);
        this.#entries.delete(key);
      }
      this.#unreadable = unreadable;
      this.#storeHealth(health.data.map(toSourceHealth));
      this.#until = changed.data.until;
      this.#lastSuccessAt = startedAt;
      this.#lastSuccessAge = startedAge;
      this.#failingSince = undefined;
      return {
        full,
        refs: fresh.size,
        ...(unconvertible.length > 0 ? { unconvertible } : {}),
      };
    } catch (error) {
      // An overtaken refresh's failure says nothing about the store since the later success.
      if (this.#applied < refresh) this.#failingSince ??= startedAt;
      throw error;
    }
  }

  /**
   * The evidence of `refs` for one evaluation, or undefined before the first full read.
   * Synchronous: this is what keeps catalog processing from waiting on the network.
   */
  read(refs: readonly string[]): MirroredEvaluationEvidence | undefined {
    if (this.#lastSuccessAt === undefined) return undefined;
    if (this.#ageClock() - this.#lastSuccessAge > this.#options.maxAgeMs) {
      return this.#outage(this.#failingSince ?? this.#lastSuccessAt);
    }
    if (this.#unreadable.size > 0) {
      for (const ref of refs) {
        const since = this.#unreadable.get(storedKeyOf(ref));
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

  async #readAll(
    refs: string[],
    pool: StringPool,
    unconvertible: string[],
    include: readonly EvidenceInclude[] = INCLUDE,
  ): Promise<Map<string, ConvertedEvidence>> {
    const out = new Map<string, ConvertedEvidence>();
    const withLedger = include.includes('ledger');
    const sizes = withLedger ? 'ledger' : 'plain';
    const most = withLedger
      ? Math.min(this.#options.chunkSize, this.#options.ledgerChunkSize)
      : this.#options.chunkSize;
    for (let i = 0; i < refs.length; ) {
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
        // A request the store could not answer in time is read again in halves, and the
        // requests after it stay that small: a history of many changes a day per service
        // costs the store more per ref than 100 refs a call leave time for.
        if (read.cause === 'timeout' && chunk.length > 1) {
          this.#requestSize[sizes] = Math.ceil(chunk.length / 2);
          continue;
        }
        throw new Error(`evidence store unavailable (${read.cause})`);
      }
      this.#requestSize[sizes] = nextRequestSize(
        size,
        chunk.length,
        tookMs,
        most,
      );
      i += chunk.length;
      for (const [ref, item] of read.data) {
        if (item.restricted) continue;
        try {
          // pooled: a key cut out of the response text would keep all of it (`StringPool`)
          out.set(
            pool.intern(storedKeyOf(ref)),
            convertEntityEvidence(item, pool, this.#ledgerNeeds),
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
 * The refs the next bulk request reads after one of `read` refs (of `size` asked for) took
 * `tookMs`: fewer when it took longer than `REQUEST_TARGET_MS`, twice as many (up to `most`)
 * when a full request took under a quarter of it.
 */
function nextRequestSize(
  size: number,
  read: number,
  tookMs: number,
  most: number,
): number {
  if (tookMs > REQUEST_TARGET_MS) {
    return Math.max(1, Math.floor((read * REQUEST_TARGET_MS) / tookMs));
  }
  if (read === size && tookMs < REQUEST_TARGET_MS / 4) {
    return Math.min(most, size * 2);
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
