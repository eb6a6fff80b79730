import {
  SECONDS_PER_DAY,
  SECONDS_PER_HOUR,
  SECONDS_PER_MINUTE,
} from '../time/timestamps';

/**
 * Default `evidence.clock.maxSkew` in seconds (5 min, `ours`).
 *
 * @public
 */
export const DEFAULT_MAX_SKEW_SECONDS = 5 * SECONDS_PER_MINUTE;

/**
 * A change received more than this long after it finished (or started) is flagged `LATE`.
 *
 * @public
 */
export const LATE_AFTER_SECONDS = 24 * SECONDS_PER_HOUR;

/**
 * Default fact history retention in days; older `observedAt` values are refused at ingestion.
 *
 * @public
 */
export const DEFAULT_FACT_HISTORY_DAYS = 400;

/**
 * Fact history retention in seconds, derived from {@link DEFAULT_FACT_HISTORY_DAYS}.
 *
 * @public
 */
export const DEFAULT_FACT_HISTORY_SECONDS =
  DEFAULT_FACT_HISTORY_DAYS * SECONDS_PER_DAY;
