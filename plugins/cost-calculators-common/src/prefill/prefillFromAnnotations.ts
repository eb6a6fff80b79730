import { daysBetween, isIsoDate, wholeMonthsBetween } from '../dates';
import { DATA_CLASSES } from '../calculators/encryptionTier';
import {
  DATABASE_TIERS,
  ENGINE_EDITIONS,
  Offer,
  PROVIDERS,
} from '../priceBook/priceBookSchema';
import { DEFAULT_PRICE_BOOK } from '../priceBook/defaultPriceBook';
import type { CalculatorId, InputSource, Warning } from '../types';
import {
  ENVIRONMENTS,
  EntityLike,
  opsAnnotation,
  readEnvironment,
} from './entityFacts';
import { isFailoverService } from './failoverServices';
import { readAnnotationMaxAgeDays } from './annotationMaxAge';
import {
  MAX_DAYS_SINCE_MIGRATION,
  MAX_PLANNED_CHANGE_MONTHS,
} from '../calculators/riVsRightsize';
import { MAX_EXPECTED_USAGE_MONTHS } from '../calculators/commitmentBreakEven';
import { OPS_ANNOTATION_PREFIX } from '@internal/plugin-incident-brief-common';

/** Prefilled input values with their sources and the warnings raised while reading them. */
export interface Prefill {
  values: Record<string, unknown>;
  sources: Record<string, InputSource>;
  warnings: Warning[];
}

/** Annotations that are dates the prefill turns into day or month counts as of a date. */
const DATE_ANNOTATIONS = ['migrated-on', 'planned-change-on'];

/**
 * Whether a prefilled value was worked out from a date annotation as of the prefill's date
 * (`daysSinceMigration`, `plannedChangeInMonths`, `expectedUsageMonths`): another date gives
 * another value, so a recompute for another date must work it out again, not keep it.
 */
export function isDateDerived(source: InputSource | undefined): boolean {
  return (
    source?.kind === 'annotation' &&
    DATE_ANNOTATIONS.some(
      key => source.key === `${OPS_ANNOTATION_PREFIX}${key}`,
    )
  );
}

/** Options for reading annotations. */
export interface PrefillOptions {
  asOf: string;
  /**
   * `costCalculators.annotationMaxAgeDays`, default 90; a value that is not a whole number
   * of days from 1 to 3650 is not used either (see {@link readAnnotationMaxAgeDays}).
   */
  annotationMaxAgeDays?: number;
  /** The resolved book's offers, for C6's `offerId` (default: the bundled book's). */
  offers?: readonly Offer[];
}

/** How an annotation is read; a list means "one of these values" (§1's enum annotations). */
type Parser = 'decimal' | 'int' | 'text' | 'date' | readonly string[];
/** [input id, annotation key, parser]; derived inputs (dates → days/months) are handled below. */
type Mapping = [string, string, Parser];

const DECIMAL = /^\d+(\.\d+)?$/;
const WHOLE_NUMBER = /^\d+$/;
const EXPECTED = {
  decimal: 'a decimal number',
  int: 'a whole number',
  date: 'a date YYYY-MM-DD',
  text: 'text',
} as const;

function expectedOf(parser: Parser): string {
  return typeof parser === 'string'
    ? EXPECTED[parser]
    : `one of ${parser.join(', ')}`;
}

/** The §1 warning for an unparsable annotation; `on` names the entity when it is not the card's own. */
function invalidAnnotation(
  key: string,
  raw: string,
  expected: string,
  on?: { entity: string; consequence: string },
): Warning {
  const where = on ? ` on ${on.entity}` : '';
  const consequence = on ? `; ${on.consequence}` : '';
  return {
    kind: 'invalid-annotation',
    subject: `${OPS_ANNOTATION_PREFIX}${key}`,
    message: `Ignored ${OPS_ANNOTATION_PREFIX}${key}${where}: "${raw}" is not ${expected}${consequence}.`,
  };
}

