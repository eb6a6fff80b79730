/**
 * Height of each level on the entity's trend sparkline: `none` sits below L0; `not-rated` has
 * no rank (a gap in the line, never a low level).
 */
export const TREND_RANK: Readonly<Record<string, number>> = {
  none: 0,
  L0: 1,
  L1: 2,
  L2: 3,
  L3: 4,
};

/** The rank drawn at the top edge of the trend sparkline. */
export const TREND_TOP_RANK = 4;
