import { ScorecardsConfig } from '../config/scorecardsConfig';
import { CollectionError, MissingCause } from '../model/resultModel';
import {
  EntityCollectionStatus,
  EvidenceFact,
  SourceHealth,
} from './evidenceTypes';
import { canonicalJson } from '../model/canonicalJson';
import { compareText } from '../model/compareText';
import { parseInstantMs } from './instant';
import { reachedYet, stillHolds } from '../engine/timeLimits';

/** Freshness class of one input (scorecards §2.5). */
export type EvidenceState =
  | 'fresh'
  | 'stale'
  | 'missing'
  | 'source-unavailable';

/** One evidence input as a check sees it. */
export interface EvidenceRead {
  kind: string;
  source: string;
  key?: string;
  state: EvidenceState;
  /** The record's value when a record exists (fresh or stale). */
  value: unknown;
  observedAt: string | null;
  ageSeconds: number | null;
  windowSeconds: number | null;
  /** observedAt was moved back to collectedAt because of clock skew (SR25). */
  skewed: boolean;
  cause: MissingCause | null;
  collectionError?: CollectionError;
  sourceStatus?: SourceHealth['status'];
  sourceSince?: string;
}

/** The newest record chosen for a kind, with its effective observation time. */
export interface PickedFact {
  fact: EvidenceFact;
  /** NaN when the record has no usable observation time (see `FactSlot.parse`). */
  observedMs: number;
  observedAt: string;
  skewed: boolean;
  collectedMs: number;
}

/** The record of an empty slot (a kind without records); never read as a record. */
const NO_FACT = {} as EvidenceFact;

/**
 * One kind (or kind and key) of an evaluation: its newest record with that record's times (parsed
 * when first needed), and the classified read once a check asked for it. One entry per kind
 * makes a repeated read one lookup, and a first read one parse and no further object.
 */
export class FactSlot implements PickedFact {
  parsed = false;
  observedMs = Number.NaN;
  observedAt = '';
  skewed = false;
  collectedMs = Number.NaN;
  read: EvidenceRead | undefined = undefined;

  /** `fact` is the newest record when `filled`; an empty slot stands for a kind without records. */
  constructor(public fact: EvidenceFact, public filled: boolean) {}

  /**
   * Parses the record's times: observedAt and collectedAt (usually the same instant, parsed once
   * then). A record observed more than the allowed skew after it was collected counts as
   * observed at collection time (SR25). A record whose effective time is more than the allowed
   * skew after `now` has no usable time (observedMs NaN, like an unparseable one): a clock that
   * far ahead would otherwise keep the record fresh, at age 0, until that date, and outrank every
   * later genuine record. Within the skew it is read as observed now.
   */
  parse(maxSkewMs: number, nowMs: number): void {
    const fact = this.fact;
    const observedMs = parseInstantMs(fact.observedAt);
    const collectedMs =
      fact.collectedAt === fact.observedAt
        ? observedMs
        : parseInstantMs(fact.collectedAt);
    const skewed = observedMs - collectedMs > maxSkewMs;
    const effectiveMs = skewed ? collectedMs : observedMs;
    this.parsed = true;
    // A record too far ahead becomes usable once now comes within the skew of it.
    const usable = reachedYet(
      !(effectiveMs - nowMs > maxSkewMs),
      nowMs,
      effectiveMs - maxSkewMs,
    );
    this.observedMs = usable ? effectiveMs : Number.NaN;
    this.observedAt = skewed ? fact.collectedAt : fact.observedAt;
    this.skewed = skewed;
    this.collectedMs = collectedMs;
  }

  /** Takes over another slot's record and parsed times. */
  hold(pick: FactSlot): void {
    this.fact = pick.fact;
    this.filled = true;
    this.parsed = true;
    this.observedMs = pick.observedMs;
    this.observedAt = pick.observedAt;
    this.skewed = pick.skewed;
    this.collectedMs = pick.collectedMs;
  }
}

/** A record with its times parsed (see `FactSlot.parse`), for records that compete. */
function toPick(
  fact: EvidenceFact,
  maxSkewMs: number,
  nowMs: number,
): FactSlot {
  const pick = new FactSlot(fact, true);
  pick.parse(maxSkewMs, nowMs);
  return pick;
}

