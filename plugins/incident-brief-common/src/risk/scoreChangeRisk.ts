import {
  scoreBlastRadius,
  scoreCriticality,
  scoreEvidenceGaps,
  scoreExposure,
  scoreHealth,
  scoreHistory,
  scoreReversibility,
} from './scoreDimensions';
import { ChangeRisk, ChangeRiskInput, RiskTier } from './types';

const TIERS: RiskTier[] = ['Low', 'Medium', 'High', 'Critical'];

/** Tier of a score (`ours`): Low 0–6, Medium 7–11, High 12–15, Critical 16–21. */
export function riskTierOf(score: number): RiskTier {
  if (score >= 16) return 'Critical';
  if (score >= 12) return 'High';
  if (score >= 7) return 'Medium';
  return 'Low';
}

const atLeast = (tier: RiskTier, floor: RiskTier): RiskTier =>
  TIERS.indexOf(tier) >= TIERS.indexOf(floor) ? tier : floor;

/**
 * Change risk (§5, model `risk/1`): seven 0–3 dimensions with reasons, summed, tiered, then
 * raised by the named floors F1–F4. Every floor whose condition holds is listed.
 */
export function scoreChangeRisk(input: ChangeRiskInput): ChangeRisk {
  const dimensions = [
    scoreCriticality(input),
    scoreBlastRadius(input),
    scoreReversibility(input),
    scoreExposure(input),
    scoreHealth(input),
    scoreHistory(input),
    scoreEvidenceGaps(input),
  ];
  const [d1, , d3, , d5] = dimensions.map(d => d.value);
  const score = dimensions.reduce((sum, d) => sum + d.value, 0);
  let tier = riskTierOf(score);
  const floorsApplied: ChangeRisk['floorsApplied'] = [];
  if (d3 === 3 && d1 >= 2) {
    floorsApplied.push('F1');
    tier = atLeast(tier, 'High');
  }
  if (d5 === 3 && !input.change.remediationFor) {
    floorsApplied.push('F2');
    tier = atLeast(tier, 'High');
  }
  if (d3 === 3 && d5 === 3) {
    floorsApplied.push('F3');
    tier = 'Critical';
  }
  const lowConfidence = dimensions.filter(d => d.unknown).length >= 3;
  if (lowConfidence) {
    floorsApplied.push('F4');
    tier = atLeast(tier, 'Medium');
  }
  return {
    modelVersion: 'risk/1',
    score,
    tier,
    lowConfidence,
    dimensions,
    floorsApplied,
  };
}
