import type { Transition } from '@internal/plugin-scorecards-common';
import { TREND_RANK } from './trendRank';

/** The last change of an entity's level and the checks that moved with it (§2.10). */
export interface LevelChange {
  /** The level row (`checkId: null`). */
  level: Transition;
  /** Ids of the checks whose result moved the same way in the same evaluation, first seen first. */
  checks: string[];
}

/** Result states that do not hold a level down (as the engine counts them, §2.7). */
const SATISFIED = new Set(['pass', 'waived', 'not-applicable']);

/** A level row that is a change: there was a level before, and it differs. */
function isLevelChange(t: Transition): boolean {
  return t.checkId === null && t.from !== null && t.from !== t.to;
}

/** Whether the level went up (a rise is explained by checks that became satisfied). */
function isRise(t: Transition): boolean {
  return (TREND_RANK[t.to] ?? -1) > (TREND_RANK[t.from ?? ''] ?? -1);
}

/** Whether a check row moved the way the level did: to satisfied on a rise, away from it on a drop. */
function movedWith(check: Transition, rise: boolean): boolean {
  const wasSatisfied = check.from === null || SATISFIED.has(check.from);
  const isSatisfied = SATISFIED.has(check.to);
  return rise ? !wasSatisfied && isSatisfied : wasSatisfied && !isSatisfied;
}

/**
 * The newest level change among `rows` — up or down, whatever its cause — with the checks that
 * explain it: the check rows of the same evaluation (same `at`) that moved the same way, or,
 * when none did (a standard or phase change), every check row of that evaluation. `rows` may
 * repeat a transition (the entity route's regressions and the history route overlap); each
 * check is named once. A first rating (`from: null`) is no change. `undefined` when there is
 * none.
 */
export function lastLevelChange(
  rows: readonly Transition[],
): LevelChange | undefined {
  const level = rows
    .filter(isLevelChange)
    .reduce<Transition | undefined>(
      (latest, t) => (!latest || t.at > latest.at ? t : latest),
      undefined,
    );
  if (!level) return undefined;
  const sameEvaluation = rows.filter(
    t => t.checkId !== null && t.at === level.at,
  );
  const rise = isRise(level);
  const moved = sameEvaluation.filter(t => movedWith(t, rise));
  const checks = (moved.length ? moved : sameEvaluation).map(t => t.checkId!);
  return { level, checks: [...new Set(checks)] };
}

/** How many check ids the card names before "+ n more" (the tab's rows list every change). */
const CHECKS_NAMED = 3;

/**
 * The change in a sentence's worth: `L2 → L1 on 2026-03-12 09:00 UTC (evidence-changed:
 * dependencies-match-observed)`; at most three checks, then `+ 2 more`. `when` is how the
 * caller writes the instant.
 */
export function describeLevelChange(
  change: LevelChange,
  when: (iso: string) => string,
): string {
  const { level, checks } = change;
  const named = checks.slice(0, CHECKS_NAMED);
  const more = checks.length - named.length;
  const list = named.length
    ? `: ${named.join(', ')}${more ? ` + ${more} more` : ''}`
    : '';
  return `${level.from} → ${level.to} on ${when(level.at)} (${
    level.cause
  }${list})`;
}