/**
 * Chooses the newest record of a kind: newest observedAt, then collectedAt, then source id, then
 * a full-tie order (window, times as written, entity, value), so input order never matters
 * (SR24). Records observed more than the allowed skew after they were collected count as
 * observed at collection time (SR25).
 */
export function pickLatestFact(
  facts: readonly EvidenceFact[],
  entityRef: string,
  kind: string,
  key: string | undefined,
  maxSkewSeconds: number,
  /** Records further than the skew after `now` have no usable time; default: no limit. */
  nowMs: number = Number.POSITIVE_INFINITY,
): PickedFact | undefined {
  let best: PickedFact | undefined;
  for (const fact of facts) {
    if (fact.kind !== kind) continue;
    if (key !== undefined) {
      if (fact.key !== key) continue;
    } else if (fact.key) continue;
    // Keyed facts (on-call routes, URLs) may belong to another entity, e.g. the owner group.
    if (key === undefined && fact.entityRef !== entityRef) continue;
    const pick = toPick(fact, maxSkewSeconds * 1000, nowMs);
    if (newer(pick, best)) best = pick;
  }
  return best;
}

/**
 * A time for ranking records: NaN (unparseable, or too far in the future) ranks oldest. NaN
 * compares false with everything, so ranking by it directly made the choice depend on which
 * record came first (SR24).
 */
function rankMs(ms: number): number {
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
}

/**
 * Whether a record is preferred over `best` as the newest of its kind: newest observedAt, then
 * collectedAt, then source id, then `fullTie` — so input order never matters (SR24).
 */
function newer(pick: PickedFact, best: PickedFact | undefined): boolean {
  if (!best) return true;
  const observed = rankMs(pick.observedMs);
  const bestObserved = rankMs(best.observedMs);
  if (observed !== bestObserved) return observed > bestObserved;
  const collected = rankMs(pick.collectedMs);
  const bestCollected = rankMs(best.collectedMs);
  if (collected !== bestCollected) return collected > bestCollected;
  const source = pick.fact.source;
  const bestSource = best.fact.source;
  if (source !== bestSource) return source > bestSource;
  return fullTie(pick.fact, best.fact) > 0;
}

/** A window for ranking: anything but a number ranks as the longest. */
function rankWindow(seconds: unknown): number {
  return typeof seconds === 'number' && !Number.isNaN(seconds)
    ? seconds
    : Number.POSITIVE_INFINITY;
}

/**
 * Orders two records of one kind (and key) with the same instants and source, so the choice
 * between them never depends on their input order (SR24): positive when `a` is preferred. The
 * shorter window first (the conservative reading: a window may be shortened, never lengthened),
 * then the times as written and the entity (both shown in results), then the value as canonical
 * JSON. Records equal on all of these read the same, whichever is kept. Reached only on a full
 * tie of times and source, which is rare, so the value's text is built only then.
 */
function fullTie(a: EvidenceFact, b: EvidenceFact): number {
  const windowA = rankWindow(a.freshForSeconds);
  const windowB = rankWindow(b.freshForSeconds);
  if (windowA !== windowB) return windowA < windowB ? 1 : -1;
  const text =
    compareText(String(a.observedAt), String(b.observedAt)) ||
    compareText(String(a.collectedAt), String(b.collectedAt)) ||
    compareText(String(a.entityRef), String(b.entityRef));
  if (text !== 0) return text;
  return compareText(canonicalJson(a.value), canonicalJson(b.value));
}

/**
 * Dense numbers for evidence kinds, shared by every evaluation: an evaluation keeps its own
 * kinds in an array indexed by them instead of building a map of its own, so placing a fact or
 * finding a read is one lookup in a map of a few dozen kinds whose hashes are already known.
 * Kinds come from evidence records, so the numbering is capped; kinds past the cap fall back to
 * a map per evaluation.
 */
const kindNumbers = new Map<string, number>();
const MAX_KIND_NUMBERS = 1024;

function kindNumber(kind: string): number {
  const known = kindNumbers.get(kind);
  if (known !== undefined) return known;
  if (kindNumbers.size >= MAX_KIND_NUMBERS) return -1;
  const number = kindNumbers.size;
  kindNumbers.set(kind, number);
  return number;
}

