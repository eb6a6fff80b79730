import { daysBetween, isIsoDate, wholeMonthsBetween } from '../dates';
import type { CalculatorId, InputSource, Warning } from '../types';
import { EntityLike, opsAnnotation, resolveEnvironment } from './entityFacts';
import { OPS_ANNOTATION_PREFIX } from '@internal/plugin-incident-brief-common';

/** Prefilled input values with their sources and the warnings raised while reading them. */
export interface Prefill {
  values: Record<string, unknown>;
  sources: Record<string, InputSource>;
  warnings: Warning[];
}

/** Options for reading annotations. */
export interface PrefillOptions {
  asOf: string;
  /** `costCalculators.annotationMaxAgeDays`, default 90. */
  annotationMaxAgeDays?: number;
}

type Parser = 'decimal' | 'int' | 'text' | 'date';
/** [input id, annotation key, parser]; derived inputs (dates → days/months) are handled below. */
type Mapping = [string, string, Parser];

const DECIMAL = /^\d+(\.\d+)?$/;
const EXPECTED: Record<Parser, string> = {
  decimal: 'a decimal number',
  int: 'a whole number',
  date: 'a date YYYY-MM-DD',
  text: 'text',
};

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
    ['provider', 'provider', 'text'],
    ['engineEdition', 'engine', 'text'],
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
    ['dataClass', 'data-classification', 'text'],
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
    ['databaseTier', 'database-tier', 'text'],
    ['priceBookSku', 'price-book-sku', 'text'],
  ],
};

function parse(raw: string, parser: Parser): unknown {
  switch (parser) {
    case 'decimal':
      return DECIMAL.test(raw) ? raw : undefined;
    case 'int':
      return /^\d+$/.test(raw) ? Number(raw) : undefined;
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
 */
export function prefillFromAnnotations(
  calculatorId: CalculatorId,
  entity: EntityLike,
  options: PrefillOptions,
): Prefill {
  const maxAge = options.annotationMaxAgeDays ?? 90;
  const annotations = entity.metadata.annotations;
  const result: Prefill = { values: {}, sources: {}, warnings: [] };
  const invalid = (key: string, raw: string, expected: string) =>
    result.warnings.push({
      kind: 'invalid-annotation',
      subject: `${OPS_ANNOTATION_PREFIX}${key}`,
      message: `Ignored ${OPS_ANNOTATION_PREFIX}${key}: "${raw}" is not ${expected}.`,
    });
  const source = (key: string): InputSource => {
    const asOfKey = `${key}-as-of`;
    const asOf = opsAnnotation(annotations, asOfKey);
    if (asOf === undefined)
      return { kind: 'annotation', key: `${OPS_ANNOTATION_PREFIX}${key}` };
    if (!isIsoDate(asOf)) {
      invalid(asOfKey, asOf, 'a date YYYY-MM-DD');
      return { kind: 'annotation', key: `${OPS_ANNOTATION_PREFIX}${key}` };
    }
    const ageDays = daysBetween(asOf, options.asOf);
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
      invalid(key, raw, EXPECTED[parser]);
      continue;
    }
    set(input, key, value);
  }

  // Derived inputs: dates turned into the day and month counts the formulas use.
  if (calculatorId === 'ri-vs-rightsize') {
    const migrated = readDate('migrated-on');
    if (migrated !== undefined)
      set(
        'daysSinceMigration',
        'migrated-on',
        Math.max(0, daysBetween(migrated, options.asOf)),
      );
    const change = readDate('planned-change-on');
    if (change !== undefined)
      set(
        'plannedChangeInMonths',
        'planned-change-on',
        wholeMonthsBetween(options.asOf, change),
      );
  }
  if (calculatorId === 'commitment-break-even') {
    const change = readDate('planned-change-on');
    if (change !== undefined)
      set(
        'expectedUsageMonths',
        'planned-change-on',
        wholeMonthsBetween(options.asOf, change),
      );
  }
  if (calculatorId === 'nonprod-schedule') {
    const env = resolveEnvironment(entity);
    result.values.environment = env;
    result.sources.environment = opsAnnotation(annotations, 'environment')
      ? source('environment')
      : { kind: 'derived', from: 'lifecycle' };
  }
  if (calculatorId === 'failover-rto') {
    if (opsAnnotation(annotations, 'service') === 'aurora')
      set('service', 'service', 'aurora');
    if (opsAnnotation(annotations, 'dr-region'))
      set('crossRegion', 'dr-region', true);
  }
  return result;
}

/** A Component's connection-pool facts as a C10 client row (null when it lacks them). */
export function connectionClientFromComponent(
  entity: EntityLike & { metadata: { name: string } },
): {
  name: string;
  maxInstances: number;
  poolSize: number;
  rolloutSurgePercent: number;
} | null {
  const a = entity.metadata.annotations;
  const instances = opsAnnotation(a, 'max-instances');
  const pool = opsAnnotation(a, 'db-pool-size');
  const surge = opsAnnotation(a, 'rollout-surge-percent');
  if (!instances || !pool || !/^\d+$/.test(instances) || !/^\d+$/.test(pool))
    return null;
  return {
    name: entity.metadata.name,
    maxInstances: Number(instances),
    poolSize: Number(pool),
    rolloutSurgePercent: surge && DECIMAL.test(surge) ? Number(surge) : 0,
  };
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
