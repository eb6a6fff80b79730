import { z } from 'zod';
import { CALCULATORS } from '.';
import { rangeOf } from '../validation/fields';
import type { CalculatorId, InputError } from '../types';
import { applyPriceBookOverrides } from '../priceBook/applyPriceBookOverrides';
import { DEFAULT_PRICE_BOOK } from '../priceBook/defaultPriceBook';
import type {
  LicenceRule,
  ResolvedPriceBook,
  TierDefaults,
} from '../priceBook/priceBookSchema';
import {
  expectErrors,
  expectOk,
  vectorContext,
} from '../testing/vectorContext';
import { licenceUnits } from './licenceUnits';

/*
 * Book values that fill calculator inputs, or serve as constants, steps and divisors, are
 * held to the range the input declares (or the constant's own range): a hand-built or
 * damaged book, or an override priced beyond the range, gives an error naming the book's
 * item instead of a confusing error on a field nobody typed, a division by zero or a
 * nonsense result. A typed value still replaces a book default.
 */

const book = vectorContext().priceBook;

/** The default book with some of its values changed (no schema check: a hand-built book). */
interface Change {
  facts?: Record<string, number>;
  entries?: Record<string, string>;
  tiers?: Record<string, Partial<TierDefaults>>;
  licenceRules?: Record<string, Partial<LicenceRule>>;
}

function changed(change: Change): ResolvedPriceBook {
  return {
    ...book,
    facts: book.facts.map(f =>
      change.facts && f.id in change.facts
        ? { ...f, value: change.facts[f.id] }
        : f,
    ),
    entries: book.entries.map(e =>
      change.entries && e.id in change.entries
        ? { ...e, price: change.entries[e.id] }
        : e,
    ),
    tiers: book.tiers.map(t => ({ ...t, ...change.tiers?.[t.id] })),
    licenceRules: book.licenceRules.map(r => ({
      ...r,
      ...change.licenceRules?.[`${r.engineEdition}/${r.counting}`],
    })),
  };
}

/** A minimal valid input per calculator the table uses. */
const INPUTS: Partial<Record<CalculatorId, Record<string, unknown>>> = {
  'rightsize-p95': {
    currentMonthly: 10000,
    p95CpuPercent: 85,
    p95MemoryPercent: 40,
    profileDays: 90,
  },
  'ri-vs-rightsize': {
    currentMonthly: 10000,
    rightSizedMonthly: 4000,
    profileDays: 90,
  },
  'bigquery-capacity': {
    etlTiBPerMonth: 3200,
    adhocTiBPerMonth: 400,
    etlSlotHoursPerMonth: 100000,
  },
  'bigquery-query-guard': { tableTiB: 80, totalPartitions: 365 },
  'db-licensing': {
    engineEdition: 'sqlserver-enterprise',
    offerId: 'azure.vm.sqlserver',
    vcpus: 8,
    ownedLicenceUnits: 8,
    sku: 'example.sqlserver-ent',
  },
  'oss-migration-payback': {
    currentMonthly: 12000,
    targetMonthly: 4000,
    engineeringRatePerHour: 100,
    dualRunMonths: 2,
  },
  'nonprod-schedule': { environment: 'dev', monthlySpend: 1460 },
  'storage-tiering': { totalGiB: 10000, coldPercent: 70 },
  'connection-budget': {
    maxConnections: 500,
    clients: [{ name: 'web', maxInstances: 50, poolSize: 5 }],
  },
  'failover-rto': { service: 'aurora', targetRtoSeconds: 60 },
  'encryption-tier': {
    dataClass: 'critical-pii',
    cryptoOpsPerSecond: 2000,
    appInstances: 20,
  },
  'cross-region-replica': {
    primaryInstanceMonthly: 2000,
    storageGiB: 1000,
    changeGiBPerMonth: 500,
  },
  'cache-memory-budget': {
    keyCount: 1000000,
    avgKeyBytes: 40,
    avgValueBytes: 1000,
  },
  'provisioning-estimate': {
    databaseTier: 'production-standard',
    instanceHourly: 0.4,
    storageGiB: 100,
  },
};

const onInput = (input: string, message: string): InputError => ({
  input,
  code: 'out_of_range',
  message,
});
const onBook = (message: string): InputError => ({
  input: 'priceBook',
  code: 'inconsistent',
  message,
});

