/** Maturity level ids, lowest first. */
export type LevelId = 'L0' | 'L1' | 'L2' | 'L3';

/** What the catalog label carries: a level, `none` (L0 not met) or `not-rated`. */
export type LevelValue = LevelId | 'none' | 'not-rated';

/** All level ids in ladder order. */
export const LEVEL_IDS: readonly LevelId[] = ['L0', 'L1', 'L2', 'L3'];

/** Position of a level on the ladder; `none` is below L0 and `not-rated` has no rank. */
export function levelRank(level: LevelValue): number {
  switch (level) {
    case 'L0':
      return 0;
    case 'L1':
      return 1;
    case 'L2':
      return 2;
    case 'L3':
      return 3;
    case 'none':
      return -1;
    default:
      return Number.NaN;
  }
}
