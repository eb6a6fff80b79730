import {
  ConfigAttrs,
  DeployAttrs,
  Exposure,
  FlagAttrs,
  InfraAttrs,
  MigrationAttrs,
} from '../changes/types';
import { ChangeRiskInput, RiskDimension } from './types';

type Ordinal = 0 | 1 | 2 | 3;
const dim = (
  id: RiskDimension['id'],
  value: Ordinal,
  reason: string,
  unknown = false,
): RiskDimension => ({ id, value, unknown, reason });

/** The exposure a change declares, if its kind carries one. */
export function exposureOf(input: ChangeRiskInput): Exposure | undefined {
  const a = input.change.attributes as Partial<
    DeployAttrs & ConfigAttrs & FlagAttrs
  >;
  return a.exposure;
}

/** True when the change lowers exposure or reverses an earlier change. */
export function lowersExposureOrRollsBack(input: ChangeRiskInput): boolean {
  const e = exposureOf(input);
  return Boolean(input.change.rollbackOf) || (e !== undefined && e.to < e.from);
}

/** D1 criticality of the changed entity; unknown customer-facing counts as false. */
export function scoreCriticality(input: ChangeRiskInput): RiskDimension {
  const { tier } = input.entity;
  const cf = input.entity.customerFacing === true;
  const cfText = cf ? ' + customer-facing' : '';
  if (tier === null) {
    return dim('D1', cf ? 3 : 2, `tier unknown${cfText}`, true);
  }
  const table: Record<1 | 2 | 3, [Ordinal, Ordinal]> = {
    1: [2, 3],
    2: [1, 2],
    3: [0, 1],
  };
  return dim('D1', table[tier][cf ? 1 : 0], `tier ${tier}${cfText}`);
}

/** D2 blast radius at 3 hops; unknown confidence scores 2. */
export function scoreBlastRadius(input: ChangeRiskInput): RiskDimension {
  const b = input.blastRadius;
  if (b.confidence === 'unknown') {
    return dim(
      'D2',
      2,
      'blast radius unknown (no telemetry, no dependents found)',
      true,
    );
  }
  if (b.total > 25 || b.anyTier1CustomerFacing) {
    return dim(
      'D2',
      3,
      b.anyTier1CustomerFacing
        ? `${b.total} dependents incl. tier-1 customer-facing`
        : `${b.total} dependents`,
    );
  }
  if (b.total >= 6 || b.anyTier1 || b.anyCustomerFacing) {
    return dim(
      'D2',
      2,
      `${b.total} dependents incl. tier-1 or customer-facing`,
    );
  }
  if (b.total >= 1) return dim('D2', 1, `${b.total} dependents`);
  return dim('D2', 0, 'no dependents');
}

/** D3 change type and reversibility. */
export function scoreReversibility(input: ChangeRiskInput): RiskDimension {
  const { kind, rollbackOf } = input.change;
  if (
    rollbackOf &&
    (kind === 'deploy' || kind === 'feature-flag' || kind === 'config')
  ) {
    return dim('D3', 0, `rollback of ${rollbackOf}`);
  }
  switch (kind) {
    case 'feature-flag': {
      const a = input.change.attributes as FlagAttrs;
      if (a.exposure && a.exposure.to < a.exposure.from) {
        return dim('D3', 0, `${a.flagType} flag exposure decreasing`);
      }
      if (a.flagType === 'permission' || a.flagType === 'migration') {
        return dim('D3', 2, `${a.flagType} flag`);
      }
      return dim('D3', 1, `${a.flagType} flag enabled`);
    }
    case 'deploy':
      return input.earlierSucceededDeploy
        ? dim('D3', 1, 'deploy with an earlier succeeded deploy to return to')
        : dim('D3', 2, 'deploy with no earlier succeeded deploy');
    case 'config': {
      const a = input.change.attributes as ConfigAttrs;
      // a config push that does not state its scope is treated as global
      return a.scope === 'service'
        ? dim('D3', 1, 'config scope service')
        : dim(
            'D3',
            2,
            `config scope ${a.scope ?? 'unknown (treated as global)'}`,
          );
    }
    case 'schema-migration': {
      const a = input.change.attributes as MigrationAttrs;
      if (a.destructive || a.phase === 'contract') {
        return dim(
          'D3',
          3,
          `migration ${a.phase}${a.destructive ? ', destructive' : ''}`,
        );
      }
      if (!a.reversible || a.phase === 'migrate') {
        return dim(
          'D3',
          2,
          `migration ${a.phase}${a.reversible ? '' : ', not reversible'}`,
        );
      }
      return dim('D3', 1, `migration ${a.phase}, reversible`);
    }
    case 'infra':
    default: {
      const { plan } = input.change.attributes as InfraAttrs;
      if (plan.destroy > 0)
        return dim('D3', 3, `infra plan destroys ${plan.destroy}`);
      if (plan.replace > 0)
        return dim('D3', 2, `infra plan replaces ${plan.replace}`);
      return dim('D3', 1, 'infra plan without destroy or replace');
    }
  }
}

