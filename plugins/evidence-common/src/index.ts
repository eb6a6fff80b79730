/**
 * Evidence layer shared library: types, zod schemas and pure rules (canonical JSON, freshness,
 * clock, ledger ordering and updates, CI summary, edge normalization) used by the evidence
 * backend and every consumer, in browsers and Node alike.
 *
 * @packageDocumentation
 */

export type { JsonValue, JsonObject } from './json/jsonValue';
export { parseJsonApart } from './json/parseJsonApart';
export { canonicalJson, CanonicalJsonError } from './canonicalJson';
export { fingerprint, utf8ByteLength } from './fingerprint';

export {
  MS_PER_SECOND,
  SECONDS_PER_MINUTE,
  SECONDS_PER_HOUR,
  SECONDS_PER_DAY,
  parseUtcTimestamp,
  isUtcTimestamp,
  toIsoTimestamp,
  timestampMs,
  normalizeTimestamp,
} from './time/timestamps';

export {
  DEFAULT_MAX_SKEW_SECONDS,
  LATE_AFTER_SECONDS,
  DEFAULT_FACT_HISTORY_DAYS,
  DEFAULT_FACT_HISTORY_SECONDS,
} from './clock/clockDefaults';
export { applyChangeClock } from './clock/changeClock';
export type { ChangeClock, ChangeClockFlag } from './clock/changeClock';
export { applyFactClock } from './clock/factClock';
export type { FactClock, FactClockFlag } from './clock/factClock';
export { clampToReceipt } from './clock/clampToReceipt';

export {
  normalizeEntityRef,
  isFullEntityRef,
  subjectOf,
} from './refs/normalizeEntityRef';
export {
  canonicalEnvironment,
  resolveChangeEnvironment,
  DEFAULT_CHANGE_ENVIRONMENT,
} from './environment/canonicalEnvironment';

export {
  timestampSchema,
  entityRefSchema,
  numberBetween,
  listBetween,
  queryIntegerBetween,
  integerBetween,
  MAX_INTEGER_COLUMN,
  boundedString,
  lowerCasedString,
  lowerCasedWithin,
  storableString,
  httpUrl,
  provenanceUrl,
  exactlyOneOf,
  isObject,
} from './schemas/primitives';
export type { StoredForm } from './schemas/primitives';
export {
  CHANGE_KINDS,
  CHANGE_STATUSES,
  exposureSchema,
  verificationSchema,
  deployAttrsSchema,
  configAttrsSchema,
  flagAttrsSchema,
  migrationAttrsSchema,
  infraAttrsSchema,
  changeAttributesSchemas,
} from './schemas/changeAttributes';
export type {
  ChangeKind,
  ChangeStatus,
  Exposure,
  Verification,
  DeployAttrs,
  ConfigAttrs,
  FlagAttrs,
  MigrationAttrs,
  InfraAttrs,
  ChangeAttributesByKind,
} from './schemas/changeAttributes';
export {
  changeInputSchema,
  changeNaturalKeySchema,
  SOURCE_SYSTEM_PATTERN,
} from './schemas/changeInput';
export type {
  ChangeInput,
  ChangeInputBase,
  ChangeNaturalKey,
} from './schemas/changeInput';
export {
  factInputSchema,
  createFactInputSchema,
  jsonValueSchema,
  DEFAULT_MAX_VALUE_BYTES,
  FACT_SOURCE_PATTERN,
  FACT_KIND_PATTERN,
} from './schemas/factInput';
export type { FactInput } from './schemas/factInput';
export { edgeInputSchema, CONNECTION_TYPES } from './schemas/edgeInput';
export type { EdgeInput, ConnectionType } from './schemas/edgeInput';
export {
  ciRunInputSchema,
  CI_CONCLUSIONS,
  CI_STATUSES,
  CI_FAILURE_DOMAINS,
  REPOSITORY_PATTERN,
} from './schemas/ciRunInput';
export type { CiRunInput } from './schemas/ciRunInput';
export { changeRiskSchema } from './schemas/changeRisk';
export type { ChangeRisk } from './schemas/changeRisk';
export {
  sourceHealthSchema,
  entityCollectionStatusSchema,
  COLLECTION_ERRORS,
} from './schemas/sourceHealth';
export type {
  SourceHealth,
  EntityCollectionStatus,
} from './schemas/sourceHealth';