const MAPPINGS: Record<CalculatorId, Mapping[]> = {
  'rightsize-p95': [
    ['currentMonthly', 'monthly-spend', 'decimal'],
    ['p95CpuPercent', 'p95-cpu', 'decimal'],
    ['p95MemoryPercent', 'p95-memory', 'decimal'],
    ['profileDays', 'profile-days', 'int'],
  ],
  'ri-vs-rightsize': [
    ['currentMonthly', 'monthly-spend', 'decimal'],
    ['profileDays', 'profile-days', 'int'],
  ],
  'commitment-break-even': [['onDemandMonthly', 'monthly-spend', 'decimal']],
  'bigquery-capacity': [
    ['etlTiBPerMonth', 'bigquery-etl-tib-month', 'decimal'],
    ['adhocTiBPerMonth', 'bigquery-adhoc-tib-month', 'decimal'],
    ['baselineSlots', 'bigquery-slots', 'int'],
  ],
  'bigquery-query-guard': [],
  'db-licensing': [
    ['provider', 'provider', PROVIDERS],
    ['engineEdition', 'engine', ENGINE_EDITIONS],
    ['vcpus', 'vcpus', 'int'],
    ['ownedLicenceUnits', 'licences-owned', 'int'],
    ['sku', 'price-book-sku', 'text'],
  ],
  'oss-migration-payback': [
    ['currentMonthly', 'monthly-spend', 'decimal'],
    ['storedProcedures', 'stored-procedures', 'int'],
    ['commitmentEndsOn', 'commitment-ends-on', 'date'],
  ],
  'nonprod-schedule': [
    ['monthlySpend', 'monthly-spend', 'decimal'],
    ['priceBookSku', 'price-book-sku', 'text'],
  ],
  'storage-tiering': [
    ['totalGiB', 'storage-gib', 'decimal'],
    ['coldPercent', 'cold-percent', 'decimal'],
  ],
  'connection-budget': [['maxConnections', 'max-connections', 'int']],
  'failover-rto': [
    ['targetRtoSeconds', 'rto-seconds', 'decimal'],
    ['targetRpoSeconds', 'rpo-seconds', 'decimal'],
  ],
  'encryption-tier': [
    ['dataClass', 'data-classification', DATA_CLASSES],
    ['cryptoOpsPerSecond', 'crypto-ops-per-second', 'decimal'],
  ],
  'cross-region-replica': [
    ['primaryInstanceMonthly', 'monthly-spend', 'decimal'],
    ['storageGiB', 'storage-gib', 'decimal'],
    ['targetRpoSeconds', 'rpo-seconds', 'decimal'],
  ],
  'cache-memory-budget': [
    ['keyCount', 'cache-keys', 'int'],
    ['avgValueBytes', 'cache-avg-value-bytes', 'int'],
  ],
  'provisioning-estimate': [
    ['databaseTier', 'database-tier', DATABASE_TIERS],
    ['priceBookSku', 'price-book-sku', 'text'],
    // One of the seven keys a golden-path database request writes (README §1 of the design
    // notes), read as C9 and C13 read it: without it the card asks for a size the entity states.
    ['storageGiB', 'storage-gib', 'decimal'],
  ],
};

function parse(raw: string, parser: Parser): unknown {
  // An out-of-list value would only resurface later as a schema error far from its annotation.
  if (typeof parser !== 'string') return parser.includes(raw) ? raw : undefined;
  switch (parser) {
    case 'decimal':
      return DECIMAL.test(raw) ? raw : undefined;
    case 'int':
      return WHOLE_NUMBER.test(raw) ? Number(raw) : undefined;
    case 'date':
      return isIsoDate(raw) ? raw : undefined;
    default:
      return raw;
  }
}

/**
 * Prefills a calculator's inputs from an entity's `ops.example.com/` annotations (§1):
 * hints, never the source of truth. Unparsable values are ignored with a warning;
 * values whose `…-as-of` date is older than the limit carry a stale warning.
 * Never throws: when `options.asOf` is not a real date (a hand-edited share link),
 * the values that need date arithmetic are skipped and an `invalid-as-of` warning
 * names them.
 */