/** D4 exposure control, first matching rule wins (§5). */
export function scoreExposure(input: ChangeRiskInput): RiskDimension {
  const { kind } = input.change;
  const e = exposureOf(input);
  if (lowersExposureOrRollsBack(input)) {
    return dim(
      'D4',
      0,
      input.change.rollbackOf ? 'rollback' : 'exposure decreases',
    );
  }
  if (kind === 'schema-migration' || kind === 'infra') {
    return dim('D4', 3, `${kind} applies everywhere at once`);
  }
  if (!e) {
    return kind === 'deploy'
      ? dim('D4', 2, 'deploy without exposure data', true)
      : dim('D4', 3, 'config without exposure data');
  }
  const range = `${e.from} → ${e.to} %`;
  if (e.to <= 5) return dim('D4', 0, `exposure ${range}`);
  if (
    e.analysis === true &&
    (e.strategy === 'canary' ||
      e.strategy === 'blue-green' ||
      e.strategy === 'progressive')
  ) {
    return dim('D4', 1, `${e.strategy} with analysis`);
  }
  if (e.to <= 50) return dim('D4', 1, `exposure ${range}`);
  if (e.strategy === 'rolling' && e.analysis !== true) {
    return dim('D4', 2, 'rolling without analysis');
  }
  // Rule 8 "otherwise": also a rolling rollout *with* analysis past 50 %. Rule 7 names rolling
  // without analysis only, and rule 5 credits analysis only to canary, blue-green and progressive
  // (README, "Choices": the ladder scores it above rolling without analysis, as written).
  if (e.strategy === 'rolling') {
    return dim(
      'D4',
      3,
      `rolling ${range} with analysis (analysis counts for canary, blue-green or progressive only)`,
    );
  }
  return dim(
    'D4',
    3,
    `one step ${range}${e.strategy ? ` (${e.strategy})` : ''}`,
  );
}

/**
 * A health number as evidence, or why it is none: NaN (a 0/0 burn rate) and ±Infinity are no
 * reading, nor is an impossible value — a burn rate below 0, or a remaining budget above 1 (the
 * budget is a fraction, 1 = untouched; an overspent budget goes below 0 and reads as exhausted).
 * §5: a missing input is not safety, so an impossible number counts as missing, never as healthy.
 */
function reading(
  n: number | null,
  what: 'burn rate' | 'budget remaining',
): { value: number | null; ignored?: string } {
  if (n === null) return { value: null };
  if (!Number.isFinite(n))
    return { value: null, ignored: `${what} ${n} (not finite)` };
  if (what === 'burn rate' && n < 0)
    return { value: null, ignored: `${what} ${n} (below 0)` };
  if (what === 'budget remaining' && n > 1)
    return { value: null, ignored: `${what} ${n} (above 1)` };
  return { value: n };
}

/**
 * The health as D5 reads it: numbers that are no reading dropped (and named in `ignored`), and a
 * reading with only one of burn rate and budget marked `incomplete` — the missing half could show
 * the entity unhealthy, so the present half alone scores at least 2 and unknown (§5: a missing
 * input is not safety).
 */
function readHealth(
  h: ChangeRiskInput['health'],
): ChangeRiskInput['health'] & { ignored: string[] } {
  const burn = reading(h.burnRate1h, 'burn rate');
  const budget = reading(h.budgetRemaining, 'budget remaining');
  const halfMissing = (burn.value === null) !== (budget.value === null);
  return {
    ...h,
    burnRate1h: burn.value,
    budgetRemaining: budget.value,
    incomplete: h.incomplete || halfMissing,
    ignored: [burn.ignored, budget.ignored].filter(
      (x): x is string => x !== undefined,
    ),
  };
}

