import type { ResolvedPriceBook } from './priceBook/priceBookSchema';

/** Ids of the fifteen calculators (§2 of the design note). */
export const CALCULATOR_IDS = [
  'rightsize-p95',
  'ri-vs-rightsize',
  'commitment-break-even',
  'bigquery-capacity',
  'bigquery-query-guard',
  'db-licensing',
  'oss-migration-payback',
  'nonprod-schedule',
  'storage-tiering',
  'connection-budget',
  'failover-rto',
  'encryption-tier',
  'cross-region-replica',
  'cache-memory-budget',
  'provisioning-estimate',
] as const;

/** One calculator id. */
export type CalculatorId = (typeof CALCULATOR_IDS)[number];

/** Recommendation severities, most severe first. */
export const SEVERITY_ORDER = [
  'blocked',
  'avoid',
  'wait',
  'do',
  'info',
] as const;

/** Severity of a recommendation. */
export type Severity = (typeof SEVERITY_ORDER)[number];

/** Validation error codes. */
export type InputErrorCode =
  | 'negative'
  | 'out_of_range'
  | 'not_integer'
  | 'required'
  | 'inconsistent';

/** One input validation error; `message` is user-facing. */
export interface InputError {
  input: string;
  code: InputErrorCode;
  message: string;
}

/** Where an input value came from (the source chip). */
export type InputSource =
  | { kind: 'user' }
  | { kind: 'link' }
  /**
   * A value from the adopter's `CostFactsApi` (billing export, Cost Insights, …): `label`
   * names the system it came from, `asOf` the date it was measured, `ageDays` its age
   * (absent when unknown: no date, or one after the computation date).
   */
  | { kind: 'cost-facts'; label?: string; asOf?: string; ageDays?: number }
  | { kind: 'annotation'; key: string; asOf?: string; ageDays?: number }
  | { kind: 'price-book'; id: string }
  | { kind: 'default' }
  /**
   * Worked out from something else: another input (`from` is its id), a tier, or, with
   * `calculator`, another calculator's result on the same card (C2's right-sized cost from
   * C1's steps down). A share link carries such a value, since its recipient has no such result.
   */
  | { kind: 'derived'; from: string; calculator?: CalculatorId };

/** An input after defaults and prefill, with its source. */
export interface NormalizedInput {
  value: string | number | boolean | null | ClientRowValue[];
  source: InputSource;
}

/** C10 client row as recorded in normalized inputs. */
export interface ClientRowValue {
  name: string;
  maxInstances: number;
  poolSize: number;
  rolloutSurgePercent: number;
}

/** Inputs after defaults + prefill, keyed by input id. */
export type NormalizedInputs = Record<string, NormalizedInput>;

/** Display unit of an output; decides rounding. */
export type OutputUnit =
  | 'money'
  | 'money/month'
  | 'percent'
  | 'months'
  | 'TiB'
  | 'GiB'
  | 'count'
  | 'bytes'
  | 'seconds'
  | 'calls'
  | 'text'
  | 'bool';

/** One result figure: exact value as a string next to its rounded display. */
export interface Output {
  id: string;
  label: string;
  unit: OutputUnit;
  /** Exact decimal (or text) value; null when the figure does not exist (e.g. no break-even). */
  exact: string | null;
  display: string;
  /** Column for option-style outputs (C2: now / on-demand / later). */
  option?: string;
}

/** Per-option series for charts (exact decimal strings). */
export interface OptionSeries {
  id: string;
  label: string;
  monthly: string;
  cumulative: string[];
}

/** Status of one rule after evaluation. */
export type RuleStatus = 'fired' | 'passed' | 'unknown';

/** A rule as listed under "Why". */
export interface RuleOutcome {
  id: string;
  status: RuleStatus;
  sources: string[];
}

