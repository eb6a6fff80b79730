import { Config } from '@backstage/config';
import { DEFAULT_DEPARTED_GRACE_DAYS } from '../database/ScorecardsStore';

/** `scorecards.history` (scorecards §2.10, §7.6). */
export interface HistoryConfig {
  /** Transitions and daily rollup snapshots older than this many days are deleted. */
  retainDays: number;
  /**
   * How long after an entity is first seen its changes are not written as transitions
   * (`recordEvaluations`), in milliseconds; 0: from the first change on.
   */
  settleMs: number;
  /** How long a deleted entity's first-seen time is taken back on its return, in milliseconds. */
  departedGraceMs: number;
}

export const DEFAULT_RETAIN_DAYS = 730;
export const DEFAULT_SETTLE_MINUTES = 10;

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
  const settleMinutes = readNotNegative(
    config,
    'scorecards.history.settleMinutes',
    'minutes',
    DEFAULT_SETTLE_MINUTES,
  );
  const departedGraceDays = readNotNegative(
    config,
    'scorecards.history.departedGraceDays',
    'days',
    DEFAULT_DEPARTED_GRACE_DAYS,
  );
  return {
    retainDays,
    settleMs: settleMinutes * 60_000,
    departedGraceMs: departedGraceDays * 86400_000,
  };
}

/** A number ≥ 0 of `unit`, its default when absent; else an error naming the key. */
function readNotNegative(
  config: Config,
  key: string,
  unit: string,
  fallback: number,
): number {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!Number.isFinite(value) || value < 0) {
    throw new Error(
      `${key} must be a number of ${unit}, at least 0 (got ${value})`,
    );
  }
  return value;
}
