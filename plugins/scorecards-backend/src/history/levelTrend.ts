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

/**
 * The last level row (`checkId` null) before `from`: the change that set the level a range
 * starting at `from` begins with, and its cause — a drop for an outage that began before the
 * range still lowers the level then. `null` when the entity had no level row before `from`.
 * `levelRows` are in `at` order, as the store lists them.
 */
export function levelRowBefore(
  levelRows: readonly Transition[],
  from: string,
): Transition | null {
  const fromMs = Date.parse(from);
  let before: Transition | null = null;
  for (const t of levelRows) {
    if (Date.parse(t.at) >= fromMs) break;
    if (t.checkId === null) before = t;
  }
  return before;
}
