/**
 * Scorecards: versioned checks, maturity levels and the pure evaluation engine.
 *
 * @packageDocumentation
 */

export * from './model/levels';
export * from './model/checkModel';
export * from './model/resultModel';
export * from './model/evaluationSummary';
export {
  dictionaryObject,
  KeyBudget,
  plainObject,
  setOwn,
} from './model/hiddenClasses';
export * from './config/scorecardsConfig';
export * from './config/hostAllowList';
export * from './evidence/evidenceTypes';
export type { EvidenceRead, EvidenceState } from './evidence/readEvidence';
export type { TelemetryPresence } from './evidence/telemetryPresence';
export { combineAllOf, combineAnyOf } from './evidence/combineStates';
export {
  outcome,
  evidenceEntry,
  missingEntry,
  unknownFromReads,
} from './evidence/outcomes';
export {
  indexCatalog,
  catalogReadsOf,
  withRefreshedAt,
} from './catalog/catalogIndex';
export {
  catalogRead,
  collectCatalogReads,
  someCatalogRead,
  flattenCatalogReads,
} from './catalog/catalogReads';
export type {
  CatalogRead,
  CatalogReads,
  CatalogReadCode,
} from './catalog/catalogReads';
export { withArrivals } from './catalog/withArrivals';
export { withoutRefs } from './catalog/withoutRefs';
export { catalogIndexView } from './catalog/catalogIndexView';
export type {
  CatalogIndexViewOf,
  RefListLookup,
} from './catalog/catalogIndexView';
export type { CatalogIndex, CatalogSnapshot } from './catalog/catalogIndex';
export { normalizeEntityRef, entityRefOf } from './catalog/entityRefs';
export { deriveSubject, effectiveLifecycle } from './catalog/entitySubject';
export {
  redactUrlCredentials,
  withoutUrlUserinfo,
} from './model/urlCredentials';
export type { EntitySubject, Tier } from './catalog/entitySubject';
export * from './checks/checkType';
export {
  createCheckTypeRegistry,
  CheckCompileError,
} from './checks/checkTypeRegistry';
export type { CheckTypeRegistry } from './checks/checkTypeRegistry';
export { createDefaultCheckTypeRegistry } from './checks/defaultRegistry';
export * from './checks/builtin';
export * from './checks/compactLedger';
export * from './standard/standardSchema';
export type {
  CompiledCheck,
  CompiledStandard,
  CompiledRolloutStep,
} from './standard/compiledStandard';
export {
  parseStandard,
  loadStandard,
  StandardValidationError,
} from './standard/parseStandard';
export type {
  ParseStandardOptions,
  ParseStandardResult,
} from './standard/parseStandard';
export { defaultStandardFile, defaultChecks } from './standard/defaultStandard';
export { rolloutGuidance, MIN_OBSERVE_DAYS } from './standard/rolloutGuidance';
export type {
  RolloutGuidanceCode,
  RolloutGuidanceInput,
  RolloutGuidanceWarning,
} from './standard/rolloutGuidance';
export { evaluateEntity, evaluateScoredEntity } from './engine/evaluateEntity';
export type { EvaluationInput } from './engine/evaluationInput';
export { phaseAt, isRetired } from './engine/rolloutPhase';
export { isSnapshotFresh } from './catalog/snapshotFreshness';
export {
  collectTimeLimit,
  reachedYet,
  stillHolds,
  type TimeLimited,
} from './engine/timeLimits';
export { computeLevel, isSatisfied } from './levels/computeLevel';
export type { LevelOutcome } from './levels/computeLevel';
export { expectedLevel } from './levels/expectedLevel';
export { computeScore, formatScore } from './levels/computeScore';
export type {
  RestrictedWaiver,
  Waiver,
  WaiverStatus,
} from './waivers/waiverTypes';
export { WAIVER_STATUSES } from './waivers/waiverTypes';
export {
  activeWaivers,
  activeWaiverFor,
  EXPIRED_WAIVER_NOTE_DAYS,
  isWaiverActive,
  waiverStatusAt,
} from './waivers/activeWaivers';
export {
  isWaiverRequester,
  wasWithdrawn,
  validateWaiverRequest,
  validateWaiverApproval,
  waiverDaysLeft,
  waiverExpiryWarning,
  waiverExpiryWindows,
  DEFAULT_WAIVER_RED_DAYS,
} from './waivers/validateWaiver';
export type { WaiverRequest, WaiverValidation } from './waivers/validateWaiver';
export { closeRetiredWaivers } from './waivers/closeRetiredWaivers';
export { decideGate } from './gates/decideGate';
export type {
  GateDecision,
  GateInput,
  BreakGlassAudit,
} from './gates/decideGate';
export * from './history/computeTransitions';
export { computeTrend } from './history/computeTrend';
export type { TrendOptions } from './history/computeTrend';
export { hashEntity } from './history/hashEntity';
export * from './rollups/computeRollups';
export * from './rollups/rollupCsv';
export * from './campaigns/campaignProgress';
export * from './stamp/scorecardStamp';
export * from './permissions/permissions';
export {
  compactEvaluation,
  expandEvaluation,
  CompactEvaluationError,
} from './wire/compactEvaluation';
export type {
  CompactEvaluation,
  CompactCheckResult,
  CompactBlocker,
  WireStandard,
} from './wire/compactEvaluation';
