import { OPS_ANNOTATION_PREFIX } from '@internal/plugin-incident-brief-common';
import { formatScore } from '../levels/computeScore';
import { internalize } from '../model/internalize';
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

// Internalized: the constructors below store under them (see `internalize`).
const LEVEL_KEY = internalize(MATURITY_LEVEL_LABEL);
const SCORE_KEY = internalize(SCORECARD_SCORE_ANNOTATION);
const STANDARD_KEY = internalize(SCORECARD_STANDARD_ANNOTATION);

/**
 * The stamp's records are built by constructors so that every stamp shares their two hidden
 * classes whatever else the process holds: built as literals with computed keys, each stamp got
 * classes of its own once the empty object's transitions were full (model/hiddenClasses.ts), two
 * more on every processing of every scored entity.
 */
class StampLabels {
  [key: string]: string;
  constructor(level: string) {
    this[LEVEL_KEY] = level;
  }
}

class StampAnnotations {
  [key: string]: string;
  constructor(score: string, standard: string) {
    this[SCORE_KEY] = score;
    this[STANDARD_KEY] = standard;
  }
}

/** The stamp of a level, a score (`"40/41"`) and a standard (`"default@7"`). */
export function stampOf(
  level: string,
  score: string,
  standard: string,
): ScorecardStamp {
  return {
    labels: new StampLabels(level),
    annotations: new StampAnnotations(score, standard),
  };
}

/**
 * The compact summary the catalog processor stamps (§7.5): no timestamps, so an unchanged
 * entity is not re-stitched (SR24); null for kinds that are never scored (SR34).
 */
export function scorecardStamp(
  evaluation: EntityEvaluation | UnscoredEvaluation,
): ScorecardStamp | null {
  if (!evaluation.scored) return null;
  return stampOf(
    evaluation.level,
    formatScore(evaluation.score),
    `${evaluation.standard.id}@${evaluation.standard.version}`,
  );
}