export function prefillFromAnnotations(
  calculatorId: CalculatorId,
  entity: EntityLike,
  options: PrefillOptions,
): Prefill {
  // 0, a negative number or NaN would call every dated value stale, or none of them.
  const maxAge = readAnnotationMaxAgeDays(options.annotationMaxAgeDays).days;
  const annotations = entity.metadata.annotations;
  const result: Prefill = { values: {}, sources: {}, warnings: [] };
  // Date arithmetic against an invalid asOf throws; what it would have produced is listed instead.
  const asOfIsDate = isIsoDate(options.asOf);
  const skippedForAsOf: string[] = [];
  const invalid = (key: string, raw: string, expected: string) =>
    result.warnings.push(invalidAnnotation(key, raw, expected));
  const source = (key: string): InputSource => {
    const asOfKey = `${key}-as-of`;
    const asOf = opsAnnotation(annotations, asOfKey);
    if (asOf === undefined)
      return { kind: 'annotation', key: `${OPS_ANNOTATION_PREFIX}${key}` };
    if (!isIsoDate(asOf)) {
      invalid(asOfKey, asOf, 'a date YYYY-MM-DD');
      return { kind: 'annotation', key: `${OPS_ANNOTATION_PREFIX}${key}` };
    }
    if (!asOfIsDate) {
      skippedForAsOf.push(`the age of ${OPS_ANNOTATION_PREFIX}${key}`);
      return {
        kind: 'annotation',
        key: `${OPS_ANNOTATION_PREFIX}${key}`,
        asOf,
      };
    }
    const ageDays = daysBetween(asOf, options.asOf);
    if (ageDays < 0) {
      // A measurement dated after the computation date has no age to show: a
      // negative one ("-190 days old") would read as fresh. The value is still a
      // hint; its chip says "age unknown".
      result.warnings.push({
        kind: 'invalid-annotation',
        subject: `${OPS_ANNOTATION_PREFIX}${asOfKey}`,
        message: `Ignored ${OPS_ANNOTATION_PREFIX}${asOfKey}: "${asOf}" is after asOf ${options.asOf}, so the age of ${OPS_ANNOTATION_PREFIX}${key} is unknown.`,
      });
      return { kind: 'annotation', key: `${OPS_ANNOTATION_PREFIX}${key}` };
    }
    if (ageDays > maxAge) {
      result.warnings.push({
        kind: 'stale-annotation',
        subject: `${OPS_ANNOTATION_PREFIX}${key}`,
        message: `${OPS_ANNOTATION_PREFIX}${key} is ${ageDays} days old (as of ${asOf}); the limit is ${maxAge} days.`,
      });
    }
    return {
      kind: 'annotation',
      key: `${OPS_ANNOTATION_PREFIX}${key}`,
      asOf,
      ageDays,
    };
  };
  const set = (input: string, key: string, value: unknown) => {
    result.values[input] = value;
    result.sources[input] = source(key);
  };
  const readDate = (key: string): string | undefined => {
    const raw = opsAnnotation(annotations, key);
    if (raw === undefined) return undefined;
    if (!isIsoDate(raw)) {
      invalid(key, raw, 'a date YYYY-MM-DD');
      return undefined;
    }
    return raw;
  };
  for (const [input, key, parser] of MAPPINGS[calculatorId]) {
    const raw = opsAnnotation(annotations, key);
    if (raw === undefined) continue;
    const value = parse(raw, parser);
    if (value === undefined) {
      invalid(key, raw, expectedOf(parser));
      continue;
    }
    set(input, key, value);
  }

  /**
   * A planned change dated before asOf has already happened (or the annotation is
   * out of date): read as 0 months it would make C2 recommend avoiding a
   * commitment over a change that is behind us. The input is left for the user.
   */
  const setPlannedChange = (input: string, maxMonths: number) => {
    const key = 'planned-change-on';
    const date = readDate(key);
    if (date === undefined) return;
    if (!asOfIsDate) {
      skippedForAsOf.push(`${input} (from ${OPS_ANNOTATION_PREFIX}${key})`);
      return;
    }
    if (date < options.asOf) {
      result.warnings.push({
        kind: 'invalid-annotation',
        subject: `${OPS_ANNOTATION_PREFIX}${key}`,
        message: `Ignored ${OPS_ANNOTATION_PREFIX}${key}: "${date}" is before asOf ${options.asOf}, so the change is no longer planned; ${input} is left for you to enter.`,
      });
      return;
    }
    const months = wholeMonthsBetween(options.asOf, date);
    if (months > maxMonths) {
      // A valid date beyond the input's range would only resurface as a range
      // error on a field the user never typed. Terms are at most 60 months, so
      // the largest accepted value computes the same result.
      result.warnings.push({
        kind: 'clamped-annotation',
        subject: `${OPS_ANNOTATION_PREFIX}${key}`,
        message: `${OPS_ANNOTATION_PREFIX}${key} "${date}" is ${months} months after asOf ${options.asOf}; ${input} is set to ${maxMonths}, the most it accepts (commitment terms are shorter, so the result is the same).`,
      });
      set(input, key, maxMonths);
      return;
    }
    set(input, key, months);
  };

  /**
   * A `migrated-on` after asOf is no migration date yet (a planned move, or a typo): read
   * as 0 days it would be a made-up figure. Like an unusable annotation, it is ignored
   * with an `invalid-annotation` warning and the input is left for the user. One more
   * than 36,500 days before asOf is clamped to that maximum, as `planned-change-on` is.
   */
  const setDaysSinceMigration = () => {
    const key = 'migrated-on';
    const date = readDate(key);
    if (date === undefined) return;
    if (!asOfIsDate) {
      skippedForAsOf.push(
        `daysSinceMigration (from ${OPS_ANNOTATION_PREFIX}${key})`,
      );
      return;
    }
    if (date > options.asOf) {
      result.warnings.push({
        kind: 'invalid-annotation',
        subject: `${OPS_ANNOTATION_PREFIX}${key}`,
        message: `Ignored ${OPS_ANNOTATION_PREFIX}${key}: "${date}" is after asOf ${options.asOf}, so it is not a migration date yet; daysSinceMigration is left for you to enter.`,
      });
      return;
    }
    const days = daysBetween(date, options.asOf);
    if (days > MAX_DAYS_SINCE_MIGRATION) {
      // As for planned-change-on: a valid date beyond the input's range would only
      // resurface as a range error on a field the user never typed. Any age past the
      // 90-day window gives the same result.
      result.warnings.push({
        kind: 'clamped-annotation',
        subject: `${OPS_ANNOTATION_PREFIX}${key}`,
        message: `${OPS_ANNOTATION_PREFIX}${key} "${date}" is ${days} days before asOf ${options.asOf}; daysSinceMigration is set to ${MAX_DAYS_SINCE_MIGRATION}, the most it accepts (the 90-day window is long past either way, so the result is the same).`,
      });
      set('daysSinceMigration', key, MAX_DAYS_SINCE_MIGRATION);
      return;
    }
    set('daysSinceMigration', key, days);
  };

  // Derived inputs: dates turned into the day and month counts the formulas use.
  if (calculatorId === 'ri-vs-rightsize') {
    setDaysSinceMigration();
    setPlannedChange('plannedChangeInMonths', MAX_PLANNED_CHANGE_MONTHS);
  }
  if (calculatorId === 'commitment-break-even') {
    setPlannedChange('expectedUsageMonths', MAX_EXPECTED_USAGE_MONTHS);
  }
  if (calculatorId === 'db-licensing' && result.values.offerId === undefined) {
    // §2 C6: offerId is prefilled from `provider` and `service` (the engine
    // narrows it); several matching offers (e.g. Azure SQL DB GP and BC) are left
    // for the user to pick rather than guessed.
    const provider = result.values.provider;
    const service = opsAnnotation(annotations, 'service');
    const engine = result.values.engineEdition;
    if (provider !== undefined && service !== undefined) {
      const matches = (options.offers ?? DEFAULT_PRICE_BOOK.offers).filter(
        o =>
          o.provider === provider &&
          o.service === service &&
          (engine === undefined ||
            (o.engines as readonly unknown[]).includes(engine)),
      );
      if (matches.length === 1) set('offerId', 'service', matches[0].id);
    }
  }
  if (calculatorId === 'nonprod-schedule') {
    // The chip names what the value was read from: a fallback to lifecycle
    // labelled as the environment annotation would hide that the annotation
    // was ignored.
    const env = readEnvironment(entity);
    if (env.invalid !== undefined)
      invalid('environment', env.invalid, expectedOf(ENVIRONMENTS));
    result.values.environment = env.value;
    if (env.from === 'environment' || env.from === 'lifecycle')
      result.sources.environment = source(env.from);
    else if (env.from === 'spec.lifecycle')
      result.sources.environment = { kind: 'derived', from: 'spec.lifecycle' };
    else result.sources.environment = { kind: 'default' };
  }
  if (calculatorId === 'failover-rto') {
    // Every C11 service, so that each one the Failover card opens for reads its
    // own facts. Other §1 services (rds, cloud-sql, …) say nothing about the
    // failover tier: left at custom, without a warning (they serve other cards).
    const service = opsAnnotation(annotations, 'service');
    if (isFailoverService(service)) set('service', 'service', service);
    if (opsAnnotation(annotations, 'dr-region'))
      set('crossRegion', 'dr-region', true);
  }
  if (skippedForAsOf.length > 0) {
    result.warnings.push({
      kind: 'invalid-as-of',
      subject: 'asOf',
      message: `Not prefilled because asOf "${
        options.asOf
      }" is not a date YYYY-MM-DD: ${skippedForAsOf.join(', ')}.`,
    });
  }
  return result;
}

