import { OPS_ANNOTATION_PREFIX } from '@internal/plugin-incident-brief-common';
import { formatScore } from '../levels/computeScore';
import { EntityEvaluation, UnscoredEvaluation } from '../model/resultModel';

/** Label with the maturity level (`L0`–`L3`, `none`, `not-rated`). */
export const MATURITY_LEVEL_LABEL = `${OPS_ANNOTATION_PREFIX}maturity-level`;
/** Annotation with the score, e.g. `"40/41"`. */
export const SCORECARD_SCORE_ANNOTATION = `${OPS_ANNOTATION_PREFIX}scorecard-score`;
/** Annotation with the standard, e.g. `"default@7"`. */
export const SCORECARD_STANDARD_ANNOTATION = `${OPS_ANNOTATION_PREFIX}scorecard-standard`;

/** What the catalog processor stamps on a scored entity. */
export interface ScorecardStamp {
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/**
 * The compact summary the catalog processor stamps (§7.5): no timestamps, so an unchanged
 * entity is not re-stitched (SR24); null for kinds that are never scored (SR34).
 */
export function scorecardStamp(
  evaluation: EntityEvaluation | UnscoredEvaluation,
): ScorecardStamp | null {
  if (!evaluation.scored) return null;
  return {
    labels: { [MATURITY_LEVEL_LABEL]: evaluation.level },
    annotations: {
      [SCORECARD_SCORE_ANNOTATION]: formatScore(evaluation.score),
      [SCORECARD_STANDARD_ANNOTATION]: `${evaluation.standard.id}@${evaluation.standard.version}`,
    },
  };
}