/** How many keyed slots an evaluation keeps in lists before it indexes them by maps. */
const KEYED_SCAN = 8;

/**
 * The newest record of each kind for the entity itself, and of each (kind, key). Times are
 * parsed only where two records compete or when a record is read.
 */
export class LatestFacts {
  /** Own kinds by kind number (see `kindNumber`), sized for the kinds numbered so far. */
  private readonly own: (FactSlot | undefined)[] = new Array(kindNumbers.size);
  /** Own kinds past the numbering cap. */
  private ownOverflow: Map<string, FactSlot> | undefined;
  /**
   * Keyed slots as parallel lists (kind, key, slot): an entity has a few keyed records (its
   * links, its owner's on-call routes), for which a scan is cheaper than maps built per
   * evaluation. Past `KEYED_SCAN` entries they move to `keyedMap`.
   */
  private readonly keyedKinds: string[] = [];
  private readonly keyedKeys: string[] = [];
  private readonly keyedSlots: FactSlot[] = [];
  private keyedMap: Map<string, Map<string, FactSlot>> | undefined;

  constructor(
    private readonly maxSkewMs: number,
    private readonly nowMs: number,
  ) {}

  /** Keeps `fact` if it is preferred over what the slot holds (`newer`, whatever the order). */
  private keep(slot: FactSlot, fact: EvidenceFact): void {
    if (!slot.filled) {
      slot.fact = fact;
      slot.filled = true;
      return;
    }
    const pick = toPick(fact, this.maxSkewMs, this.nowMs);
    if (newer(pick, this.picked(slot))) slot.hold(pick);
  }

  /** The slot of one of the entity's own kinds, created empty when `create`. */
  private ownSlot(kind: string, create: boolean): FactSlot | undefined {
    const number = kindNumber(kind);
    if (number >= 0) {
      let slot = this.own[number];
      if (slot === undefined && create) {
        slot = new FactSlot(NO_FACT, false);
        this.own[number] = slot;
      }
      return slot;
    }
    let slot = this.ownOverflow?.get(kind);
    if (slot === undefined && create) {
      slot = new FactSlot(NO_FACT, false);
      this.ownOverflow ??= new Map();
      this.ownOverflow.set(kind, slot);
    }
    return slot;
  }

  /** The slot of a (kind, key), created empty when `create`. */
  private keyedSlot(
    kind: string,
    key: string,
    create: boolean,
  ): FactSlot | undefined {
    const map = this.keyedMap;
    if (map !== undefined) {
      let byKey = map.get(kind);
      if (!byKey) {
        if (!create) return undefined;
        byKey = new Map();
        map.set(kind, byKey);
      }
      let slot = byKey.get(key);
      if (slot === undefined && create) {
        slot = new FactSlot(NO_FACT, false);
        byKey.set(key, slot);
      }
      return slot;
    }
    const kinds = this.keyedKinds;
    const keys = this.keyedKeys;
    for (let i = 0; i < kinds.length; i++)
      if (keys[i] === key && kinds[i] === kind) return this.keyedSlots[i];
    if (!create) return undefined;
    const slot = new FactSlot(NO_FACT, false);
    if (kinds.length < KEYED_SCAN) {
      kinds.push(kind);
      keys.push(key);
      this.keyedSlots.push(slot);
    } else {
      const moved = new Map<string, Map<string, FactSlot>>();
      for (let i = 0; i < kinds.length; i++) {
        let byKey = moved.get(kinds[i]);
        if (!byKey) {
          byKey = new Map();
          moved.set(kinds[i], byKey);
        }
        byKey.set(keys[i], this.keyedSlots[i]);
      }
      let byKey = moved.get(kind);
      if (!byKey) {
        byKey = new Map();
        moved.set(kind, byKey);
      }
      byKey.set(key, slot);
      this.keyedMap = moved;
    }
    return slot;
  }

  addOwn(fact: EvidenceFact): void {
    this.keep(this.ownSlot(fact.kind, true)!, fact);
  }

  addKeyed(fact: EvidenceFact, key: string): void {
    this.keep(this.keyedSlot(fact.kind, key, true)!, fact);
  }

  /** The slot of a kind (and key), created empty for a kind without records. */
  slot(kind: string, key: string | undefined): FactSlot {
    return key === undefined
      ? this.ownSlot(kind, true)!
      : this.keyedSlot(kind, key, true)!;
  }

