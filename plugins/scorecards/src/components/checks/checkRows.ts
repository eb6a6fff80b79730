import {
  CheckClass,
  RolloutGuidanceWarning,
  rolloutGuidance,
} from '@internal/plugin-scorecards-common';
import type { CheckSummary } from '../../api';

/** Phase filter of the checks page: the phase a check is in now. */
export type PhaseFilter = 'any' | CheckSummary['phaseNow'];

/** Class filter of the checks page. */
export type ClassFilter = 'any' | CheckClass;

export const PHASE_FILTERS: readonly PhaseFilter[] = [
  'any',
  'inactive',
  'observe',
  'remediate',
  'enforce-new',
  'gate',
  'retired',
];

export const CLASS_FILTERS: readonly ClassFilter[] = [
  'any',
  'required',
  'contextual',
  'recommended',
];

/** A row of the checks page: the summary and its guidance warnings. */
export interface CheckRow {
  summary: CheckSummary;
  guidance: RolloutGuidanceWarning[];
}

/**
 * The §2.4 guidance warnings of a check: the backend's (computed at its `now`) when it sent
 * them, otherwise computed here from the definition and the gate readiness at `nowMs`.
 */
export function guidanceOf(
  summary: CheckSummary,
  nowMs: number,
): RolloutGuidanceWarning[] {
  if (summary.guidance) return summary.guidance;
  const { rollout, retiresAt } = summary.definition;
  return rolloutGuidance(
    {
      rollout,
      retiresAt,
      gateReady: summary.gateReady,
      gateReadyReasons: summary.gateReadyReasons,
    },
    nowMs,
  );
}

/** One row per check, in the order the backend lists them (theme order of §4, then id). */
export function checkRows(
  summaries: readonly CheckSummary[],
  nowMs: number,
): CheckRow[] {
  return summaries.map(summary => ({
    summary,
    guidance: guidanceOf(summary, nowMs),
  }));
}

/** Rows after the phase, class and "only with warnings" filters. */
export function filterCheckRows(
  rows: readonly CheckRow[],
  filters: { phase: PhaseFilter; checkClass: ClassFilter; warnedOnly: boolean },
): CheckRow[] {
  return rows.filter(
    r =>
      (filters.phase === 'any' || r.summary.phaseNow === filters.phase) &&
      (filters.checkClass === 'any' ||
        r.summary.definition.class === filters.checkClass) &&
      (!filters.warnedOnly || r.guidance.length > 0),
  );
}

/** A share 0–1 as `20 %` / `3.3 %` (one decimal at most, as the backend's reasons write it). */
export function percentText(share: number): string {
  return `${Math.round(share * 1000) / 10} %`;
}

/**
 * The unknown rate of a check as the page shows it: `—` while it has no pass, fail, unknown or
 * waived result yet (the backend answers 0 for 0 of 0, which is no rate, not 0 %), else
 * {@link percentText} of the backend's rate.
 */
export function unknownRateText(summary: CheckSummary): string {
  const { pass, fail, unknown, waived } = summary.counts;
  return pass + fail + unknown + waived === 0
    ? '—'
    : percentText(summary.unknownRate);
}
