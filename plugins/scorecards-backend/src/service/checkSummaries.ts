import {
  CheckDefinition,
  CompiledCheck,
  CompiledStandard,
  EvaluationSummary,
  RolloutPhase,
  RolloutGuidanceWarning,
  RollupRow,
  Waiver,
  isRetired,
  phaseAt,
  rolloutGuidance,
} from '@internal/plugin-scorecards-common';

const DAY_MS = 86400000;
/** How long an approved false-positive waiver counts as an upheld dispute of its check (§2.8). */
export const UPHELD_DISPUTE_WINDOW_MS = 30 * DAY_MS;

/**
 * Thresholds of gate readiness (§2.4, `ours`): upheld false-positive disputes in the last 30 days
 * at most `maxUpheldDisputeShare` of the check's failures, unknown rate at most `maxUnknownRate`.
 */
export interface GateReadinessConfig {
  maxUnknownRate: number;
  maxUpheldDisputeShare: number;
}

/** Defaults of the note (§2.4): ≤ 1 % upheld disputes, ≤ 5 % unknown. */
export const DEFAULT_GATE_READINESS: GateReadinessConfig = {
  maxUnknownRate: 0.05,
  maxUpheldDisputeShare: 0.01,
};

/** One row of the checks page (§7.3, §7.4). Not exported by scorecards-common yet. */
export interface CheckSummary {
  definition: CheckDefinition;
  phaseNow: RolloutPhase | 'inactive' | 'retired';
  next?: { phase: RolloutPhase; from: string };
  counts: RollupRow['checks'][string];
  /** Share (0–1) of stored results with evidence-based raw state that are unknown. */
  unknownRate: number;
  /** Approved `false-positive` waivers on this check, approved in the last 30 days. */
  disputesUpheld30d: number;
  gateReady: boolean;
  /** Why the check is not ready to gate; empty when it is. */
  gateReadyReasons: string[];
  /** Warnings of the §2.4 rollout guidance at the backend's `now` (`rolloutGuidance`). */
  guidance: RolloutGuidanceWarning[];
}

interface Tally {
  counts: RollupRow['checks'][string];
  /** Raw states, so a waiver does not hide missing evidence or a failure. */
  rawPass: number;
  rawFail: number;
  rawUnknown: number;
}

function emptyTally(): Tally {
  return {
    counts: { pass: 0, fail: 0, unknown: 0, waived: 0, notApplicable: 0 },
    rawPass: 0,
    rawFail: 0,
    rawUnknown: 0,
  };
}

const COUNT_KEY = {
  pass: 'pass',
  fail: 'fail',
  unknown: 'unknown',
  waived: 'waived',
  'not-applicable': 'notApplicable',
} as const;

function percent(x: number): string {
  return `${Math.round(x * 1000) / 10} %`;
}

function summarize(
  check: CompiledCheck,
  tally: Tally,
  disputes: number,
  nowMs: number,
  readiness: GateReadinessConfig,
): CheckSummary {
  let phaseNow: CheckSummary['phaseNow'];
  let next: CheckSummary['next'];
  if (isRetired(check, nowMs)) {
    phaseNow = 'retired';
  } else {
    const phase = phaseAt(check, nowMs);
    const upcoming = phase ? phase.next : check.rollout[0];
    phaseNow = phase ? phase.current.phase : 'inactive';
    if (upcoming) next = { phase: upcoming.phase, from: upcoming.from };
  }
  const judged = tally.rawPass + tally.rawFail + tally.rawUnknown;
  const unknownRate =
    judged === 0 ? 0 : Math.round((tally.rawUnknown / judged) * 10000) / 10000;

  // §2.4: deterministic (every check type is pure by the §3 contract), waivable, has a
  // remediation, upheld disputes ≤ 1 % of failures, unknown rate ≤ 5 %.
  const reasons: string[] = [];
  if (phaseNow === 'retired') {
    reasons.push(`check is retired since ${check.definition.retiresAt}`);
  }
  if (!check.waiverAllowed) {
    reasons.push('check cannot be waived (waiver.allowed is false)');
  }
  if (!check.fix.summary.trim()) {
    reasons.push('check has no remediation');
  }
  if (judged === 0) {
    reasons.push(
      'no stored result with evidence yet (pass, fail or unknown); accuracy is not proven',
    );
  } else if (unknownRate > readiness.maxUnknownRate) {
    reasons.push(
      `unknown rate ${percent(unknownRate)} (${
        tally.rawUnknown
      } of ${judged} results) is above ${percent(readiness.maxUnknownRate)}`,
    );
  }
  if (disputes > readiness.maxUpheldDisputeShare * tally.rawFail) {
    reasons.push(
      `${disputes} upheld false-positive dispute${
        disputes === 1 ? '' : 's'
      } in 30 days is above ${percent(readiness.maxUpheldDisputeShare)} of ${
        tally.rawFail
      } failure${tally.rawFail === 1 ? '' : 's'}`,
    );
  }
  return {
    definition: check.definition,
    phaseNow,
    ...(next ? { next } : {}),
    counts: tally.counts,
    unknownRate,
    disputesUpheld30d: disputes,
    gateReady: reasons.length === 0,
    gateReadyReasons: reasons,
    guidance: rolloutGuidance(
      {
        rollout: check.definition.rollout,
        retiresAt: check.definition.retiresAt,
        gateReady: reasons.length === 0,
        gateReadyReasons: reasons,
      },
      nowMs,
    ),
  };
}

/**
 * Summaries of every check of the standard (retired ones included) from the stored latest
 * results and the waivers: phase now and next, counts per state, unknown rate, upheld disputes
 * and gate readiness (§2.4, §7.3).
 */
export function summarizeChecks(options: {
  standard: CompiledStandard;
  latest: readonly Pick<EvaluationSummary, 'results'>[];
  waivers: readonly Waiver[];
  now: string;
  readiness?: GateReadinessConfig;
  /** Only these checks (in standard order); all when absent. */
  only?: ReadonlySet<string>;
}): CheckSummary[] {
  const { standard, now } = options;
  const nowMs = Date.parse(now);
  const wanted = options.only
    ? standard.checks.filter(c => options.only!.has(c.id))
    : standard.checks;
  const tallies = new Map(wanted.map(c => [c.id, emptyTally()]));
  for (const evaluation of options.latest) {
    for (const r of evaluation.results) {
      const tally = tallies.get(r.checkId);
      if (!tally) continue;
      tally.counts[COUNT_KEY[r.state]]++;
      if (r.rawState === 'pass') tally.rawPass++;
      else if (r.rawState === 'fail') tally.rawFail++;
      else if (r.rawState === 'unknown') tally.rawUnknown++;
    }
  }
  // An upheld dispute is a false-positive waiver approved by the check's owner (§2.8); one that
  // was later revoked or expired was still upheld.
  const disputes = new Map<string, number>();
  for (const w of options.waivers) {
    if (w.kind !== 'false-positive' || !w.approvedAt) continue;
    if (w.status === 'pending' || w.status === 'rejected') continue;
    const age = nowMs - Date.parse(w.approvedAt);
    if (age < 0 || age > UPHELD_DISPUTE_WINDOW_MS) continue;
    disputes.set(w.checkId, (disputes.get(w.checkId) ?? 0) + 1);
  }
  return wanted.map(c =>
    summarize(
      c,
      tallies.get(c.id)!,
      disputes.get(c.id) ?? 0,
      nowMs,
      options.readiness ?? DEFAULT_GATE_READINESS,
    ),
  );
}
