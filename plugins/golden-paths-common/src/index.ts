/**
 * Golden paths: request schemas, canonical fingerprints, the policy engine, approval triggers
 * and the lifecycle state machine — pure functions shared by the backend, the scaffolder module
 * and the frontend (design note golden-paths.md).
 *
 * @packageDocumentation
 */

export {
  NAME_PATTERN,
  REQUEST_KEY_PATTERN,
  ONCALL_PATTERN,
  COST_CENTER_PATTERN,
  NAME_LENGTH,
  GP_KEYS,
  DATA_CLASSIFICATIONS,
  RESTRICTED_CLASSIFICATIONS,
  DATABASE_TIERS,
  ENVIRONMENTS,
  TIERS_BY_ENVIRONMENT,
} from './constants';
export type {
  DataClassification,
  DatabaseTier,
  Environment,
} from './constants';
export type {
  GoldenPathsConfig,
  GoldenPathsPolicyConfig,
  GoldenPathsDatabaseConfig,
  GoldenPathsLifecycleConfig,
  DatabaseTierConfig,
  KillSwitches,
  KillSwitchState,
} from './config';
export { DEFAULT_GOLDEN_PATHS_CONFIG } from './config';
export {
  formatMoney,
  formatInstant,
  formatDate,
  formatList,
  isIsoDate,
} from './format';
export { normalizeEntityRef } from './catalog/refs';
export {
  CatalogView,
  lifecycleOf,
  refOf,
  relationTargets,
  specRefs,
} from './catalog/catalogView';

export {
  serviceRequestSchema,
  workerRequestSchema,
  databaseRequestSchema,
  lifecycleRequestSchema,
  requestSchemas,
  SLO_AVAILABILITY,
  RUNBOOK_CHOICES,
  TRANSITIONS,
  NETWORK_EXPOSURE_FIELDS,
} from './schemas/requestSchemas';
export type {
  RequestKind,
  Transition,
  ServiceRequestInput,
  WorkerRequestInput,
  DatabaseRequestInput,
  LifecycleRequestInput,
} from './schemas/requestSchemas';
export { issuesToRuleResults } from './schemas/formatIssues';
export type {
  ServiceRequest,
  WorkerRequest,
  DatabaseRequest,
  LifecycleRequest,
  NormalizedRequest,
  RequestOf,
} from './request/types';
export { parseRequest } from './request/parseRequest';
export type { ParsedRequest } from './request/parseRequest';
export {
  DEFAULT_SLO_BY_TIER,
  DEFAULT_SCHEDULE,
} from './request/normalizeRequest';
export { isValidRequestKey, defaultRequestKey } from './request/requestKey';
export type { RequestKeyIdentity } from './request/requestKey';
export {
  requestFingerprint,
  fingerprintBody,
  FINGERPRINT_EXCLUDED_FIELDS,
} from './request/requestFingerprint';
export { planDigest, PLAN_VOLATILE_FIELDS } from './plan/planDigest';
export { compensationPlanDigest } from './plan/compensationPlanDigest';
export type { CompensationDigestItem } from './plan/compensationPlanDigest';
export {
  databaseOwnershipMarker,
  DATABASE_OWNERSHIP_MARKER_PREFIX,
} from './database/ownershipMarker';
export type {
  GoldenPathPlan,
  DatabasePlanLike,
  PlanEffect,
  Reversibility,
} from './plan/planDigest';

export { gpMessages, digestPrefix, unseen } from './errors/messages';
export {
  GP_RULE_ORDER,
  sortByRuleOrder,
  refusalText,
} from './errors/catalogue';
export { errorCodeMeaning } from './errors/meanings';
export type { GpRuleId, RuleOutcome, RuleResult } from './errors/catalogue';

