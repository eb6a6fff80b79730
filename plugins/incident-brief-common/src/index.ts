/**
 * Incident brief domain: dependency graph index, blast radius, owner and on-call resolution,
 * change ledger ordering, change risk, and the brief with its markdown rendering. Pure: no I/O,
 * `now` is always a parameter; runs in the browser and in Node.
 *
 * @packageDocumentation
 */
export { OPS_ANNOTATION_PREFIX } from './annotations';
export { OPS_KEYS } from './graph/opsKeys';
export { readTitle } from './graph/entityMetadata';
export {
  entityRefOf,
  normalizeRef,
  tryNormalizeRef,
  displayRef,
  displayOwner,
} from './refs/entityRefs';

export * from './graph/types';
export { GraphIndex } from './graph/GraphIndex';
export type { SearchScratch } from './graph/GraphIndex';
export { buildGraphIndex } from './graph/buildGraphIndex';
export type { GraphIndexInput } from './graph/buildGraphIndex';
export { buildAliasMap, CLAIM_ANNOTATIONS } from './graph/buildAliasMap';
export type { AliasMap } from './graph/buildAliasMap';
export { normalizeObservedEdge } from './graph/normalizeObservedEdge';
export type { NormalizedObservation } from './graph/normalizeObservedEdge';
export { readGraphNode } from './graph/readGraphNode';

export * from './blastRadius/types';
export { computeBlastRadius } from './blastRadius/computeBlastRadius';
export { toBlastRadiusAnswer } from './blastRadius/toBlastRadiusAnswer';
export {
  sharePathSteps,
  expandPathSteps,
  hasSharedPathSteps,
} from './blastRadius/sharedPathSteps';
export type { SharedPathSteps, WithPaths } from './blastRadius/sharedPathSteps';
export {
  tabulateRows,
  untabulateRows,
  hasTabulatedRows,
  IMPACTED_COLUMNS,
  PATH_STEP_COLUMNS,
} from './blastRadius/tabulatedRows';
export type { TabulatedRows } from './blastRadius/tabulatedRows';
export { BlastRadiusInputError } from './blastRadius/BlastRadiusInputError';
export {
  parseHops,
  MAX_HOPS,
  MAX_LIMIT,
} from './blastRadius/validateSearchOptions';
export { rateConfidence, confidenceLevel } from './blastRadius/rateConfidence';

export * from './ownership/types';
export { resolveOwnership, entityLookupOf } from './ownership/resolveOwnership';
export type { EntityLookup } from './ownership/resolveOwnership';

export * from './changes/types';
export {
  orderChanges,
  compareChanges,
  findLastChange,
  findLastSuccessfulDeploy,
} from './changes/orderChanges';
export { selectChangesInWindow } from './changes/selectChangesInWindow';
export type {
  LedgerHistory,
  LedgerHistoryLookup,
} from './changes/ledgerHistory';
export { resolveChangeSubject } from './changes/resolveChangeSubject';
export type { AliasResolver } from './changes/resolveChangeSubject';
export type {
  ChangeInWindow,
  ChangeScopeEntry,
  ChangesInWindowQuery,
} from './changes/selectChangesInWindow';
export {
  deriveClockFields,
  DEFAULT_MAX_SKEW_MS,
} from './changes/deriveClockFields';

export * from './risk/types';
export { scoreChangeRisk, riskTierOf } from './risk/scoreChangeRisk';
export { deriveChangeRiskInput } from './risk/deriveChangeRiskInput';
export type { ChangeRiskContext } from './risk/deriveChangeRiskInput';

export * from './brief/types';
export * from './brief/missingEvidenceTypes';
export { assembleBrief } from './brief/assembleBrief';
export type { BriefInput } from './brief/assembleBrief';
export { assembleOwnerBrief } from './brief/assembleOwnerBrief';
export type { OwnerBrief, OwnerBriefInput } from './brief/assembleOwnerBrief';
export { hopZeroOf } from './brief/hopZero';
export type { HopZero } from './brief/hopZero';
export {
  renderBriefMarkdown,
  escapeMarkdown,
  MARKDOWN_LIST_LIMIT,
  ONCALL_AGE_SHOWN_AFTER_MS,
  OBSERVED_EDGES_AGE_SHOWN_AFTER_MS,
} from './brief/renderBriefMarkdown';
export { confirmedPercent } from './brief/confirmedPercent';
export { splitCodeSpans } from './brief/markdownText';
export { isIsoInstant } from './time/parseInstant';
export { lowestConfidence } from './brief/rateSectionConfidence';
export {
  renderFixNote,
  FIX_NOTE_PLACEHOLDERS,
} from './brief/fixNote/renderFixNote';
export type { FixNoteBrief, FixNoteOptions } from './brief/fixNote/types';
export { CATALOG_CORRECTION_CODES } from './brief/fixNote/catalogCorrections';