/** A C10 client row read from a Component's annotations. */
export interface ConnectionClientRow {
  name: string;
  maxInstances: number;
  poolSize: number;
  rolloutSurgePercent: number;
}

/** A Component read as a C10 client: the row (null when it cannot be counted) and why. */
export interface ConnectionClientReading {
  row: ConnectionClientRow | null;
  /** Required keys (`max-instances`, `db-pool-size`) the Component does not declare. */
  missing: string[];
  /** `invalid-annotation` for every present but unparsable pool annotation. */
  warnings: Warning[];
}

/**
 * Reads a Component's connection-pool facts as a C10 client row (§1): `max-instances`
 * and `db-pool-size` are required, `rollout-surge-percent` defaults to 0. An unparsable
 * value is ignored with an `invalid-annotation` warning (never a silent default): a
 * surge of "100%" read as 0 would under-count the rollout peak.
 */
export function readConnectionClient(
  entity: EntityLike & { metadata: { name: string } },
): ConnectionClientReading {
  const a = entity.metadata.annotations;
  const name = entity.metadata.name;
  const warnings: Warning[] = [];
  const read = (
    key: string,
    pattern: RegExp,
    expected: string,
    consequence: string,
  ): string | undefined => {
    const raw = opsAnnotation(a, key);
    if (raw === undefined || pattern.test(raw)) return raw;
    warnings.push(
      invalidAnnotation(key, raw, expected, { entity: name, consequence }),
    );
    return undefined;
  };
  const notCounted = `${name} is not counted as a client`;
  const instances = read(
    'max-instances',
    WHOLE_NUMBER,
    EXPECTED.int,
    notCounted,
  );
  const pool = read('db-pool-size', WHOLE_NUMBER, EXPECTED.int, notCounted);
  const surge = read(
    'rollout-surge-percent',
    DECIMAL,
    `${EXPECTED.decimal} (percent, without "%")`,
    'a surge of 0 % is assumed',
  );
  // Absent, unlike unparsable, needs no warning of its own: the caller lists such Components.
  const missing = ['max-instances', 'db-pool-size'].filter(
    key => opsAnnotation(a, key) === undefined,
  );
  if (instances === undefined || pool === undefined)
    return { row: null, missing, warnings };
  return {
    row: {
      name,
      maxInstances: Number(instances),
      poolSize: Number(pool),
      rolloutSurgePercent: surge === undefined ? 0 : Number(surge),
    },
    missing,
    warnings,
  };
}

