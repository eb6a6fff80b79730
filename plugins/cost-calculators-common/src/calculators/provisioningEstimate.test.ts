import fc from 'fast-check';
import { provisioningEstimate } from './provisioningEstimate';
import {
  displays,
  expectErrors,
  expectOk,
  output,
  vectorContext,
} from '../testing/vectorContext';
import { dec } from '../money';

const run = (input: object) =>
  provisioningEstimate.compute(input, vectorContext());
const T54 = {
  databaseTier: 'production-standard',
  instanceHourly: 0.5,
  ha: true,
  haInstanceMultiplier: 2,
  haStorageMultiplier: 2,
  readReplicas: 1,
  storageGiB: 500,
  storagePricePerGiBMonth: 0.115,
  backupGiBBeyondFree: 200,
  backupPricePerGiBMonth: 0.095,
  approvalThresholdMonthly: 1000,
};

describe('C15 provisioning-estimate vectors (§4)', () => {
  it('T54 production-standard needs extra approval', () => {
    const r = expectOk(run(T54));
    expect(
      displays(r, [
        'instanceMonthly',
        'storageMonthly',
        'backupMonthly',
        'total',
        'needsApproval',
      ]),
    ).toEqual({
      instanceMonthly: '1,095.00',
      storageMonthly: '172.50',
      backupMonthly: '19.00',
      total: '1,286.50',
      needsApproval: 'true',
    });
    expect(r.recommendation).toMatchObject({
      code: 'R-PROV-APPROVAL',
      severity: 'wait',
      sentence:
        'Estimated $1,286.50/month is above the production-standard threshold of $1,000.00: an extra approval is required.',
    });
  });

  it('T55 dev tier, no approval, points to the schedule calculator', () => {
    const r = expectOk(
      run({
        databaseTier: 'dev',
        instanceHourly: 0.5,
        ha: false,
        readReplicas: 0,
        storageGiB: 500,
        storagePricePerGiBMonth: 0.115,
        backupGiBBeyondFree: 0,
        approvalThresholdMonthly: 500,
      }),
    );
    expect(displays(r, ['total', 'needsApproval'])).toEqual({
      total: '422.50',
      needsApproval: 'false',
    });
    expect(r.recommendation).toMatchObject({
      code: 'R-PROV-NONPROD',
      severity: 'info',
    });
    expect(r.recommendation.sentence).toContain('nonprod-schedule');
  });

  it('production without HA is blocked', () => {
    expect(expectOk(run({ ...T54, ha: false })).recommendation).toMatchObject({
      code: 'R-PROV-HA',
      severity: 'blocked',
    });
  });

  it('tier defaults come from the book and are marked illustrative', () => {
    const r = expectOk(
      run({
        databaseTier: 'production-critical',
        priceBookSku: 'example.rds-postgres.m',
        storageGiB: 100,
      }),
    );
    expect(r.inputs.readReplicas).toEqual({
      value: 2,
      source: { kind: 'derived', from: 'tiers.production-critical' },
    });
    expect(r.priceBook.entriesUsed).toEqual(
      expect.arrayContaining([
        'example.rds-postgres.m',
        'tiers.production-critical',
        'aws.rds.gp2-storage',
      ]),
    );
    // 0.20 × 730 × (2 + 2) = 584; 100 × 0.115 × (2 + 2) = 46
    expect(output(r, 'total').display).toBe('630.00');
  });

  it('a book without the tier is an error naming it, not a tier without HA and a $0.00 threshold', () => {
    const book = vectorContext().priceBook;
    const ctx = vectorContext({
      priceBook: {
        ...book,
        tiers: book.tiers.filter(t => t.id !== 'production-standard'),
      },
    });
    const { ha, readReplicas, approvalThresholdMonthly, ...rest } = T54;
    expect(expectErrors(provisioningEstimate.compute(rest, ctx))).toEqual([
      {
        input: 'priceBook',
        code: 'inconsistent',
        message:
          'priceBook 2026.11.0 has no tier production-standard, which provisioning-estimate needs.',
      },
    ]);
    // Given what the tier would default, the book's tiers are not needed.
    expect(
      expectOk(provisioningEstimate.compute(T54, ctx)).recommendation,
    ).toMatchObject({ code: 'R-PROV-APPROVAL', severity: 'wait' });
  });
});

describe('C15 price-book SKU', () => {
  // instanceHourly × 730 × instances only means something for a price per hour.
  it.each([
    [
      'gcp.bigquery.on-demand-analysis',
      'inconsistent',
      'priceBookSku gcp.bigquery.on-demand-analysis is priced per TiB; instanceHourly needs a price per hour.',
    ],
    [
      'aws.rds.gp2-storage',
      'inconsistent',
      'priceBookSku aws.rds.gp2-storage is priced per GiB-month; instanceHourly needs a price per hour.',
    ],
    [
      'no.such.sku',
      'out_of_range',
      'priceBookSku no.such.sku is not in price book 2026.11.0.',
    ],
  ])('%s → %s', (priceBookSku, code, message) => {
    expect(
      expectErrors(run({ databaseTier: 'dev', priceBookSku, storageGiB: 10 })),
    ).toEqual([{ input: 'priceBookSku', code, message }]);
  });
});

describe('C15 properties', () => {
  it('total non-decreasing in replicas and storage; HA never cheaper', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 15 }),
        fc.integer({ min: 0, max: 15 }),
        fc.integer({ min: 1, max: 65536 }),
        fc.integer({ min: 1, max: 65536 }),
        (r1, r2, s1, s2) => {
          const total = (i: object) =>
            dec(output(expectOk(run({ ...T54, ...i })), 'total').exact!);
          expect(
            total({ readReplicas: Math.max(r1, r2) }).gte(
              total({ readReplicas: Math.min(r1, r2) }),
            ),
          ).toBe(true);
          expect(
            total({ storageGiB: Math.max(s1, s2) }).gte(
              total({ storageGiB: Math.min(s1, s2) }),
            ),
          ).toBe(true);
          expect(
            total({ ha: true, readReplicas: r1 }).gte(
              total({ ha: false, readReplicas: r1 }),
            ),
          ).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });
});
