import fc from 'fast-check';
import { CALCULATORS } from '.';
import { CALCULATOR_IDS } from '../types';
import { dec } from '../money';
import { expectErrors, vectorContext } from '../testing/vectorContext';
import type { ResolvedPriceBook } from '../priceBook/priceBookSchema';

/** A minimal valid input per calculator, perturbed by the property below. */
const SEEDS: Record<string, Record<string, unknown>> = {
  'rightsize-p95': {
    currentMonthly: 10000,
    p95CpuPercent: 18,
    p95MemoryPercent: 22,
    profileDays: 90,
  },
  'ri-vs-rightsize': {
    currentMonthly: 10000,
    rightSizedMonthly: 4000,
    profileDays: 90,
  },
  'commitment-break-even': {
    onDemandMonthly: 4000,
    upfront: 33600,
    recurringMonthly: 0,
    termMonths: 12,
  },
  'bigquery-capacity': { etlTiBPerMonth: 3200, adhocTiBPerMonth: 400 },
  'bigquery-query-guard': {
    tableTiB: 80,
    totalPartitions: 365,
    perQueryBudget: 50,
  },
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
  'nonprod-schedule': { environment: 'dev', computeHourly: 2 },
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
    changeGiBPerMonth: 3000,
  },
  'cache-memory-budget': {
    keyCount: 1000,
    avgKeyBytes: 40,
    avgValueBytes: 400,
    provisionedGiB: 1,
  },
  'provisioning-estimate': {
    databaseTier: 'dev',
    priceBookSku: 'example.rds-postgres.s',
    storageGiB: 20,
  },
};

describe('every calculator', () => {
  it('is registered for each id and computes its seed input', () => {
    for (const id of CALCULATOR_IDS) {
      const outcome = CALCULATORS[id].compute(SEEDS[id], vectorContext());
      expect([id, outcome.ok]).toEqual([id, true]);
    }
  });

  it('never throws, is deterministic, and displays money within 0.005 of the exact value', () => {
    const value = fc.oneof(
      fc.integer({ min: -10, max: 200 }),
      fc.double({ min: -1, max: 1e6, noNaN: true }),
      fc.constant(undefined),
      fc.constant('abc'),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...CALCULATOR_IDS),
        fc.dictionary(fc.string({ maxLength: 3 }), value),
        fc.constantFrom(...Object.keys(SEEDS)),
        value,
        (id, _noise, _other, v) => {
          const seed = SEEDS[id];
          const keys = Object.keys(seed);
          const key = keys[Math.abs(Math.floor(Number(v) || 0)) % keys.length];
          const input = { ...seed, [key]: v };
          const a = CALCULATORS[id].compute(input, vectorContext());
          const b = CALCULATORS[id].compute(input, vectorContext());
          expect(JSON.stringify(a)).toBe(JSON.stringify(b));
          const money = a.ok
            ? a.result.outputs.filter(
                o =>
                  (o.unit === 'money' || o.unit === 'money/month') &&
                  o.exact !== null,
              )
            : [];
          for (const o of money) {
            expect(
              dec(o.display.replace(/,/g, ''))
                .minus(o.exact!)
                .abs()
                .lte('0.005'),
            ).toBe(true);
          }
          const errors = a.ok ? [] : a.errors;
          expect(a.ok || errors.length > 0).toBe(true);
          for (const e of errors) expect(e.message).toContain(e.input);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('a price book without an entry the calculator needs', () => {
  const book = vectorContext().priceBook;
  const without = (...ids: string[]): ResolvedPriceBook => ({
    ...book,
    entries: book.entries.filter(e => !ids.includes(e.id)),
    facts: book.facts.filter(f => !ids.includes(f.id)),
  });

  it.each([
    // [calculator, missing id, error]: an input with a book default names the input; the rest name the book.
    [
      'cache-memory-budget',
      'gcp.memorystore.gib-hour',
      {
        input: 'pricePerGiBHour',
        code: 'required',
        message:
          'pricePerGiBHour is required: price book 2026.11.0 has no entry gcp.memorystore.gib-hour to default it from.',
      },
    ],
    [
      'bigquery-query-guard',
      'gcp.bigquery.on-demand-analysis',
      {
        input: 'onDemandPerTiB',
        code: 'required',
        message:
          'onDemandPerTiB is required: price book 2026.11.0 has no entry gcp.bigquery.on-demand-analysis to default it from.',
      },
    ],
    [
      'rightsize-p95',
      'rightsize.target-peak-percent',
      {
        input: 'targetPeakPercent',
        code: 'required',
        message:
          'targetPeakPercent is required: price book 2026.11.0 has no fact rightsize.target-peak-percent to default it from.',
      },
    ],
    [
      'nonprod-schedule',
      'calendar.hours-per-month',
      {
        input: 'priceBook',
        code: 'inconsistent',
        message:
          'priceBook 2026.11.0 has no fact calendar.hours-per-month, which nonprod-schedule needs.',
      },
    ],
  ] as const)(
    '%s without %s returns an error instead of throwing',
    (id, missing, error) => {
      const compute = () =>
        CALCULATORS[id].compute(
          SEEDS[id],
          vectorContext({ priceBook: without(missing) }),
        );
      expect(compute).not.toThrow();
      expect(expectErrors(compute())).toEqual([error]);
    },
  );

  it.each(CALCULATOR_IDS.map(id => [id]))(
    '%s with an empty book never throws',
    id => {
      const empty: ResolvedPriceBook = { ...book, entries: [], facts: [] };
      const outcome = CALCULATORS[id].compute(
        SEEDS[id],
        vectorContext({ priceBook: empty }),
      );
      const errors = outcome.ok ? [] : outcome.errors;
      expect(errors.filter(e => !e.message.includes(e.input))).toEqual([]);
    },
  );
});