export {
  evaluatePolicy,
  FACT_RULES,
  killSwitchRequestKey,
} from './policy/evaluatePolicy';
export type { PolicyInput, PolicyEvaluation } from './policy/evaluatePolicy';
export type {
  PolicyFacts,
  LedgerRequestFact,
  TemplateContext,
} from './policy/facts';
export { DECISION_ANSWERS } from './ledger/records';
export { stepsLeftEffects } from './ledger/stepEffects';
export type {
  RequestStatus,
  GoldenPathRequest,
  RequestStep,
  ApprovalRoute,
  ApprovalRecord,
  DecisionAnswer,
  ApprovalDecision,
  AuditEvent,
} from './ledger/records';
export type {
  CompensationClass,
  CompensationPlanAction,
  CompensationItem,
  CompensationResult,
  CompensationItemResult,
  CompensationReport,
} from './ledger/compensation';
export type {
  KillSwitchScope,
  RuntimeKillSwitch,
  KillSwitchView,
} from './ledger/killSwitches';
export { switchLifted } from './ledger/killSwitches';
export {
  CONFIG_KILL_SWITCH_KEYS,
  mergeSwitchMaps,
  mergeSwitchStates,
  readConfigKillSwitches,
} from './ledger/configKillSwitches';
export type { RawConfigValues } from './ledger/configKillSwitches';
export { templateStepsOf } from './ledger/templateSteps';
export type { TemplateStep } from './ledger/templateSteps';
export type {
  DryRunOutcome,
  DryRunView,
  DryRunCoverage,
  LastDryRunAnswer,
  TemplateStepsView,
} from './ledger/dryRuns';
export {
  DRY_RUN_RECORD_ACTION,
  DRY_RUN_REQUEST_FIELDS,
  dryRunFromRecord,
  isDryRunRecord,
  isKillSwitchRefusal,
  withoutRequestDetails,
  templateNameOf,
  templatesNamed,
  templatesUsingAction,
} from './ledger/dryRuns';
export {
  asSwitchRefusal,
  checkKillSwitches,
  templateStepsDecide,
  checkActionSwitch,
  switchRefusalOf,
} from './policy/rules/killSwitchRules';
export type { SwitchRefusal } from './policy/rules/killSwitchRules';
export {
  scanForSecrets,
  checkTemplateParameters,
  detectSecret,
  shownFieldName,
  SECRET_DETECTORS,
} from './policy/secretDetectors';
export { parseCron, smallestGapMinutes } from './policy/cron';
export {
  checkSchedule,
  MIN_SCHEDULE_INTERVAL_MINUTES,
} from './policy/rules/workerRules';
export { suggestName, isAllowedName } from './policy/rules/nameRules';
export { checkLedger, differingFields } from './policy/rules/idempotencyRules';
export {
  deriveDatabaseDefaults,
  DEV_DATABASE_MAX_DAYS,
} from './policy/rules/databaseRules';

export { estimateDatabase } from './estimate/databaseEstimate';
export type {
  DatabaseEstimate,
  DatabasePriceFacts,
} from './estimate/databaseEstimate';

export { APPROVAL_TRIGGERS, approvalTriggerOf } from './approvals/triggerIds';
export type {
  ApprovalTrigger,
  ApprovalTriggerId,
} from './approvals/triggerIds';
export {
  classifyRequestTriggers,
  describeTrigger,
  approvalRoutes,
  pendingApprovalMessage,
} from './approvals/classifyTriggers';
export {
  eligibleApprovers,
  checkDecider,
  approvalExpiry,
} from './approvals/approvers';

export { TRANSITION_TABLE, allowedTransitions } from './lifecycle/stateMachine';
export {
  DEPRECATION_ANNOTATIONS,
  undeprecatedEntity,
} from './lifecycle/undeprecatedEntity';
export type { LifecycleState } from './lifecycle/stateMachine';
export {
  declaredDependents,
  ownedResources,
  owningEntityOf,
} from './lifecycle/dependents';
export type { Dependent } from './lifecycle/dependents';
export {
  goldenPathsApprovalDecidePermission,
  goldenPathsKillSwitchManagePermission,
  goldenPathsRequestReadPermission,
  goldenPathsRequestCompensatePermission,
  goldenPathsLifecycleTransitionPermission,
  goldenPathsPermissions,
  isAllowedDecision,
} from './permissions';
export {
  evaluateTransition,
  deprecationFieldsRefusal,
  DEFAULT_LEVELS,
} from './lifecycle/evaluateTransition';
export type {
  LifecycleFacts,
  GateResult,
  TransitionEvaluation,
  TransitionInput,
} from './lifecycle/evaluateTransition';

export { buildDescriptor } from './descriptor/buildDescriptor';
export { ownRotation } from './policy/rules/tierRules';
export type {
  Descriptor,
  DescriptorEntity,
  DescriptorInput,
  DescriptorPublishTarget,
} from './descriptor/buildDescriptor';
export type {
  LifecycleGateView,
  LifecycleGatesAnswer,
} from './lifecycle/gatesAnswer';
