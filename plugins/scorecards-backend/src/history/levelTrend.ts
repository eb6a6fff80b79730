import {
  LevelValue,
  Transition,
  computeTrend,
  levelRank,
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

/** Rank of a level row's level; `NaN` for `not-rated` (and `null`): no level at all. */
function rankOf(level: string | null): number {
  return level === null ? Number.NaN : levelRank(level as LevelValue);
}

/**
 * The outage drop still lowering the level at `from`: the latest level row before `from` with
 * cause `source-outage` that lowered the level, when no later row before `from` took the level
 * back to (or above) the level before that drop. Unlike {@link levelRowBefore} it is found when
 * a partial recovery of another cause came after it (L3 → L1 by an outage, then L1 → L2: the
 * range starts at L2, still below L3 because of the outage). A later row to `not-rated` ends it,
 * as it ends a hatched span on the trend: without a level the entity is not lower because of the
 * outage. `null` when there is none. `levelRows` are in `at` order, as the store lists them.
 */
export function outageDropInEffect(
  levelRows: readonly Transition[],
  from: string,
): Transition | null {
  const fromMs = Date.parse(from);
  const before = levelRows.filter(
    t => t.checkId === null && Date.parse(t.at) < fromMs,
  );
  // Walked newest first: `highest` is the highest level any later row reached.
  let highest = Number.NEGATIVE_INFINITY;
  for (let i = before.length - 1; i >= 0; i--) {
    const t = before[i];
    const dropFrom = rankOf(t.from);
    const isOutageDrop = t.cause === 'source-outage' && rankOf(t.to) < dropFrom;
    if (isOutageDrop && highest < dropFrom) return t;
    const reached = rankOf(t.to);
    if (Number.isNaN(reached)) return null;
    highest = Math.max(highest, reached);
  }
  return null;
}
