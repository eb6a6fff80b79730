import { LevelValue } from '../model/levels';
import { Transition } from './computeTransitions';

const DAY_MS = 86400000;

/**
 * Daily level at the end of each UTC day (§2.10), derived from level transitions: `days` points
 * ending with the day of `asOf`. Before the first transition the level is that transition's
 * `from`; without transitions it is `currentLevel`.
 */
export function computeTrend(
  transitions: readonly Transition[],
  currentLevel: LevelValue,
  asOf: string,
  days = 90,
): { date: string; level: LevelValue }[] {
  const levelRows = transitions
    .filter(t => t.checkId === null)
    .map(t => ({
      atMs: Date.parse(t.at),
      from: t.from as LevelValue | null,
      to: t.to as LevelValue,
    }))
    .sort((a, b) => a.atMs - b.atMs);
  const asOfMs = Date.parse(asOf);
  const lastDayStart = asOfMs - (asOfMs % DAY_MS);
  const points: { date: string; level: LevelValue }[] = [];
  let index = 0;
  let level: LevelValue =
    levelRows.length > 0 ? levelRows[0].from ?? levelRows[0].to : currentLevel;
  for (let i = days - 1; i >= 0; i--) {
    const dayStart = lastDayStart - i * DAY_MS;
    const endOfDay = dayStart + DAY_MS;
    while (index < levelRows.length && levelRows[index].atMs < endOfDay)
      level = levelRows[index++].to;
    points.push({ date: new Date(dayStart).toISOString().slice(0, 10), level });
  }
  return points;
}
