import type { CatalogProcessorCache } from '@backstage/plugin-catalog-node';
import {
  LEVEL_IDS,
  MATURITY_LEVEL_LABEL,
  SCORECARD_SCORE_ANNOTATION,
  SCORECARD_STANDARD_ANNOTATION,
  ScorecardStamp,
  stampOf,
} from '@internal/plugin-scorecards-common';
import { couldExist } from '../catalog/awaitedRefs';

/** What the processor keeps per entity between processing runs (catalog processor cache). */
export interface CachedState {
  firstSeenAt: string;
  stamp?: ScorecardStamp;
  lastErrorLoggedAt?: string;
  /** Refs the entity waits for (`awaitedRefs`), registered as refresh keys. */
  awaits?: string[];
}

/**
 * The processor cache key of the current form, a flat array (`encodeState`). The catalog parses
 * the cache row and stable-stringifies the state twice on every visit of every entity (to tell
 * whether to write it back): the flat form costs it less than half of the nested `v1` object.
 */
export const STATE_KEY = 'scorecard-v2';
/**
 * The key of the nested form written up to 2026-12-06, still read (`decodeState`) and still
 * written with `firstSeenAt` alone (`writeState`).
 */
export const LEGACY_STATE_KEY = 'scorecard-v1';

/** Where `encodeState` puts each part; awaited refs follow `AWAITS_AT`. */
const FIRST_SEEN_AT = 0;
const LEVEL_AT = 1;
const SCORE_AT = 2;
const STANDARD_AT = 3;
const ERROR_LOGGED_AT = 4;
const AWAITS_AT = 5;

/**
 * Writes `state` in the current form, and its `firstSeenAt` alone in the legacy form. The catalog
 * keeps only the keys a processing sets, and a build before 2026-12-06 (a replica during a
 * rolling deploy, or a rollback) reads only `scorecard-v1`: without it, that build would take
 * every entity the current one wrote as seen for the first time, and the checks in their
 * `enforce-new` phase would count against it. A later release can drop the legacy key.
 */
export async function writeState(
  cache: CatalogProcessorCache,
  state: CachedState,
): Promise<void> {
  await cache.set(STATE_KEY, encodeState(state));
  await cache.set(LEGACY_STATE_KEY, { firstSeenAt: state.firstSeenAt });
}

/**
 * The cache value of `state`: `[firstSeenAt, level, score, standard, lastErrorLoggedAt,
 * ...awaits]`, an absent stamp or log time as empty strings (one element kind, and no key for
 * the catalog's stable stringify to sort).
 */
export function encodeState(state: CachedState): string[] {
  const { stamp } = state;
  const value = [
    state.firstSeenAt,
    stamp?.labels[MATURITY_LEVEL_LABEL] ?? '',
    stamp?.annotations[SCORECARD_SCORE_ANNOTATION] ?? '',
    stamp?.annotations[SCORECARD_STANDARD_ANNOTATION] ?? '',
    state.lastErrorLoggedAt ?? '',
  ];
  if (state.awaits) value.push(...state.awaits);
  return value;
}

/**
 * The state `current` (stored under `STATE_KEY`) holds, or else the one `legacy` (under
 * `LEGACY_STATE_KEY`) holds, with `legacy` true: the caller writes it back in the current form,
 * once. Undefined when neither holds a valid state.
 *
 * The cache outlives the code that wrote it (an earlier version of this module, or a damaged
 * value), and what it holds is emitted: `awaits` as refresh keys, the stamp onto the entity while
 * no snapshot is loaded or an evaluation fails. A cached `{awaits: 5}` once failed the entity's
 * processing (`awaits is not iterable`), and a cached label `L9 bogus value!!` was written back
 * for the catalog to refuse. A malformed entry is taken as absent (the entity is evaluated as if
 * seen for the first time); within a valid entry a malformed stamp or log time is dropped, and
 * so is each awaited ref no entity could have (its refresh key would not fit the catalog's
 * column). The stamp is rebuilt from its three values, so nothing else reaches the entity.
 */
export function decodeState(
  current: unknown,
  legacy: unknown,
): { state: CachedState; legacy: boolean } | undefined {
  const decoded = decodeCurrent(current);
  if (decoded) return { state: decoded, legacy: false };
  const upgraded = decodeLegacy(legacy);
  return upgraded ? { state: upgraded, legacy: true } : undefined;
}

function decodeCurrent(raw: unknown): CachedState | undefined {
  if (!Array.isArray(raw) || !isTime(raw[FIRST_SEEN_AT])) return undefined;
  return stateOf(
    raw[FIRST_SEEN_AT],
    validStamp(raw[LEVEL_AT], raw[SCORE_AT], raw[STANDARD_AT]),
    raw[ERROR_LOGGED_AT],
    raw.slice(AWAITS_AT),
  );
}

function decodeLegacy(raw: unknown): CachedState | undefined {
  if (!isRecord(raw) || !isTime(raw.firstSeenAt)) return undefined;
  const { stamp } = raw;
  const valid =
    isRecord(stamp) && isRecord(stamp.labels) && isRecord(stamp.annotations)
      ? validStamp(
          stamp.labels[MATURITY_LEVEL_LABEL],
          stamp.annotations[SCORECARD_SCORE_ANNOTATION],
          stamp.annotations[SCORECARD_STANDARD_ANNOTATION],
        )
      : undefined;
  return stateOf(
    raw.firstSeenAt,
    valid,
    raw.lastErrorLoggedAt,
    Array.isArray(raw.awaits) ? raw.awaits : [],
  );
}

function stateOf(
  firstSeenAt: string,
  stamp: ScorecardStamp | undefined,
  lastErrorLoggedAt: unknown,
  awaited: unknown[],
): CachedState {
  const awaits = awaited.filter(
    (ref): ref is string => typeof ref === 'string' && couldExist(ref),
  );
  // One literal with every key, absent ones undefined: built on every visit, it has one shape.
  return {
    firstSeenAt,
    stamp,
    lastErrorLoggedAt: isTime(lastErrorLoggedAt)
      ? lastErrorLoggedAt
      : undefined,
    awaits: awaits.length ? awaits : undefined,
  };
}

/** What the maturity label may say (`scorecardStamp`): a level, `none` or `not-rated`. */
const LEVEL_VALUES: readonly string[] = [...LEVEL_IDS, 'none', 'not-rated'];

function validStamp(
  level: unknown,
  score: unknown,
  standard: unknown,
): ScorecardStamp | undefined {
  if (
    typeof level !== 'string' ||
    !LEVEL_VALUES.includes(level) ||
    typeof score !== 'string' ||
    !/^\d+\/\d+$/.test(score) ||
    typeof standard !== 'string' ||
    !/^[\s\S]+@\d+$/.test(standard)
  ) {
    return undefined;
  }
  return stampOf(level, score, standard);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isTime(value: unknown): value is string {
  return typeof value === 'string' && Number.isFinite(Date.parse(value));
}