describe('book values that fill an input are held to its declared range', () => {
  it.each<
    [
      CalculatorId,
      Change,
      InputError,
      Record<string, unknown>,
      Record<string, unknown>?,
    ]
  >([
    // [calculator, book change, error, typed value that replaces the book's, other input]
    [
      'rightsize-p95',
      { facts: { 'rightsize.target-peak-percent': 0 } },
      onInput(
        'targetPeakPercent',
        'targetPeakPercent must be between 10 and 95 % (got 0 from price book 2026.11.0 fact rightsize.target-peak-percent); enter a value instead.',
      ),
      { targetPeakPercent: 70 },
    ],
    [
      'ri-vs-rightsize',
      { facts: { 'example.ri-discount-oversized-3y': 120 } },
      onInput(
        'discountNowPercent',
        'discountNowPercent must be between 0 and 95 % (got 120 from price book 2026.11.0 fact example.ri-discount-oversized-3y); enter a value instead.',
      ),
      { discountNowPercent: 50 },
    ],
    [
      'ri-vs-rightsize',
      { facts: { 'example.ri-discount-rightsized-1y': -30 } },
      onInput(
        'discountLaterPercent',
        'discountLaterPercent must be between 0 and 95 % (got -30 from price book 2026.11.0 fact example.ri-discount-rightsized-1y); enter a value instead.',
      ),
      { discountLaterPercent: 30 },
    ],
    [
      'bigquery-capacity',
      { entries: { 'gcp.bigquery.slot-hour.enterprise-commit-1y': '12' } },
      onInput(
        'slotHourPrice',
        'slotHourPrice must be between 0 and 10 USD/slot-hour (got 12 from price book 2026.11.0 entry gcp.bigquery.slot-hour.enterprise-commit-1y); enter a value instead.',
      ),
      { slotHourPrice: 0.048 },
    ],
    [
      'bigquery-query-guard',
      { entries: { 'gcp.bigquery.on-demand-analysis': '1500' } },
      onInput(
        'onDemandPerTiB',
        'onDemandPerTiB must be between 0 and 1000 USD/TiB (got 1500 from price book 2026.11.0 entry gcp.bigquery.on-demand-analysis); enter a value instead.',
      ),
      { onDemandPerTiB: 6.25 },
    ],
    [
      'db-licensing',
      { facts: { 'calendar.hours-per-month': 800 } },
      onInput(
        'hoursPerMonth',
        'hoursPerMonth must be between 0 and 744 h (got 800 from price book 2026.11.0 fact calendar.hours-per-month); enter a value instead.',
      ),
      { hoursPerMonth: 730 },
    ],
    [
      'db-licensing',
      { entries: { 'example.sqlserver-ent.li-hour': '20000' } },
      onInput(
        'licenseIncludedHourly',
        'licenseIncludedHourly must be between 0 and 10000 USD/h (got 20000 from price book 2026.11.0 entry example.sqlserver-ent.li-hour); enter a value instead.',
      ),
      { licenseIncludedHourly: 3.2 },
    ],
    [
      'oss-migration-payback',
      { facts: { 'policy.payback-horizon-months': 6 } },
      onInput(
        'horizonMonths',
        'horizonMonths must be a whole number between 12 and 120 months (got 6 from price book 2026.11.0 fact policy.payback-horizon-months); enter a value instead.',
      ),
      { horizonMonths: 60 },
    ],
    [
      'oss-migration-payback',
      { facts: { 'policy.payback-horizon-months': 60.5 } },
      onInput(
        'horizonMonths',
        'horizonMonths must be a whole number between 12 and 120 months (got 60.5 from price book 2026.11.0 fact policy.payback-horizon-months); enter a value instead.',
      ),
      { horizonMonths: 60 },
    ],
    [
      'nonprod-schedule',
      { entries: { 'example.rds-postgres.s': '20000' } },
      onInput(
        'computeHourly',
        'computeHourly must be between 0 and 10000 USD/h (got 20000 from price book 2026.11.0 entry example.rds-postgres.s); enter a value instead.',
      ),
      { computeHourly: 2 },
      { priceBookSku: 'example.rds-postgres.s' },
    ],
    [
      'storage-tiering',
      { facts: { 'aws.s3.glacier-ir.minimum-days': 400 } },
      onInput(
        'coldMinimumDays',
        'coldMinimumDays must be between 0 and 365 days (got 400 from price book 2026.11.0 fact aws.s3.glacier-ir.minimum-days); enter a value instead.',
      ),
      { coldMinimumDays: 90 },
    ],
    [
      'storage-tiering',
      { entries: { 'aws.s3.standard': '150' } },
      onInput(
        'hotPricePerGiBMonth',
        'hotPricePerGiBMonth must be between 0 and 100 USD/GiB-month (got 150 from price book 2026.11.0 entry aws.s3.standard); enter a value instead.',
      ),
      { hotPricePerGiBMonth: 0.023 },
    ],
    [
      'connection-budget',
      { facts: { 'postgres.superuser-reserved': 2.5 } },
      onInput(
        'superuserReserved',
        'superuserReserved must be a whole number between 0 and 1000 (got 2.5 from price book 2026.11.0 fact postgres.superuser-reserved); enter a value instead.',
      ),
      { superuserReserved: 3 },
    ],
    [
      'failover-rto',
      { facts: { 'aws.aurora.failover-seconds': 7200 } },
      onInput(
        'providerFailoverSeconds',
        'providerFailoverSeconds must be between 0 and 3600 s (got 7200 from price book 2026.11.0 fact aws.aurora.failover-seconds); enter a value instead.',
      ),
      { providerFailoverSeconds: 30 },
    ],
    [
      'failover-rto',
      { facts: { 'aws.aurora.endpoint-dns-ttl-seconds': -5 } },
      onInput(
        'dnsTtlSeconds',
        'dnsTtlSeconds must be between 0 and 86400 s (got -5 from price book 2026.11.0 fact aws.aurora.endpoint-dns-ttl-seconds); enter a value instead.',
      ),
      { dnsTtlSeconds: 5 },
    ],
    [
      'failover-rto',
      { facts: { 'client.jvm-dns-cache-seconds': 100000 } },
      onInput(
        'clientDnsCacheSeconds',
        'clientDnsCacheSeconds must be between 0 and 86400 s (got 100000 from price book 2026.11.0 fact client.jvm-dns-cache-seconds); enter a value instead.',
      ),
      { clientDnsCacheSeconds: 30 },
    ],
    [
      'encryption-tier',
      { facts: { 'kms.dek-cache-ttl-seconds': -300 } },
      onInput(
        'dekCacheTtlSeconds',
        'dekCacheTtlSeconds must be between 0 and 86400 s (got -300 from price book 2026.11.0 fact kms.dek-cache-ttl-seconds); enter a value instead.',
      ),
      { dekCacheTtlSeconds: 300 },
    ],
    [
      'cross-region-replica',
      { entries: { 'aws.transfer.inter-region': '11' } },
      onInput(
        'transferPricePerGiB',
        'transferPricePerGiB must be between 0 and 10 USD/GiB (got 11 from price book 2026.11.0 entry aws.transfer.inter-region); enter a value instead.',
      ),
      { transferPricePerGiB: 0.02 },
    ],
    [
      'cache-memory-budget',
      { facts: { 'redis.per-key-overhead-bytes': 20000 } },
      onInput(
        'perKeyOverheadBytes',
        'perKeyOverheadBytes must be between 0 and 10000 bytes (got 20000 from price book 2026.11.0 fact redis.per-key-overhead-bytes); enter a value instead.',
      ),
      { perKeyOverheadBytes: 64 },
    ],
    [
      'provisioning-estimate',
      { tiers: { 'production-standard': { readReplicas: 20 } } },
      onInput(
        'readReplicas',
        'readReplicas must be a whole number between 0 and 15 (got 20 from price book 2026.11.0 tier production-standard); enter a value instead.',
      ),
      { readReplicas: 1 },
    ],
  ])('%s with %j: %j', (id, change, error, typed, other = {}) => {
    const input = { ...INPUTS[id], ...other };
    const ctx = vectorContext({ priceBook: changed(change) });
    expect(expectErrors(CALCULATORS[id].compute(input, ctx))).toEqual([error]);
    // A typed value replaces the unusable book value, as any book default.
    const result = expectOk(
      CALCULATORS[id].compute({ ...input, ...typed }, ctx),
    );
    expect(result.inputs[error.input].source).toEqual({ kind: 'user' });
  });

  it('an override priced beyond the input range names the entry, not a field nobody typed', () => {
    const priceBook = applyPriceBookOverrides(DEFAULT_PRICE_BOOK, {
      overrideLabel: 'acme',
      overrides: [
        {
          id: 'gcp.bigquery.on-demand-analysis',
          price: '1200',
          effectiveDate: '2026-11-01',
          verifiedOn: '2026-11-01',
          source: 'typo for 12.00',
        },
      ],
    });
    expect(
      expectErrors(
        CALCULATORS['bigquery-query-guard'].compute(
          INPUTS['bigquery-query-guard'],
          vectorContext({ priceBook }),
        ),
      ),
    ).toEqual([
      onInput(
        'onDemandPerTiB',
        'onDemandPerTiB must be between 0 and 1000 USD/TiB (got 1200 from price book 2026.11.0+acme entry gcp.bigquery.on-demand-analysis); enter a value instead.',
      ),
    ]);
  });

  it('values inside the range are used as before (both ends included)', () => {
    const result = expectOk(
      CALCULATORS['rightsize-p95'].compute(
        INPUTS['rightsize-p95'],
        vectorContext({
          priceBook: changed({
            facts: { 'rightsize.target-peak-percent': 95 },
          }),
        }),
      ),
    );
    expect(result.inputs.targetPeakPercent).toEqual({
      value: '95',
      source: { kind: 'price-book', id: 'rightsize.target-peak-percent' },
    });
  });
});

