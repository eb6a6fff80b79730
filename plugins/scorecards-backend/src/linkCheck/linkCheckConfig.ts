import { Config, readDurationFromConfig } from '@backstage/config';
import { HostAllowList } from '@internal/plugin-scorecards-common';

/** A duration as the scheduler takes it (`{ hours: 24 }`). */
export type LinkCheckDuration = ReturnType<typeof readDurationFromConfig>;

/** `scorecards.linkCheck.*` (scorecards §7.6) with defaults applied. */
export interface LinkCheckConfig {
  /** Empty: the checker is disabled. */
  allowedHosts: HostAllowList;
  /** How often the scheduled check runs. Default 24 h. */
  interval: LinkCheckDuration;
  /** Longest time one URL may take, redirects included. Default 5 s. */
  timeoutMs: number;
}

const KEY = 'scorecards.linkCheck';
const DEFAULT_INTERVAL: LinkCheckDuration = { hours: 24 };
const DEFAULT_TIMEOUT_MS = 5000;

const MS_PER: Record<keyof LinkCheckDuration, number> = {
  years: 365 * 86400000,
  months: 30 * 86400000,
  weeks: 7 * 86400000,
  days: 86400000,
  hours: 3600000,
  minutes: 60000,
  seconds: 1000,
  milliseconds: 1,
};

/** Milliseconds of a duration (months as 30 days, years as 365). */
export function durationToMs(duration: LinkCheckDuration): number {
  let ms = 0;
  for (const [unit, factor] of Object.entries(MS_PER)) {
    ms += (duration[unit as keyof LinkCheckDuration] ?? 0) * factor;
  }
  return ms;
}

function readDuration(
  root: Config,
  key: string,
  fallback: LinkCheckDuration,
): LinkCheckDuration {
  if (!root.has(key)) return fallback;
  const duration = readDurationFromConfig(root, { key });
  if (!(durationToMs(duration) > 0)) {
    throw new Error(`${key} must be a positive duration such as "5s"`);
  }
  return duration;
}

/**
 * Reads `scorecards.linkCheck`: `allowedHosts` (host names or `*.suffix`; absent = disabled),
 * `interval` and `timeout` as duration strings (`24h`, `5s`, ISO `PT5S`) or objects
 * (`{ hours: 24 }`). Throws an Error naming the key on an invalid value.
 */
export function readLinkCheckConfig(root: Config): LinkCheckConfig {
  return {
    allowedHosts: HostAllowList.parse(
      root.getOptionalStringArray(`${KEY}.allowedHosts`) ?? [],
      `${KEY}.allowedHosts`,
    ),
    interval: readDuration(root, `${KEY}.interval`, DEFAULT_INTERVAL),
    timeoutMs: durationToMs(
      readDuration(root, `${KEY}.timeout`, {
        milliseconds: DEFAULT_TIMEOUT_MS,
      }),
    ),
  };
}
