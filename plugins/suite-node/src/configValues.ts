import { Config, readDurationFromConfig } from '@backstage/config';
import { HumanDuration, durationToMilliseconds } from '@backstage/types';

/** The values a number read from config may take; every bound is optional. */
export interface ConfigNumberRange {
  /** The smallest value allowed. */
  min?: number;
  /** Values must be greater than this (0 for "positive"). */
  above?: number;
  /** The largest value allowed. */
  max?: number;
  /** Whole numbers only. */
  integer?: boolean;
}

function rangeText(range: ConfigNumberRange): string {
  const noun = range.integer ? 'a whole number' : 'a number';
  const bounds: string[] = [];
  if (range.above !== undefined) bounds.push(`above ${range.above}`);
  if (range.min !== undefined && range.max !== undefined) {
    bounds.push(`from ${range.min} to ${range.max}`);
  } else if (range.min !== undefined) {
    bounds.push(`of at least ${range.min}`);
  } else if (range.max !== undefined) {
    bounds.push(`of at most ${range.max}`);
  }
  return [noun, ...bounds].join(' ');
}

function outOfRange(value: number, range: ConfigNumberRange): boolean {
  return (
    !Number.isFinite(value) ||
    (range.integer === true && !Number.isInteger(value)) ||
    (range.above !== undefined && !(value > range.above)) ||
    (range.min !== undefined && value < range.min) ||
    (range.max !== undefined && value > range.max)
  );
}

/**
 * A number from config, or `fallback` when the key is absent. A value outside `range` stops
 * start-up with an error naming the full key: a zero chunk size, a negative retention or a
 * default larger than the API accepts is a mistake in the config, and would otherwise surface
 * later as a task that never ends or a request that fails for a parameter nobody sent.
 *
 * `key` is the full dotted key read from the root config, so that the message names it.
 */
export function readConfigNumber(
  config: Config,
  key: string,
  fallback: number,
  range: ConfigNumberRange,
): number {
  const value = config.getOptionalNumber(key);
  if (value === undefined) return fallback;
  if (outOfRange(value, range)) {
    throw new Error(`${key} must be ${rangeText(range)} (got ${value})`);
  }
  return value;
}

/** What a duration read from config may be besides positive. */
export interface ConfigDurationOptions {
  /** Zero is a setting of its own (for example "no grace period"), not a mistake. */
  allowZero?: boolean;
}

/**
 * A duration from config (`'5m'`, ISO `'PT5M'` or `{ minutes: 5 }`), or `fallback` when the key
 * is absent. A negative part, or zero unless `allowZero`, stops start-up with an error naming
 * the key: a task scheduled every 0 s runs back to back (Backstage's task worker waits
 * `max(0, …)`).
 */
export function readConfigDuration(
  config: Config,
  key: string,
  fallback: HumanDuration,
  options: ConfigDurationOptions = {},
): HumanDuration {
  if (!config.has(key)) return fallback;
  const duration = readDurationFromConfig(config, { key });
  const parts = Object.values(duration) as number[];
  const ms = durationToMilliseconds(duration);
  if (
    parts.some(part => !(part >= 0)) ||
    !(options.allowZero ? ms >= 0 : ms > 0)
  ) {
    throw new Error(
      `${key} must be a ${
        options.allowZero ? 'non-negative' : 'positive'
      } duration such as '5m' or { minutes: 5 } (got ${JSON.stringify(
        config.get(key),
      )})`,
    );
  }
  return duration;
}

/** {@link readConfigDuration} in milliseconds. */
export function readConfigDurationMs(
  config: Config,
  key: string,
  fallbackMs: number,
  options: ConfigDurationOptions = {},
): number {
  if (!config.has(key)) return fallbackMs;
  return durationToMilliseconds(
    readConfigDuration(config, key, { milliseconds: fallbackMs }, options),
  );
}
