import type { ScorecardsConfig } from '@internal/plugin-scorecards-common';

/**
 * The waiver expiry warnings in effect (`scorecards.waivers.expiryWarningDays`, §2.8), largest
 * first: amber from the first, red from the last. Answered as `waiverExpiryWarningDays` by the
 * entity route and `GET /waivers`, so the portal's countdowns warn when the backend counts.
 */
export function waiverExpiryWarningDays(config: ScorecardsConfig): number[] {
  return [...config.waivers.expiryWarningDays].sort((a, b) => b - a);
}

/**
 * Days before expiry a waiver counts as expiring in rollups (`waiversExpiring14d`, named after
 * the default): the largest threshold, the one the card's amber warning starts at.
 */
export function rollupExpiringWithinDays(config: ScorecardsConfig): number {
  return Math.max(...config.waivers.expiryWarningDays);
}
