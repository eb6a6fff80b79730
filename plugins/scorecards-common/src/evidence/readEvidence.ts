import { ScorecardsConfig } from '../config/scorecardsConfig';
import { CollectionError, MissingCause } from '../model/resultModel';
import {
  EntityCollectionStatus,
  EvidenceFact,
  SourceHealth,
} from './evidenceTypes';
import { parseInstantMs } from './instant';

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
  observedMs: number;
  observedAt: string;
  skewed: boolean;
  collectedMs: number;
}

/** A record with its effective observation time worked out (SR25), built when first needed. */
class Pick implements PickedFact {
  constructor(
    readonly fact: EvidenceFact,
    readonly observedMs: number,
    readonly observedAt: string,
    readonly skewed: boolean,
    readonly collectedMs: number,
  ) {}
}

/**
 * Parses a record's times: observedAt and collectedAt (usually the same instant, parsed once
 * then). A record observed more than the allowed skew after it was collected counts as
 * observed at collection time (SR25).
 */
function toPick(fact: EvidenceFact, maxSkewMs: number): Pick {
  let observedMs = parseInstantMs(fact.observedAt);
  const collectedMs =
    fact.collectedAt === fact.observedAt
      ? observedMs
      : parseInstantMs(fact.collectedAt);
  if (observedMs - collectedMs > maxSkewMs) {
    observedMs = collectedMs;
    return new Pick(fact, observedMs, fact.collectedAt, true, collectedMs);
  }
  return new Pick(fact, observedMs, fact.observedAt, false, collectedMs);
}

/**
 * Chooses the newest record of a kind: newest observedAt, then collectedAt, then source id,
 * so input order never matters (SR24). Records observed more than the allowed skew after
 * they were collected count as observed at collection time (SR25).
 */
export function pickLatestFact(
  facts: readonly EvidenceFact[],
  entityRef: string,
  kind: string,
  key: string | undefined,
  maxSkewSeconds: number,
): PickedFact | undefined {
  let best: PickedFact | undefined;
  for (const fact of facts) {
    if (fact.kind !== kind) continue;
    if (key !== undefined) {
      if (fact.key !== key) continue;
    } else if (fact.key) continue;
    // Keyed facts (on-call routes, URLs) may belong to another entity, e.g. the owner group.
    if (key === undefined && fact.entityRef !== entityRef) continue;
    const pick = toPick(fact, maxSkewSeconds * 1000);
    if (newer(pick, best)) best = pick;
  }
  return best;
}

/**
 * Whether a record is preferred over `best` as the newest of its kind: newest observedAt, then
 * collectedAt, then source id, so input order never matters (SR24).
 */
function newer(pick: PickedFact, best: PickedFact | undefined): boolean {
  return (
    !best ||
    pick.observedMs > best.observedMs ||
    (pick.observedMs === best.observedMs &&
      (pick.collectedMs > best.collectedMs ||
        (pick.collectedMs === best.collectedMs &&
          pick.fact.source > best.fact.source)))
  );
}

/** A kind's (or key's) only record so far, unparsed, or the newest of several. */
type Slot = EvidenceFact | Pick;

/**
 * The newest record of each kind for the entity itself, and of each (kind, key). Times are
 * parsed only where two records compete or when a record is read.
 */
export class LatestFacts {
  private readonly own = new Map<string, Slot>();
  private readonly keyed = new Map<string, Map<string, Slot>>();

  constructor(private readonly maxSkewMs: number) {}

  /** Keeps `fact` if it is newer than what the slot holds (the first one wins a full tie). */
  private better(current: Slot, fact: EvidenceFact): Pick {
    const best =
      current instanceof Pick ? current : toPick(current, this.maxSkewMs);
    const pick = toPick(fact, this.maxSkewMs);
    return newer(pick, best) ? pick : best;
  }

  addOwn(fact: EvidenceFact): void {
    const current = this.own.get(fact.kind);
    this.own.set(
      fact.kind,
      current === undefined ? fact : this.better(current, fact),
    );
  }

  addKeyed(fact: EvidenceFact, key: string): void {
    let byKey = this.keyed.get(fact.kind);
    if (!byKey) {
      byKey = new Map();
      this.keyed.set(fact.kind, byKey);
    }
    const current = byKey.get(key);
    byKey.set(key, current === undefined ? fact : this.better(current, fact));
  }

  /** The newest record of a kind (and key), its times parsed. */
  get(kind: string, key: string | undefined): PickedFact | undefined {
    const slots = key === undefined ? this.own : this.keyed.get(kind);
    const slotKey = key === undefined ? kind : key;
    const slot = slots?.get(slotKey);
    if (slot === undefined || slot instanceof Pick) return slot;
    const pick = toPick(slot, this.maxSkewMs);
    slots!.set(slotKey, pick);
    return pick;
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
): LatestFacts {
  const latest = new LatestFacts(maxSkewSeconds * 1000);
  for (let i = 0; i < facts.length; i++) {
    const fact = facts[i];
    const key = fact.key;
    if (!key && fact.entityRef === entityRef) latest.addOwn(fact);
    if (typeof key === 'string') latest.addKeyed(fact, key);
  }
  return latest;
}

/**
 * Classifies one input in the order of evidence §5.2: fresh (boundary inclusive, SR4), else
 * source down, else stale, else missing. A fresh record stays fresh during an outage.
 * `health` and `collection` are those of the record's source (or the kind's configured source).
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
  if (picked) {
    window = picked.fact.freshForSeconds;
    const configured = config.evidenceWindows[kind];
    if (configured !== undefined && configured < window) window = configured;
    if (maxAgeSeconds !== undefined && maxAgeSeconds < window) {
      window = maxAgeSeconds;
    }
    age = Math.max(0, Math.floor((nowMs - picked.observedMs) / 1000));
  }
  let state: EvidenceState;
  let cause: MissingCause | null;
  if (picked && age !== null && window !== null && age <= window) {
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
