import { Config } from '@backstage/config';

/** `scorecards.history` (scorecards §2.10, §7.6). */
export interface HistoryConfig {
  /** Transitions and daily rollup snapshots older than this many days are deleted. */
  retainDays: number;
}

export const DEFAULT_RETAIN_DAYS = 730;

/** Reads `scorecards.history`; an invalid value stops the backend with a message naming the key. */
export function readHistoryConfig(config: Config): HistoryConfig {
  const retainDays =
    config.getOptionalNumber('scorecards.history.retainDays') ??
    DEFAULT_RETAIN_DAYS;
  if (!Number.isInteger(retainDays) || retainDays < 1) {
    throw new Error(
      `scorecards.history.retainDays must be a whole number of days, at least 1 (got ${retainDays})`,
    );
  }
  return { retainDays };
}
