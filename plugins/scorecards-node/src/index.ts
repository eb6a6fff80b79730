/**
 * Node library of scorecards, shared by the catalog module and the backend so both score
 * against the same standard with the same evidence inputs.
 *
 * @packageDocumentation
 */
export { loadConfiguredStandard } from './loadConfiguredStandard';
export { readScorecardsConfig } from './readScorecardsConfig';
export {
  findUncollectedRepoFiles,
  uncollectedRepoFilesWarning,
} from './uncollectedRepoFiles';
export type { UncollectedRepoFiles } from './uncollectedRepoFiles';
export {
  readEvaluationEvidence,
  outageHealth,
  convertEntityEvidence,
  mergeEntityEvidence,
} from './readEvaluationEvidence';
export type {
  EvaluationEvidence,
  ConvertedEvidence,
} from './readEvaluationEvidence';
export { EvidenceMirror } from './EvidenceMirror';
export type {
  EvidenceMirrorOptions,
  MirroredEvaluationEvidence,
} from './EvidenceMirror';
export {
  CheckTypeCollector,
  createScorecardsCheckTypesModules,
  scorecardsCatalogCheckTypesExtensionPoint,
  scorecardsCheckTypesExtensionPoint,
} from './extensions/checkTypesExtensionPoint';
export type { ScorecardsCheckTypesExtensionPoint } from './extensions/checkTypesExtensionPoint';
export {
  DefaultScorecardsResultsHandoff,
  scorecardsResultsHandoffServiceRef,
} from './resultsHandoff';
export type {
  HandedResultSet,
  ResultSetsReceiver,
  ScorecardsResultsHandoff,
} from './resultsHandoff';