  /** The newest record of a slot, its times parsed (once); undefined for an empty slot. */
  picked(slot: FactSlot): PickedFact | undefined {
    if (!slot.filled) return undefined;
    if (!slot.parsed) slot.parse(this.maxSkewMs, this.nowMs);
    return slot;
  }

  /** The newest record of a kind (and key), its times parsed. */
  get(kind: string, key: string | undefined): PickedFact | undefined {
    const slot =
      key === undefined
        ? this.ownSlot(kind, false)
        : this.keyedSlot(kind, key, false);
    return slot === undefined ? undefined : this.picked(slot);
  }
}

/**
 * Indexes an entity's facts by kind and key in one pass, keeping only the newest record of each
 * (kind) and (kind, key): the same choice `pickLatestFact` makes per read, so every later read
 * is a map lookup. Unkeyed records count only for the entity itself; keyed records (on-call
 * routes, URLs) may belong to another entity, e.g. the owner group.
 */
export function indexLatestFacts(
  facts: readonly EvidenceFact[],
  entityRef: string,
  maxSkewSeconds: number,
  /** Records further than the skew after `now` have no usable time; default: no limit. */
  nowMs: number = Number.POSITIVE_INFINITY,
): LatestFacts {
  const latest = new LatestFacts(maxSkewSeconds * 1000, nowMs);
  for (let i = 0; i < facts.length; i++) {
    const fact = facts[i];
    const key = fact.key;
    if (!key && fact.entityRef === entityRef) latest.addOwn(fact);
    if (typeof key === 'string') latest.addKeyed(fact, key);
  }
  return latest;
}

/**
 * Classifies one input in the order of evidence §5.2: fresh (boundary inclusive, SR4, judged to
 * the millisecond), else source down, else stale, else missing. A fresh record stays fresh
 * during an outage. `health` and `collection` are those of the record's source (or the kind's
 * configured source).
 */
export function classifyEvidence(
  kind: string,
  key: string | undefined,
  source: string,
  picked: PickedFact | undefined,
  nowMs: number,
  maxAgeSeconds: number | undefined,
  config: ScorecardsConfig,
  health: SourceHealth | undefined,
  collection: EntityCollectionStatus | undefined,
  /** False when the kind needs a join key (e.g. repository) that the entity lacks. */
  joinKeyPresent: boolean,
): EvidenceRead {
  let window: number | null = null;
  let age: number | null = null;
  let fresh = false;
  if (picked) {
    window = picked.fact.freshForSeconds;
    const configured = config.evidenceWindows[kind];
    if (configured !== undefined && configured < window) window = configured;
    if (maxAgeSeconds !== undefined && maxAgeSeconds < window) {
      window = maxAgeSeconds;
    }
    // No usable observation time: the record can be shown, but never counts as fresh.
    if (!Number.isNaN(picked.observedMs)) {
      const ageMs = nowMs - picked.observedMs;
      // Fresh is decided on the exact age (86 400.5 s is past a 24 h window); the age shown
      // is whole seconds. A record from the (allowed) future reads as age 0.
      fresh = stillHolds(
        ageMs <= window * 1000,
        nowMs,
        picked.observedMs + window * 1000,
      );
      age = Math.max(0, Math.floor(ageMs / 1000));
    }
  }
  let state: EvidenceState;
  let cause: MissingCause | null;
  if (fresh) {
    state = 'fresh';
    cause = null;
  } else if (
    health &&
    (health.status === 'unavailable' || health.status === 'disabled')
  ) {
    state = 'source-unavailable';
    cause = 'source-unavailable';
  } else if (picked) {
    state = 'stale';
    cause = 'stale';
  } else if (!joinKeyPresent || collection?.error === 'join-key-missing') {
    state = 'missing';
    cause = 'join-key-missing';
  } else {
    state = 'missing';
    cause = 'missing';
  }
  return {
    kind,
    source,
    key,
    value: picked?.fact.value,
    observedAt: picked?.observedAt ?? null,
    ageSeconds: age,
    windowSeconds: window,
    skewed: picked?.skewed ?? false,
    collectionError: collection?.error,
    sourceStatus: health?.status,
    sourceSince: health?.since,
    state,
    cause,
  };
}
