/**
 * Node library of scorecards, shared by the catalog module and the backend so both score
 * against the same standard with the same evidence inputs.
 *
 * @packageDocumentation
 */
export { loadConfiguredStandard } from './loadConfiguredStandard';
export { readScorecardsConfig } from './readScorecardsConfig';
export { readEvaluationEvidence, outageHealth } from './readEvaluationEvidence';
export type { EvaluationEvidence } from './readEvaluationEvidence';
