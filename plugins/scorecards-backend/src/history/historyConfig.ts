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
  const settleMinutes =
    config.getOptionalNumber('scorecards.history.settleMinutes') ??
    DEFAULT_SETTLE_MINUTES;
  if (!Number.isFinite(settleMinutes) || settleMinutes < 0) {
    throw new Error(
      `scorecards.history.settleMinutes must be a number of minutes, at least 0 (got ${settleMinutes})`,
    );
  }
  const departedGraceDays =
    config.getOptionalNumber('scorecards.history.departedGraceDays') ??
    DEFAULT_DEPARTED_GRACE_DAYS;
  if (!Number.isFinite(departedGraceDays) || departedGraceDays < 0) {
    throw new Error(
      `scorecards.history.departedGraceDays must be a number of days, at least 0 (got ${departedGraceDays})`,
    );
  }
  return {
    retainDays,
    settleMs: settleMinutes * 60_000,
    departedGraceMs: departedGraceDays * 86400_000,
  };
}
