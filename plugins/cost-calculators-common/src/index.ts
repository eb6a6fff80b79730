/**
 * Cost calculators and the dated, versioned price book as pure typed functions.
 *
 * @packageDocumentation
 */

export * from './types';
export {
  Decimal,
  dec,
  exactString,
  formatCurrency,
  formatMoney,
  formatPercent,
  roundHalfAway,
} from './money';
export type { Dec, DecimalLike } from './money';
export { daysBetween, isIsoDate, wholeMonthsBetween, addMonths } from './dates';

export type {
  Calculator,
  CalculatorMeta,
  InputLabel,
  InputLabels,
} from './calculators/defineCalculator';
export { CALCULATORS } from './calculators';
export { rightsizeP95, rightsizeSteps } from './calculators/rightsizeP95';
export type { RightsizeP95Input } from './calculators/rightsizeP95';
export { riVsRightsize } from './calculators/riVsRightsize';
export type { RiVsRightsizeInput } from './calculators/riVsRightsize';
export { commitmentBreakEven } from './calculators/commitmentBreakEven';
export type { CommitmentBreakEvenInput } from './calculators/commitmentBreakEven';
export { bigqueryCapacity } from './calculators/bigqueryCapacity';
export type { BigqueryCapacityInput } from './calculators/bigqueryCapacity';
export { bigqueryQueryGuard } from './calculators/bigqueryQueryGuard';
export type { BigqueryQueryGuardInput } from './calculators/bigqueryQueryGuard';
export { dbLicensing } from './calculators/dbLicensing';
export type { DbLicensingInput } from './calculators/dbLicensing';
export { findLicenceRule, licenceUnits } from './calculators/licenceUnits';
export {
  offerChoices,
  offerName,
  offerPriceSkus,
} from './calculators/offerChoices';
export type {
  OfferChoice,
  OfferChoices,
  OfferFit,
} from './calculators/offerChoices';
export { ossMigrationPayback } from './calculators/ossMigrationPayback';
export type { OssMigrationPaybackInput } from './calculators/ossMigrationPayback';
export { nonprodSchedule } from './calculators/nonprodSchedule';
export type { NonprodScheduleInput } from './calculators/nonprodSchedule';
export { storageTiering } from './calculators/storageTiering';
export type { StorageTieringInput } from './calculators/storageTiering';
export {
  MAX_CONNECTION_CLIENTS,
  connectionBudget,
  connectionClientInputs,
  peakInstances,
} from './calculators/connectionBudget';
export type { ConnectionBudgetInput } from './calculators/connectionBudget';
export { failoverRto } from './calculators/failoverRto';
export type { FailoverRtoInput } from './calculators/failoverRto';
export { encryptionTier } from './calculators/encryptionTier';
export type { EncryptionTierInput } from './calculators/encryptionTier';
export { crossRegionReplica } from './calculators/crossRegionReplica';
export type { CrossRegionReplicaInput } from './calculators/crossRegionReplica';
export { cacheMemoryBudget } from './calculators/cacheMemoryBudget';
export type { CacheMemoryBudgetInput } from './calculators/cacheMemoryBudget';
export { provisioningEstimate } from './calculators/provisioningEstimate';
export type { ProvisioningEstimateInput } from './calculators/provisioningEstimate';

export { DEFAULT_PRICE_BOOK } from './priceBook/defaultPriceBook';
export {
  applyPriceBookOverrides,
  resolvedVersionAt,
} from './priceBook/applyPriceBookOverrides';
export type { PriceBookConfig } from './priceBook/applyPriceBookOverrides';
export { priceBookSchema } from './priceBook/priceBookSchema';
export type {
  PriceBook,
  ResolvedPriceBook,
  PriceEntry,
  Fact,
  LicenceRule,
  Offer,
  TierDefaults,
  OverrideError,
} from './priceBook/priceBookSchema';

export { CALCULATOR_REGISTRY } from './registry';
export type { CalculatorRegistryEntry } from './registry';
export { CARDS } from './cards';
export type { CardDefinition } from './cards';
export { shouldRenderCard } from './prefill/shouldRenderCard';
export { opsAnnotation, resolveEnvironment } from './prefill/entityFacts';
export type { EntityLike } from './prefill/entityFacts';
export {
  prefillFromAnnotations,
  isDateDerived,
  connectionClientFromComponent,
  readConnectionClient,
  mergePrefills,
  withoutContradictedOffer,
} from './prefill/prefillFromAnnotations';
export type {
  ConnectionClientReading,
  ConnectionClientRow,
  Prefill,
  PrefillOptions,
} from './prefill/prefillFromAnnotations';
export { readYesNo, YES_NO_SPELLINGS } from './prefill/yesNo';
export {
  DEFAULT_ANNOTATION_MAX_AGE_DAYS,
  MAX_ANNOTATION_MAX_AGE_DAYS,
  readAnnotationMaxAgeDays,
} from './prefill/annotationMaxAge';
export type { AnnotationMaxAge } from './prefill/annotationMaxAge';

export { renderMarkdown } from './presentation/renderMarkdown';
export { formatOutputValue } from './presentation/outputValue';
export {
  bigqueryCostByEtlVolume,
  connectionBudgetStack,
  failoverRtoStack,
} from './presentation/chartSeries';
export type {
  ConnectionSegment,
  ConnectionStack,
  EtlCostPoint,
  EtlCostSeries,
  RtoStack,
  RtoTerm,
} from './presentation/chartSeries';
export type { MarkdownOptions } from './presentation/renderMarkdown';
export { describeSource } from './presentation/describeSource';
export {
  encodeShareQuery,
  decodeShareQuery,
  buildShareLink,
  priceBookMismatchNotice,
  MAX_LINK_LENGTH,
} from './presentation/shareQuery';
export type {
  ShareLinkState,
  DecodedShareQuery,
} from './presentation/shareQuery';
