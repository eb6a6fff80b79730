import type { ScorecardsConfig } from '@internal/plugin-scorecards-common';
import { waiverExpiryWindows } from '@internal/plugin-scorecards-common';

/**
 * The waiver expiry warnings in effect (`scorecards.waivers.expiryWarningDays`, §2.8) as
 * `[amber, red]`: amber from the first, red from the last. One configured value is the amber
 * window with red at the default 3 days inside it (`[30]` → `[30, 3]`; `[2]` → `[2, 2]`, all
 * red), spelt out so that every reader, also a portal older than that reading, warns the same.
 * Answered as `waiverExpiryWarningDays` by the entity route, `POST /evaluate` and
 * `GET /waivers`, so the portal's countdowns warn when the backend counts.
 */
export function waiverExpiryWarningDays(config: ScorecardsConfig): number[] {
  const { amberDays, redDays } = waiverExpiryWindows(
    config.waivers.expiryWarningDays,
  );
  return [amberDays, redDays];
}

/**
 * Days before expiry a waiver counts as expiring in rollups (`waiversExpiring14d`, named after
 * the default): the amber window, the largest threshold, where the card's warning starts.
 */
export function rollupExpiringWithinDays(config: ScorecardsConfig): number {
  return waiverExpiryWindows(config.waivers.expiryWarningDays).amberDays;
}
