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
  if (!rated)
    return { level: 'not-rated', ceiling: null, nextLevel: null, blockers: [] };
  const n = definedLevels.length;
  // Per level: how many gating checks it has, and whether one of them is not satisfied.
  const gatingCount: number[] = [];
  const unsatisfied: boolean[] = [];
  for (let i = 0; i < n; i++) {
    gatingCount.push(0);
    unsatisfied.push(false);
  }
  for (let k = 0; k < results.length; k++) {
    const r = results[k];
    if (!r.gating || r.level === null) continue;
    const index = definedLevels.indexOf(r.level);
    if (index < 0) continue;
    gatingCount[index]++;
    if (!unsatisfied[index] && !isSatisfied(r)) unsatisfied[index] = true;
  }
  let ceiling = -1;
  while (ceiling + 1 < n && gatingCount[ceiling + 1] > 0) ceiling++;
  let level = -1;
  while (level + 1 <= ceiling && !unsatisfied[level + 1]) level++;
  const ranked: RankedBlocker[] = [];
  for (let i = level + 1; i <= ceiling; i++) {
    if (!unsatisfied[i]) continue;
    const id = definedLevels[i];
    const levelIndex = LEVEL_IDS.indexOf(id);
    // The level's gating checks in result order (the order a per-level list would keep).
    for (let k = 0; k < results.length; k++) {
      const r = results[k];
      if (!r.gating || r.level !== id || isSatisfied(r)) continue;
      if (definedLevels.indexOf(r.level) !== i) continue;
      ranked.push({
        blocker: {
          level: id,
          checkId: r.checkId,
          state: r.state === 'fail' ? 'fail' : 'unknown',
          attribution: r.attribution ?? 'service',
          message: r.message,
          fix: r.fix,
          missing: r.missing,
        },
        levelIndex,
        severityRank: SEVERITY_ORDER[r.severity],
      });
    }
  }
  sortSmall(ranked, blockerOrder);
  return {
    level: level >= 0 ? definedLevels[level] : 'none',
    ceiling: ceiling >= 0 ? definedLevels[ceiling] : null,
    nextLevel: level + 1 <= ceiling ? definedLevels[level + 1] : null,
    blockers: ranked.map(r => r.blocker),
  };
}
