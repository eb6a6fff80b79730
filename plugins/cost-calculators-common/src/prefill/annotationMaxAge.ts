import type { OverrideError } from '../priceBook/priceBookSchema';

/** `costCalculators.annotationMaxAgeDays` when it is not set (§1). */
export const DEFAULT_ANNOTATION_MAX_AGE_DAYS = 90;

/**
 * The largest accepted `costCalculators.annotationMaxAgeDays`: ten years, the longest load
 * profile C1/C2 accept (`profileDays` 0–3650). A larger limit would never call a value stale.
 */
export const MAX_ANNOTATION_MAX_AGE_DAYS = 3650;

const CONFIG_PATH = 'costCalculators.annotationMaxAgeDays';

/** The annotation age limit to use and, when the configured value was refused, why. */
export interface AnnotationMaxAge {
  days: number;
  /** Set when the value is not a whole number of days from 1 to {@link MAX_ANNOTATION_MAX_AGE_DAYS}. */
  error?: OverrideError;
}

function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value) ?? String(value);
}

/**
 * Reads `costCalculators.annotationMaxAgeDays` (raw config, or a caller's option): a whole
 * number of days from 1 to {@link MAX_ANNOTATION_MAX_AGE_DAYS}, also as digits in a string
 * (an environment substitution). Absent means the default 90. Anything else (0, a negative
 * or fractional number, NaN, text, an absurd value) is not used: 0 or less would call every
 * dated value stale, NaN none of them. The default is used instead and `error` names the
 * config path, like an invalid `costCalculators.priceBook.maxAgeDays`.
 */
export function readAnnotationMaxAgeDays(value: unknown): AnnotationMaxAge {
  if (value === undefined || value === null)
    return { days: DEFAULT_ANNOTATION_MAX_AGE_DAYS };
  const days =
    typeof value === 'string' && /^\d+$/.test(value.trim())
      ? Number(value.trim())
      : value;
  if (
    typeof days === 'number' &&
    Number.isInteger(days) &&
    days >= 1 &&
    days <= MAX_ANNOTATION_MAX_AGE_DAYS
  )
    return { days };
  return {
    days: DEFAULT_ANNOTATION_MAX_AGE_DAYS,
    error: {
      path: CONFIG_PATH,
      message: `${CONFIG_PATH} must be a whole number of days from 1 to ${MAX_ANNOTATION_MAX_AGE_DAYS} (got ${describe(
        value,
      )}); the default of ${DEFAULT_ANNOTATION_MAX_AGE_DAYS} days is used.`,
    },
  };
}