describe('book constants, steps and divisors are held to their own range', () => {
  it.each<[CalculatorId, Change, Record<string, unknown>, InputError]>([
    // [calculator, book change, extra input, error on priceBook]
    ...[0, -50, 2.5].map(
      v =>
        [
          'bigquery-capacity',
          { facts: { 'gcp.bigquery.slot-increment': v } },
          { baselineSlots: 500 },
          onBook(
            `priceBook 2026.11.0 fact gcp.bigquery.slot-increment must be a whole number between 1 and 100000 (got ${v}), which bigquery-capacity needs.`,
          ),
        ] as [CalculatorId, Change, Record<string, unknown>, InputError],
    ),
    [
      // H divides slot-hours in C4 and monthly spend in C8: 0 divided by zero.
      'bigquery-capacity',
      { facts: { 'calendar.hours-per-month': 0 } },
      {},
      onBook(
        'priceBook 2026.11.0 fact calendar.hours-per-month must be between 672 and 744 h (got 0), which bigquery-capacity needs.',
      ),
    ],
    [
      'nonprod-schedule',
      { facts: { 'calendar.hours-per-month': 0 } },
      {},
      onBook(
        'priceBook 2026.11.0 fact calendar.hours-per-month must be between 672 and 744 h (got 0), which nonprod-schedule needs.',
      ),
    ],
    [
      'cache-memory-budget',
      { facts: { 'calendar.hours-per-month': 7300 } },
      { provisionedGiB: 4 },
      onBook(
        'priceBook 2026.11.0 fact calendar.hours-per-month must be between 672 and 744 h (got 7300), which cache-memory-budget needs.',
      ),
    ],
    [
      'ri-vs-rightsize',
      { facts: { 'policy.ri-wait-days': -30 } },
      {},
      onBook(
        'priceBook 2026.11.0 fact policy.ri-wait-days must be a whole number between 0 and 3650 days (got -30), which ri-vs-rightsize needs.',
      ),
    ],
    [
      'db-licensing',
      { facts: { 'azure.ahb.cited-max-saving-percent': 150 } },
      {},
      onBook(
        'priceBook 2026.11.0 fact azure.ahb.cited-max-saving-percent must be between 0 and 100 % (got 150), which db-licensing needs.',
      ),
    ],
    [
      'db-licensing',
      { licenceRules: { 'sqlserver-*/vcpu': { pack: 0 } } },
      {},
      onBook(
        'priceBook 2026.11.0 licence rule sqlserver-*/vcpu pack must be a whole number above 0 (got 0), which db-licensing needs.',
      ),
    ],
    [
      'db-licensing',
      { licenceRules: { 'sqlserver-*/vcpu': { divisor: 0 } } },
      {},
      onBook(
        'priceBook 2026.11.0 licence rule sqlserver-*/vcpu divisor must be a number above 0 (got 0), which db-licensing needs.',
      ),
    ],
  ])('%s with %j: %j', (id, change, extra, error) => {
    const compute = () =>
      CALCULATORS[id].compute(
        { ...INPUTS[id], ...extra },
        vectorContext({ priceBook: changed(change) }),
      );
    expect(compute).not.toThrow();
    expect(expectErrors(compute())).toEqual([error]);
  });

  it('licenceUnits refuses a zero divisor or pack instead of dividing by it', () => {
    const rule = book.licenceRules.find(
      r => r.engineEdition === 'sqlserver-*' && r.counting === 'vcpu',
    )!;
    const count = { vcpus: 8, hyperThreading: true };
    expect(licenceUnits(rule, count)).toBe(8);
    expect(() => licenceUnits({ ...rule, divisor: 0 }, count)).toThrow(
      'Licence rule sqlserver-*/vcpu: divisor must be a number above 0 (got 0).',
    );
    expect(() => licenceUnits({ ...rule, pack: 0 }, count)).toThrow(RangeError);
  });

  it('the default book passes every check, and every input it fills declares a range', () => {
    for (const [id, input] of Object.entries(INPUTS)) {
      const calculator = CALCULATORS[id as CalculatorId];
      const result = expectOk(calculator.compute(input, vectorContext()));
      const shape = (calculator.schema as unknown as z.ZodObject).shape;
      const fromBook = Object.entries(result.inputs)
        .filter(([, v]) => v.source.kind === 'price-book')
        .map(([inputId]) => inputId);
      expect(fromBook.filter(i => !rangeOf(shape[i]))).toEqual([]);
    }
  });
});