export type { Warning, WarningCode } from './records/warning';
export type { FactRecord, FactFlag } from './records/factRecord';
export type {
  StoredChange,
  StoredChangeBase,
  ChangeFlag,
} from './records/storedChange';
export type { ObservedEdge, ObservedEdgeRecord } from './records/observedEdge';

export { evidenceError, EVIDENCE_ERROR_STATUS } from './errors/errorBody';
export type {
  EvidenceErrorCode,
  EvidenceError,
  EvidenceErrorBody,
  FieldIssue,
} from './errors/errorBody';
export { evidenceMessages } from './errors/errorMessages';

export {
  formatFieldPath,
  joinFieldPath,
  valueAtPath,
} from './validation/fieldPath';
export { formatIssues } from './validation/formatIssues';
export { validateInput, invalidFieldError } from './validation/validateInput';
export type { ValidationResult } from './validation/validateInput';
export {
  checkIdempotencyKey,
  IDEMPOTENCY_KEY_PATTERN,
} from './validation/idempotencyKey';
export {
  checkBatchEnvelope,
  splitBatchItem,
  DEFAULT_MAX_BATCH_ITEMS,
} from './validation/batch';
export { validateFactRules } from './validation/validateFactRules';

export {
  BUILTIN_EVIDENCE_KINDS,
  RESERVED_SOURCES,
  createKindRegistry,
} from './kinds/builtinKinds';
export type {
  EvidenceKindDefinition,
  EvidenceKindRegistry,
} from './kinds/builtinKinds';

export { evaluateEvidence } from './freshness/evaluateEvidence';
export type {
  EvidenceState,
  EvidenceCause,
  EvidenceEvaluation,
} from './freshness/evaluateEvidence';
export { pickLatest } from './freshness/pickLatest';
export { telemetryPresence } from './freshness/telemetryPresence';
export type { TelemetryPresence } from './freshness/telemetryPresence';

export {
  edgeObservation,
  DEFAULT_EDGE_FRESH_SECONDS,
  DEFAULT_EDGE_RETAIN_SECONDS,
} from './edges/edgeObservation';
export { normalizeEdge } from './edges/normalizeEdge';
export type { AliasResolution, NormalizedEdge } from './edges/normalizeEdge';
export { mergeEdgeObservation } from './edges/mergeEdgeObservation';

export { summarizeCiRuns, CI_SUMMARY_WINDOW_DAYS } from './ci/summarizeCiRuns';
export type { CiSummaryValue } from './ci/summarizeCiRuns';

export { orderChanges, compareChanges } from './ledger/orderChanges';
export { changeInWindow } from './ledger/changeInWindow';
export { MAX_LEDGER_VIEW } from './ledger/ledgerView';
export type { LedgerView } from './ledger/ledgerView';
export {
  isAllowedStatusTransition,
  canBeRolledBack,
} from './ledger/statusTransitions';
export { normalizeChangeInput } from './ledger/normalizeChangeInput';
export type { NormalizedChangeInput } from './ledger/normalizeChangeInput';
export { decideChangeUpdate } from './ledger/decideChangeUpdate';
export type { ChangeUpdateDecision } from './ledger/decideChangeUpdate';

export {
  redactUrlCredentials,
  withoutUrlUserinfo,
} from './redaction/urlCredentials';
export {
  redactCredentials,
  mapStringsDeep,
  redactCredentialsDeep,
  redactLowerCasedCredentials,
  redactSecretQueryParams,
} from './redaction/credentials';

export { DEFAULT_REPO_PATHS, globToRegExp, repoGlobs } from './repo/repoPaths';

export { decideFactWrite } from './facts/decideFactWrite';
export type { FactWriteDecision } from './facts/decideFactWrite';

export {
  evidenceIngestPermission,
  evidenceReadPermission,
  evidenceAdminPermission,
  evidencePermissions,
} from './permissions';
export { compareCodeUnits } from './compareCodeUnits';
