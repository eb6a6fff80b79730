import { LevelValue } from '../model/levels';
import { Transition } from './computeTransitions';

const DAY_MS = 86400000;

/** What `computeTrend` may know besides the transitions. */
export interface TrendOptions {
  /** How many daily points, ending with the day of `asOf`; default 90. */
  days?: number;
  /**
   * When the entity was first evaluated (the stored `firstSeenAt`). The backend writes no
   * transition for an entity's first result set, so without this an entity first evaluated
   * yesterday would show its current level on every day of the window.
   */
  firstEvaluatedAt?: string;
}

/**
 * Daily level at the end of each UTC day (§2.10), derived from level transitions: `days` points
 * ending with the day of `asOf`. Days that end before the entity's first evaluation are
 * `not-rated`: nobody measured them. The first evaluation is `firstEvaluatedAt`, or a first level
 * row with `from: null`; a level row is never older than the first evaluation. Otherwise, before
 * the first level row the level is that row's `from` (history kept only from then on: that level
 * was known); without level rows it is `currentLevel`.
 */
export function computeTrend(
  transitions: readonly Transition[],
  currentLevel: LevelValue,
  asOf: string,
  options: TrendOptions = {},
): { date: string; level: LevelValue }[] {
  const days = options.days ?? 90;
  const levelRows = transitions
    .filter(t => t.checkId === null)
    .map(t => ({
      atMs: Date.parse(t.at),
      from: t.from as LevelValue | null,
      to: t.to as LevelValue,
    }))
    .sort((a, b) => a.atMs - b.atMs);
  const firstEvaluatedMs = firstEvaluationMs(
    levelRows,
    options.firstEvaluatedAt,
  );
  const asOfMs = Date.parse(asOf);
  const lastDayStart = asOfMs - (asOfMs % DAY_MS);
  const points: { date: string; level: LevelValue }[] = [];
  let index = 0;
  let level: LevelValue =
    levelRows.length > 0 ? levelRows[0].from ?? 'not-rated' : currentLevel;
  for (let i = days - 1; i >= 0; i--) {
    const dayStart = lastDayStart - i * DAY_MS;
    const endOfDay = dayStart + DAY_MS;
    while (index < levelRows.length && levelRows[index].atMs < endOfDay)
      level = levelRows[index++].to;
    points.push({
      date: new Date(dayStart).toISOString().slice(0, 10),
      level: endOfDay <= firstEvaluatedMs ? 'not-rated' : level,
    });
  }
  return points;
}

/**
 * When the entity was first evaluated, as far as known (-Infinity: not known, e.g. the history
 * is truncated). A level row is written by an evaluation, so the entity was evaluated by then.
 */
function firstEvaluationMs(
  levelRows: readonly { atMs: number; from: LevelValue | null }[],
  firstEvaluatedAt: string | undefined,
): number {
  const first = levelRows[0];
  if (firstEvaluatedAt !== undefined)
    return Math.min(Date.parse(firstEvaluatedAt), first?.atMs ?? Infinity);
  return first?.from === null ? first.atMs : -Infinity;
}