/** Kinds of warning a result can carry. */
export type WarningKind =
  | 'stale-prices'
  | 'illustrative-price'
  | 'stale-annotation'
  | 'invalid-annotation'
  /** A valid annotation whose derived value was beyond the input's range and was set to the nearest allowed value. */
  | 'clamped-annotation'
  | 'missing-annotation'
  /** The computation date is not a real date, so date-derived prefill values were skipped. */
  | 'invalid-as-of'
  | 'override-invalid'
  /** The adopter's `CostFactsApi` failed or did not answer: the lower prefill layers were used. */
  | 'cost-facts-unavailable'
  /** A cost fact (or its date) the form could not use: the lower prefill layers fill its input. */
  | 'invalid-cost-fact'
  /** A cost fact older than `costCalculators.annotationMaxAgeDays`, like `stale-annotation` for an annotation. */
  | 'stale-cost-fact'
  /** A share link's value the form could not use (text that is not yes or no for a yes/no input): the lower prefill layers fill its input. */
  | 'invalid-link-value'
  /** C10: more dependents than client rows; the smallest were summed into one `other clients (N)` row. */
  | 'merged-clients'
  /** An override whose effectiveDate is after asOf: the book's earlier price was used (or, for a new id, the override with this warning). */
  | 'override-not-effective'
  /** A book entry whose effectiveDate is after asOf, used because the book has no earlier price for it. */
  | 'price-not-effective'
  /** Every price used was verified after asOf: the result has no price age (a negative one would read as fresh). */
  | 'price-age-unknown'
  | 'rule';

/** A warning shown under the recommendation (always visible). */
export interface Warning {
  kind: WarningKind;
  message: string;
  /** Rule id, price-book id, annotation key or config path the warning is about. */
  subject?: string;
  /**
   * Text from outside the suite that explains the warning (an adopter's error message): shown
   * on screen with it, never in an export (the markdown leaves it out), since it may hold what
   * the export's readers should not see.
   */
  detail?: string;
}

/** The price-book provenance every result carries. */
export interface PriceBookUsage {
  version: string;
  entriesUsed: string[];
  /** Oldest `verifiedOn` among price entries used; null when only facts were used. */
  oldestVerifiedOn: string | null;
  oldestEntryId: string | null;
  /** asOf − oldestVerifiedOn; null when only facts were used, or when oldestVerifiedOn is after asOf (age unknown). */
  ageDays: number | null;
  stale: boolean;
  maxAgeDays: number;
  factsOnly: boolean;
}

/** The common result shape of every calculator (§0). */
export interface CalcResult {
  calculatorId: CalculatorId;
  calculatorVersion: number;
  asOf: string;
  currency: string;
  inputs: NormalizedInputs;
  outputs: Output[];
  options?: OptionSeries[];
  breakEven?: { month: string | null; optionA: string; optionB: string };
  recommendation: {
    code: string;
    severity: Severity;
    sentence: string;
    /** C1 "provisional" (profile too short), C4 "unverified" (no slot-hours). */
    qualifier?: 'provisional' | 'unverified';
  };
  rules: RuleOutcome[];
  caveats: string[];
  warnings: Warning[];
  priceBook: PriceBookUsage;
}

/** What `compute` returns: a result, or the input errors. Never throws for bad input. */
export type CalcOutcome =
  | { ok: true; result: CalcResult }
  | { ok: false; errors: InputError[] };

/** Evaluation context: the date "today" and the resolved price book. */
export interface CalcContext {
  asOf: string;
  priceBook: ResolvedPriceBook;
  /** Sources of prefilled inputs (annotation, link, cost facts); anything else is `user`. */
  sources?: Record<string, InputSource>;
  /** Warnings from prefill (stale/invalid annotations) to carry on the result. */
  prefillWarnings?: Warning[];
  /**
   * Results of the other calculators of the same card, for the same entity (§2 C2:
   * `rightSizedMonthly` defaults to C1's output). Absent on the page and in the vectors.
   */
  linkedResults?: Partial<Record<CalculatorId, CalcResult>>;
}
