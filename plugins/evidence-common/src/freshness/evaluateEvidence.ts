import { JsonValue } from '../json/jsonValue';
import { FactRecord } from '../records/factRecord';
import { EntityCollectionStatus, SourceHealth } from '../schemas/sourceHealth';
import { MS_PER_SECOND, timestampMs } from '../time/timestamps';

/**
 * How usable a piece of evidence is at `now` (§5.2).
 *
 * @public
 */
export type EvidenceState =
  | 'fresh'
  | 'stale'
  | 'missing'
  | 'source-unavailable';

/**
 * Why evidence is not fresh.
 *
 * @public
 */
export type EvidenceCause =
  | 'evidence-backend'
  | 'source-down'
  | 'never-collected'
  | NonNullable<EntityCollectionStatus['error']>;

/**
 * Result of {@link evaluateEvidence}.
 *
 * @public
 */
export interface EvidenceEvaluation {
  state: EvidenceState;
  value?: JsonValue;
  ageSeconds: number | null;
  windowSeconds: number | null;
  observedAt: string | null;
  cause?: EvidenceCause;
  skewed: boolean;
}

/**
 * Classifies a fact as fresh, stale, missing or source-unavailable at `now` (§5.2 steps 1–5).
 *
 * @public
 */
export function evaluateEvidence(input: {
  fact?: FactRecord;
  now: string;
  maxAgeSeconds?: number;
  health?: SourceHealth;
  collection?: EntityCollectionStatus;
  readAvailable?: boolean;
}): EvidenceEvaluation {
  const { fact } = input;
  // A consumer may shorten the window a record carries, never lengthen it.
  const windowSeconds = fact
    ? Math.min(fact.freshForSeconds, input.maxAgeSeconds ?? Infinity)
    : input.maxAgeSeconds ?? null;
  const ageMs = fact
    ? Math.max(0, timestampMs(input.now) - timestampMs(fact.observedAt))
    : null;
  const base = {
    ageSeconds: ageMs === null ? null : Math.floor(ageMs / MS_PER_SECOND),
    windowSeconds,
    observedAt: fact?.observedAt ?? null,
    skewed: fact?.flags.includes('SKEWED') ?? false,
    ...(fact ? { value: fact.value } : {}),
  };
  const collectionError = input.collection?.error;

  if (input.readAvailable === false) {
    return { ...base, state: 'source-unavailable', cause: 'evidence-backend' };
  }
  if (fact && ageMs! <= windowSeconds! * MS_PER_SECOND) {
    // Fresh evidence stays fresh during an outage: the outage says nothing about what was seen.
    return { ...base, state: 'fresh' };
  }
  if (
    input.health?.status === 'unavailable' ||
    input.health?.status === 'disabled'
  ) {
    return { ...base, state: 'source-unavailable', cause: 'source-down' };
  }
  if (fact) {
    return {
      ...base,
      state: 'stale',
      ...(collectionError ? { cause: collectionError } : {}),
    };
  }
  return {
    ...base,
    state: 'missing',
    cause: collectionError ?? 'never-collected',
  };
}
