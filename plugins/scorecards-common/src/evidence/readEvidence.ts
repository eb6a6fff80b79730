import { ScorecardsConfig } from '../config/scorecardsConfig';
import { CollectionError, MissingCause } from '../model/resultModel';
import {
  EntityCollectionStatus,
  EvidenceFact,
  SourceHealth,
} from './evidenceTypes';

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
}

/**
 * Parsed observedAt/collectedAt per fact record. The same records are read by many checks of
 * many entities (owner-group facts especially), so each timestamp is parsed once.
 */
const parsedTimes = new WeakMap<
  EvidenceFact,
  { observedMs: number; collectedMs: number }
>();

function timesOf(fact: EvidenceFact): {
  observedMs: number;
  collectedMs: number;
} {
  let times = parsedTimes.get(fact);
  if (!times) {
    times = {
      observedMs: Date.parse(fact.observedAt),
      collectedMs: Date.parse(fact.collectedAt),
    };
    parsedTimes.set(fact, times);
  }
  return times;
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
  let bestCollected = 0;
  for (const fact of facts) {
    if (fact.kind !== kind) continue;
    if (key !== undefined) {
      if (fact.key !== key) continue;
    } else if (fact.key) continue;
    // Keyed facts (on-call routes, URLs) may belong to another entity, e.g. the owner group.
    if (key === undefined && fact.entityRef !== entityRef) continue;
    const times = timesOf(fact);
    const collectedMs = times.collectedMs;
    let observedMs = times.observedMs;
    let observedAt = fact.observedAt;
    let skewed = false;
    if (observedMs - collectedMs > maxSkewSeconds * 1000) {
      observedMs = collectedMs;
      observedAt = fact.collectedAt;
      skewed = true;
    }
    if (
      !best ||
      observedMs > best.observedMs ||
      (observedMs === best.observedMs &&
        (collectedMs > bestCollected ||
          (collectedMs === bestCollected && fact.source > best.fact.source)))
    ) {
      best = { fact, observedMs, observedAt, skewed };
      bestCollected = collectedMs;
    }
  }
  return best;
}

/** Inputs of `classifyEvidence`. */
export interface ClassifyInput {
  kind: string;
  key?: string;
  picked: PickedFact | undefined;
  nowMs: number;
  maxAgeSeconds?: number;
  config: ScorecardsConfig;
  health: (source: string) => SourceHealth | undefined;
  collection: (source: string) => EntityCollectionStatus | undefined;
  /** False when the kind needs a join key (e.g. repository) that the entity lacks. */
  joinKeyPresent: boolean;
}

/**
 * Classifies one input in the order of evidence §5.2: fresh (boundary inclusive, SR4), else
 * source down, else stale, else missing. A fresh record stays fresh during an outage.
 */
export function classifyEvidence(input: ClassifyInput): EvidenceRead {
  const { kind, key, picked, nowMs, config } = input;
  const source =
    picked?.fact.source ?? config.evidenceSources[kind] ?? 'unknown';
  const health = input.health(source);
  const collection = input.collection(source);
  let window: number | null = null;
  let age: number | null = null;
  if (picked) {
    window = picked.fact.freshForSeconds;
    const configured = config.evidenceWindows[kind];
    if (configured !== undefined && configured < window) window = configured;
    if (input.maxAgeSeconds !== undefined && input.maxAgeSeconds < window) {
      window = input.maxAgeSeconds;
    }
    age = Math.max(0, Math.floor((nowMs - picked.observedMs) / 1000));
  }
  const base = {
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
  };
  if (picked && age !== null && window !== null && age <= window) {
    return { ...base, state: 'fresh', cause: null };
  }
  if (
    health &&
    (health.status === 'unavailable' || health.status === 'disabled')
  ) {
    return {
      ...base,
      state: 'source-unavailable',
      cause: 'source-unavailable',
    };
  }
  if (picked) return { ...base, state: 'stale', cause: 'stale' };
  if (!input.joinKeyPresent || collection?.error === 'join-key-missing') {
    return { ...base, state: 'missing', cause: 'join-key-missing' };
  }
  return { ...base, state: 'missing', cause: 'missing' };
}