/** A Component's connection-pool facts as a C10 client row (null when it lacks them); see {@link readConnectionClient} for the warnings. */
export function connectionClientFromComponent(
  entity: EntityLike & { metadata: { name: string } },
): ConnectionClientRow | null {
  return readConnectionClient(entity).row;
}

/** Merges prefill layers by precedence: link › cost facts › annotation (first layer wins). */
export function mergePrefills(...layers: Prefill[]): Prefill {
  const merged: Prefill = { values: {}, sources: {}, warnings: [] };
  for (const layer of [...layers].reverse()) {
    Object.assign(merged.values, layer.values);
    Object.assign(merged.sources, layer.sources);
  }
  merged.warnings = layers.flatMap(l => l.warnings);
  return merged;
}

/** The inputs C6's annotation-derived `offerId` was chosen by (§2: provider, narrowed by engine). */
const OFFER_KEYS = ['provider', 'engineEdition'] as const;

/**
 * `lower` without its annotation-derived C6 `offerId` when `higher` (cost facts over the
 * annotations, a link over the entity) sets a provider or engine edition other than the one
 * the offer was chosen by: merged, they would pair a GCP provider with an AWS offer, an error
 * on a field the user never typed. The offer is then left for the user to pick.
 */
export function withoutContradictedOffer(
  higher: Prefill,
  lower: Prefill,
): Prefill {
  const offerSource = lower.sources.offerId;
  if (offerSource?.kind !== 'annotation') return lower;
  const contradicted = OFFER_KEYS.some(
    key =>
      higher.values[key] !== undefined &&
      higher.values[key] !== lower.values[key],
  );
  if (!contradicted) return lower;
  const { offerId: _value, ...values } = lower.values;
  const { offerId: _source, ...sources } = lower.sources;
  return { ...lower, values, sources };
}
