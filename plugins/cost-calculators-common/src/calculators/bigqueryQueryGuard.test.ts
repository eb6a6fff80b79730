import fc from 'fast-check';
import { bigqueryQueryGuard } from './bigqueryQueryGuard';
import {
  displays,
  expectErrors,
  expectOk,
  output,
  vectorContext,
} from '../testing/vectorContext';
import { dec } from '../money';

const run = (input: object) =>
  bigqueryQueryGuard.compute(input, vectorContext());
const T21 = {
  tableTiB: 80,
  totalPartitions: 365,
  partitionsScanned: 365,
  columnSharePercent: 100,
  onDemandPerTiB: 6.25,
};

describe('C5 bigquery-query-guard vectors (§4)', () => {
  it('T21 full scan of 80 TiB costs 500.00', () => {
    expect(displays(expectOk(run(T21)), ['scannedTiB', 'queryCost'])).toEqual({
      scannedTiB: '80.00',
      queryCost: '500.00',
    });
  });

  it('T22 pruning and column share', () => {
    const r = expectOk(
      run({ ...T21, partitionsScanned: 7, columnSharePercent: 25 }),
    );
    expect(displays(r, ['scannedTiB', 'queryCost', 'pruningSaving'])).toEqual({
      scannedTiB: '0.38',
      queryCost: '2.40',
      pruningSaving: '497.60',
    });
    expect(output(r, 'scannedTiB').exact!.startsWith('0.383561643835616')).toBe(
      true,
    );
  });

  it('T23 maximum_bytes_billed for a 50.00 budget', () => {
    const r = expectOk(run({ ...T21, perQueryBudget: 50 }));
    expect(output(r, 'maxBytesBilled').exact).toBe('8796093022208');
    expect(r.recommendation).toMatchObject({
      code: 'R-BQG-BUDGET',
      severity: 'avoid',
    });
    expect(r.recommendation.sentence).toBe(
      'Over the per-query budget: with maximum_bytes_billed = 8796093022208 it would fail instead of billing $500.00.',
    );
  });

  it('T24 rounds 0.125 half away from zero', () => {
    const r = expectOk(run({ tableTiB: 0.02, onDemandPerTiB: 6.25 }));
    expect(output(r, 'queryCost')).toMatchObject({
      exact: '0.125',
      display: '0.13',
    });
  });

  it('T25 partitionsScanned above totalPartitions', () => {
    expect(expectErrors(run({ ...T21, partitionsScanned: 400 }))).toEqual([
      {
        input: 'partitionsScanned',
        code: 'out_of_range',
        message: 'partitionsScanned must be between 0 and 365 (got 400).',
      },
    ]);
  });

  it('an unpartitioned multi-TiB table gets the partition recommendation', () => {
    const r = expectOk(run({ tableTiB: 80, onDemandPerTiB: 6.25 }));
    expect(r.recommendation).toMatchObject({
      code: 'R-BQG-PARTITION',
      severity: 'do',
    });
  });
});

describe('C5 properties', () => {
  it('queryCost non-decreasing in partitions and column share; maxBytes non-decreasing in budget', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 1, max: 1e8 }),
        fc.integer({ min: 1, max: 1e8 }),
        (total, p1, p2, c1, c2, b1, b2) => {
          const base = {
            tableTiB: 10,
            totalPartitions: total,
            onDemandPerTiB: 6.25,
          };
          const cost = (i: object) =>
            dec(output(expectOk(run({ ...base, ...i })), 'queryCost').exact!);
          const [pl, ph] = [
            Math.min(p1, p2, total),
            Math.min(Math.max(p1, p2), total),
          ];
          expect(
            cost({ partitionsScanned: ph }).gte(
              cost({ partitionsScanned: pl }),
            ),
          ).toBe(true);
          expect(
            cost({ columnSharePercent: Math.max(c1, c2) }).gte(
              cost({ columnSharePercent: Math.min(c1, c2) }),
            ),
          ).toBe(true);
          const bytes = (b: number) =>
            dec(
              output(
                expectOk(run({ ...base, perQueryBudget: b / 100 })),
                'maxBytesBilled',
              ).exact!,
            );
          expect(bytes(Math.max(b1, b2)).gte(bytes(Math.min(b1, b2)))).toBe(
            true,
          );
        },
      ),
      { numRuns: 60 },
    );
  });
});
