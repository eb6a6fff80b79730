import { SEVERITY_ORDER } from '../model/checkModel';
import { LEVEL_IDS, LevelId, LevelValue } from '../model/levels';
import { Blocker, CheckResult } from '../model/resultModel';
import { compareText } from '../model/compareText';
import { sortSmall } from '../model/sortSmall';

/** A result satisfies its level when it passes, is waived or does not apply (§2.7). */
export function isSatisfied(result: Pick<CheckResult, 'state'>): boolean {
  return (
    result.state === 'pass' ||
    result.state === 'waived' ||
    result.state === 'not-applicable'
  );
}

/**
 * How a result stands for levels, as a number the level computation compares instead of state
 * strings: satisfied, unsatisfied by a fail, or unsatisfied otherwise (a blocker in `unknown`).
 */
export const SATISFIED = 0;
export const BLOCKS_AS_FAIL = 1;
export const BLOCKS_AS_UNKNOWN = 2;

/** The standing (`SATISFIED`, `BLOCKS_AS_FAIL`, `BLOCKS_AS_UNKNOWN`) of a result. */
export function standingOf(result: Pick<CheckResult, 'state'>): number {
  if (isSatisfied(result)) return SATISFIED;
  return result.state === 'fail' ? BLOCKS_AS_FAIL : BLOCKS_AS_UNKNOWN;
}

/** Level, ceiling, next level and blockers of a rated entity. */
export interface LevelOutcome {
  level: LevelValue;
  ceiling: LevelId | null;
  nextLevel: LevelId | null;
  blockers: Blocker[];
}

/** A blocker with the keys it is ordered by, kept beside it so sorting copies nothing. */
interface RankedBlocker {
  blocker: Blocker;
  levelIndex: number;
  severityRank: number;
}

function blockerOrder(a: RankedBlocker, b: RankedBlocker): number {
  return (
    a.levelIndex - b.levelIndex ||
    (a.blocker.state === 'fail' ? 0 : 1) -
      (b.blocker.state === 'fail' ? 0 : 1) ||
    a.severityRank - b.severityRank ||
    compareText(a.blocker.checkId, b.blocker.checkId)
  );
}

/**
 * Levels from required checks only (§2.7, SR11): the ceiling is the highest level with a
 * non-empty gating set at it and every level below; the level is the highest L ≤ ceiling whose
 * gating checks, and those of every lower level, are all satisfied. Nothing is summed.
 */
export function computeLevel(
  results: readonly CheckResult[],
  rated: boolean,
  definedLevels: readonly LevelId[] = LEVEL_IDS,
): LevelOutcome {
  if (!rated) return notRated();
  const gatingLevels: number[] = [];
  const standings: number[] = [];
  for (let k = 0; k < results.length; k++) {
    const r = results[k];
    gatingLevels.push(
      r.gating && r.level !== null ? definedLevels.indexOf(r.level) : -1,
    );
    standings.push(standingOf(r));
  }
  return levelsOfGating(results, gatingLevels, standings, definedLevels);
}

/** The level outcome of an entity that is not rated. */
export function notRated(): LevelOutcome {
  return { level: 'not-rated', ceiling: null, nextLevel: null, blockers: [] };
}

/**
 * `computeLevel` of a rated entity, given for each result the position of its level in
 * `definedLevels` when the result gates (-1 otherwise). The engine knows these positions per
 * check in advance, so it skips the `indexOf` per result. It also passes `blockerRanks`: per
 * result, the rank of its check among all results by severity, then check id (ids unique), so
 * blockers are ordered by one number each instead of by comparing fields pairwise.
 */
