import {
  LevelValue,
  Transition,
  computeTrend,
} from '@internal/plugin-scorecards-common';

/**
 * The daily level trend of an entity as of `asOf` (§2.10): 90 points ending with the day of
 * `asOf`, from the entity's level rows (`checkId` null) — all of them, whatever range or check
 * the caller filters the transitions by. Rows after `asOf` are not known at `asOf`; the first
 * of them still says which level the entity had then (its `from`; `null`: not evaluated yet).
 * `currentLevel` (the stored latest level) is used only when no level row exists at all. Days
 * that end before `firstEvaluatedAt` (the stored `firstSeenAt`) are `not-rated`.
 */
export function levelTrendAsOf(
  levelRows: readonly Transition[],
  currentLevel: LevelValue,
  asOf: string,
  firstEvaluatedAt?: string,
): { date: string; level: LevelValue }[] {
  const asOfMs = Date.parse(asOf);
  const rows = levelRows.filter(t => t.checkId === null);
  const known = rows.filter(t => Date.parse(t.at) <= asOfMs);
  const next = rows.find(t => Date.parse(t.at) > asOfMs);
  let levelAtAsOf = currentLevel;
  if (known.length > 0) levelAtAsOf = known[known.length - 1].to as LevelValue;
  else if (next) levelAtAsOf = (next.from ?? 'not-rated') as LevelValue;
  return computeTrend(known, levelAtAsOf, asOf, { firstEvaluatedAt });
}