/** D5 production health and timing; remediation changes are capped at 1. */
export function scoreHealth(input: ChangeRiskInput): RiskDimension {
  const h = readHealth(input.health);
  let d: RiskDimension;
  const sloUnknown =
    !h.fresh || (h.burnRate1h === null && h.budgetRemaining === null);
  if (sloUnknown && (h.openIncidentOnEntity || h.freezeActive)) {
    // known from the incident tool or the freeze calendar: the highest score needs no SLO
    d = dim(
      'D5',
      3,
      [
        h.freezeActive && 'change freeze active',
        h.openIncidentOnEntity && 'open incident on the entity',
      ]
        .filter(Boolean)
        .join(', '),
    );
  } else if (sloUnknown && h.openIncidentOnDependency) {
    // 2 is known here; healthy SLOs could not lower it
    d = dim(
      'D5',
      2,
      'incident on a dependency (SLO evidence missing or stale)',
    );
  } else if (sloUnknown) {
    d = dim('D5', 2, 'SLO evidence missing or stale', true);
  } else {
    const burn = h.burnRate1h ?? 0;
    const budget = h.budgetRemaining ?? 1;
    if (budget <= 0 || h.openIncidentOnEntity || h.freezeActive) {
      d = dim(
        'D5',
        3,
        [
          h.freezeActive && 'change freeze active',
          h.openIncidentOnEntity && 'open incident on the entity',
          budget <= 0 && 'error budget exhausted',
        ]
          .filter(Boolean)
          .join(', '),
      );
    } else if (burn >= 2 || budget < 0.25 || h.openIncidentOnDependency) {
      d = dim(
        'D5',
        2,
        'burn rate ≥ 2, budget < 25 % or incident on a dependency',
      );
    } else if (burn >= 1 || budget < 0.5) {
      d = dim('D5', 1, 'burn rate ≥ 1 or budget < 50 %');
    } else {
      d = dim('D5', 0, 'healthy');
    }
    if (h.incomplete && d.value < 2) {
      d = dim('D5', 2, 'SLO evidence missing or stale in part', true);
    }
  }
  if (h.ignored.length > 0) {
    d = { ...d, reason: `${d.reason}; ignored ${h.ignored.join(', ')}` };
  }
  if (h.evidence) {
    d = { ...d, reason: `${d.reason} (${h.evidence})`, evidence: h.evidence };
  }
  if (input.change.remediationFor && d.value > 1) {
    return {
      ...d,
      value: 1,
      reason: `${d.reason}; remediation for ${input.change.remediationFor}`,
    };
  }
  return d;
}

/** D6 failed or rolled-back changes in the 7 days before. */
export function scoreHistory(input: ChangeRiskInput): RiskDimension {
  const h = input.history;
  if (!h.known) return dim('D6', 2, 'no earlier ledger record', true);
  if (h.failedOrRolledBack7d >= 3 || h.sameKindFailed24h) {
    return dim(
      'D6',
      3,
      h.sameKindFailed24h
        ? 'a change of the same kind failed in the previous 24 h'
        : `${h.failedOrRolledBack7d} failed/rolled-back changes in 7 d`,
    );
  }
  const n = h.failedOrRolledBack7d as 0 | 1 | 2;
  return dim('D6', n, `${n} failed/rolled-back changes in 7 d`);
}

/** D7 evidence gaps (a)–(d). */
export function scoreEvidenceGaps(input: ChangeRiskInput): RiskDimension {
  const gaps: string[] = [];
  if (!lowersExposureOrRollsBack(input)) {
    if (input.change.kind === 'feature-flag') {
      if (!(input.change.attributes as FlagAttrs).guardrail)
        gaps.push('(a) no guardrail');
    } else {
      const v = (
        input.change.attributes as { verification?: { status: string } }
      ).verification;
      if (v?.status !== 'passed') gaps.push('(a) no passed verification');
    }
  }
  if (!input.ownerOnCallResolved) gaps.push('(b) owner on-call not found');
  const { ratio, confidence } = input.blastRadius;
  if (confidence === 'unknown' || ratio === null || ratio < 0.5) {
    gaps.push('(c) blast-radius confidence < 0.5');
  }
  if (new Set(input.affectedEntityOwners ?? []).size > 1) {
    gaps.push('(d) affected entities span several owners');
  }
  return dim(
    'D7',
    Math.min(gaps.length, 3) as Ordinal,
    gaps.length ? gaps.join('; ') : 'no evidence gaps',
  );
}