export function levelsOfGating(
  results: readonly CheckResult[],
  gatingLevels: readonly number[],
  standings: readonly number[],
  definedLevels: readonly LevelId[],
  blockerRanks?: readonly number[],
): LevelOutcome {
  const n = definedLevels.length;
  // Per level: how many gating checks it has, and whether one of them is not satisfied.
  const gatingCount: number[] = new Array(n);
  const unsatisfied: boolean[] = new Array(n);
  for (let i = 0; i < n; i++) {
    gatingCount[i] = 0;
    unsatisfied[i] = false;
  }
  for (let k = 0; k < results.length; k++) {
    const index = gatingLevels[k];
    if (index < 0) continue;
    gatingCount[index]++;
    if (standings[k] !== SATISFIED) unsatisfied[index] = true;
  }
  let ceiling = -1;
  while (ceiling + 1 < n && gatingCount[ceiling + 1] > 0) ceiling++;
  let level = -1;
  while (level + 1 <= ceiling && !unsatisfied[level + 1]) level++;
  const blocked: BlockedLevels = {
    results,
    gatingLevels,
    standings,
    definedLevels,
    unsatisfied,
    from: level + 1,
    to: ceiling,
  };
  return {
    level: level >= 0 ? definedLevels[level] : 'none',
    ceiling: ceiling >= 0 ? definedLevels[ceiling] : null,
    nextLevel: level + 1 <= ceiling ? definedLevels[level + 1] : null,
    blockers: blockerRanks
      ? blockersByRank(blocked, blockerRanks)
      : blockersByComparison(blocked),
  };
}

/** The levels between the entity's level and its ceiling, and what blocks them. */
interface BlockedLevels {
  results: readonly CheckResult[];
  gatingLevels: readonly number[];
  standings: readonly number[];
  definedLevels: readonly LevelId[];
  unsatisfied: readonly boolean[];
  /** First and last level position (inclusive) whose unsatisfied gating checks block. */
  from: number;
  to: number;
}

function blockerOf(r: CheckResult, level: LevelId, standing: number): Blocker {
  return {
    level,
    checkId: r.checkId,
    state: standing === BLOCKS_AS_FAIL ? 'fail' : 'unknown',
    attribution: r.attribution ?? 'service',
    message: r.message,
    fix: r.fix,
    missing: r.missing,
  };
}

/** Blockers sorted by `blockerOrder` (any results). */
function blockersByComparison(b: BlockedLevels): Blocker[] {
  const { results, gatingLevels, standings, definedLevels, unsatisfied } = b;
  const ranked: RankedBlocker[] = [];
  for (let i = b.from; i <= b.to; i++) {
    if (!unsatisfied[i]) continue;
    const id = definedLevels[i];
    const levelIndex = LEVEL_IDS.indexOf(id);
    // The level's gating checks in result order (the order a per-level list would keep).
    for (let k = 0; k < results.length; k++) {
      if (gatingLevels[k] !== i || standings[k] === SATISFIED) continue;
      const r = results[k];
      ranked.push({
        blocker: blockerOf(r, id, standings[k]),
        levelIndex,
        severityRank: SEVERITY_ORDER[r.severity],
      });
    }
  }
  sortSmall(ranked, blockerOrder);
  const blockers: Blocker[] = [];
  for (let k = 0; k < ranked.length; k++) blockers.push(ranked[k].blocker);
  return blockers;
}

/**
 * Blockers in the same order as `blockersByComparison`, for results whose checks have unique
 * ids: the key (level, fail before unknown, severity and id rank) is one number per blocker, so
 * one pass over the results inserts each blocker at its place.
 */
function blockersByRank(
  b: BlockedLevels,
  blockerRanks: readonly number[],
): Blocker[] {
  const { results, gatingLevels, standings, definedLevels, unsatisfied } = b;
  const m = results.length;
  const keys: number[] = [];
  const blockers: Blocker[] = [];
  if (b.from > b.to) return blockers;
  // The position of each blocking level among all level ids, looked up once per level.
  const levelOrder: number[] = [];
  for (let i = 0; i <= b.to; i++)
    levelOrder.push(i < b.from ? -1 : LEVEL_IDS.indexOf(definedLevels[i]));
  for (let k = 0; k < m; k++) {
    const i = gatingLevels[k];
    const standing = standings[k];
    if (i < b.from || i > b.to || standing === SATISFIED || !unsatisfied[i])
      continue;
    const id = definedLevels[i];
    const key =
      (levelOrder[i] * 2 + (standing === BLOCKS_AS_FAIL ? 0 : 1)) * m +
      blockerRanks[k];
    const blocker = blockerOf(results[k], id, standing);
    let j = keys.length;
    keys.push(key);
    blockers.push(blocker);
    while (j > 0 && keys[j - 1] > key) {
      keys[j] = keys[j - 1];
      blockers[j] = blockers[j - 1];
      j--;
    }
    keys[j] = key;
    blockers[j] = blocker;
  }
  return blockers;
}
