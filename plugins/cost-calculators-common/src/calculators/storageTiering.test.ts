import fc from 'fast-check';
import { storageTiering } from './storageTiering';
import {
  displays,
  expectOk,
  output,
  vectorContext,
} from '../testing/vectorContext';
import { dec } from '../money';

const run = (input: object) => storageTiering.compute(input, vectorContext());
const T37 = {
  totalGiB: 10000,
  coldPercent: 70,
  hotPricePerGiBMonth: 0.023,
  coldPricePerGiBMonth: 0.004,
  retrievalPricePerGiB: 0.03,
  retrievalGiBPerMonth: 200,
  transitionOneTime: 35,
};

describe('C9 storage-tiering vectors (§4)', () => {
  it('T37 tiering saves 127.00', () => {
    const r = expectOk(run(T37));
    expect(
      displays(r, [
        'allHot',
        'tiered',
        'monthlySaving',
        'transitionPaybackMonths',
      ]),
    ).toEqual({
      allHot: '230.00',
      tiered: '103.00',
      monthlySaving: '127.00',
      transitionPaybackMonths: '0.28',
    });
    expect(r.recommendation).toMatchObject({
      code: 'R-TIER-MOVE',
      sentence: 'Move 7,000.00 GiB to the cold tier: $127.00/month.',
    });
  });

  it('T38 heavy retrieval costs more', () => {
    const r = expectOk(run({ ...T37, retrievalGiBPerMonth: 7000 }));
    expect(displays(r, ['tiered', 'monthlySaving'])).toEqual({
      tiered: '307.00',
      monthlySaving: '-77.00',
    });
    expect(r.recommendation).toMatchObject({
      code: 'R-TIER-COSTS-MORE',
      severity: 'avoid',
    });
  });

  it.each([
    [
      'nothing cold',
      { ...T37, coldPercent: 0, retrievalGiBPerMonth: 0 },
      'Tiering saves nothing: no data is marked cold.',
    ],
    [
      'equal prices, nothing read back',
      { ...T37, coldPricePerGiBMonth: 0.023, retrievalGiBPerMonth: 0 },
      'Tiering saves nothing: the cold tier costs as much as the hot one.',
    ],
    [
      'retrieval cancelling the saving',
      {
        totalGiB: 100,
        coldPercent: 50,
        hotPricePerGiBMonth: 0.02,
        coldPricePerGiBMonth: 0.01,
        retrievalPricePerGiB: 0.05,
        retrievalGiBPerMonth: 10,
      },
      "Tiering saves nothing: the cold share's retrieval charges cancel its saving.",
    ],
  ])(
    'at exactly zero saving it is avoided, saying why it saves nothing, not that it costs more (%s)',
    (_label, input, sentence) => {
      const r = expectOk(run(input));
      expect(output(r, 'monthlySaving').display).toBe('0.00');
      expect(r.recommendation).toMatchObject({
        code: 'R-TIER-COSTS-MORE',
        severity: 'avoid',
        sentence,
      });
    },
  );

  /** Retrieval of `gib` cancelling (about) the 0.50/month that 50 GiB saves in the cold tier. */
  const reading = (gib: number) => ({
    totalGiB: 100,
    coldPercent: 50,
    hotPricePerGiBMonth: 0.02,
    coldPricePerGiBMonth: 0.01,
    retrievalPricePerGiB: 0.05,
    retrievalGiBPerMonth: gib,
    transitionOneTime: 35,
  });

  it.each([
    ['just under the saving', 9.9999],
    ['just over the saving', 10.0001],
  ])(
    'a saving that displays as 0.00 is "saves nothing", neither a move nor a cost (retrieval %s)',
    (_label, gib) => {
      const r = expectOk(run(reading(gib)));
      expect(displays(r, ['monthlySaving', 'transitionPaybackMonths'])).toEqual(
        { monthlySaving: '0.00', transitionPaybackMonths: 'none' },
      );
      expect(r.recommendation).toMatchObject({
        code: 'R-TIER-COSTS-MORE',
        severity: 'avoid',
        sentence:
          "Tiering saves nothing: the cold share's retrieval charges cancel its saving.",
      });
      expect(r.rules.find(rule => rule.id === 'R-TIER-MOVE')?.status).toBe(
        'passed',
      );
    },
  );

  it('a cent of saving is still a move', () => {
    // 0.50 − 9.8 × 0.05 = 0.01.
    expect(expectOk(run(reading(9.8))).recommendation).toMatchObject({
      code: 'R-TIER-MOVE',
      sentence: 'Move 50.00 GiB to the cold tier: $0.01/month.',
    });
  });

  it.each([
    ['there is no data', { ...T37, totalGiB: 0, retrievalGiBPerMonth: 0 }],
    [
      'the saving rounds to $0.00/month',
      {
        totalGiB: 1,
        coldPercent: 1,
        hotPricePerGiBMonth: 0.02,
        coldPricePerGiBMonth: 0.01,
      },
    ],
  ])('says why a displayed zero saves nothing: %s', (reason, input) => {
    expect(expectOk(run(input)).recommendation).toMatchObject({
      code: 'R-TIER-COSTS-MORE',
      sentence: `Tiering saves nothing: ${reason}.`,
    });
  });

  it('T39 float trap: 1.005 rounds to 1.01', () => {
    expect(
      output(
        expectOk(
          run({ totalGiB: 1, coldPercent: 0, hotPricePerGiBMonth: 1.005 }),
        ),
        'allHot',
      ),
    ).toMatchObject({ exact: '1.005', display: '1.01' });
  });

  it('data deleted before the minimum duration avoids tiering', () => {
    const r = expectOk(run({ ...T37, dataLifetimeDays: 30 }));
    expect(r.recommendation).toMatchObject({
      code: 'R-TIER-MINIMUM',
      severity: 'avoid',
      sentence:
        "Data is deleted before the cold tier's 90-day minimum: the minimum is billed anyway.",
    });
  });
});

describe('C9 properties', () => {
  it('saving non-increasing in retrieval; non-decreasing in cold share when cold ≤ hot', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 1e5 }),
        fc.integer({ min: 0, max: 1e5 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        (gib, c1, c2, r1, r2, p1, p2) => {
          const base = {
            ...T37,
            totalGiB: gib,
            hotPricePerGiBMonth: Math.max(p1, p2) / 1000,
            coldPricePerGiBMonth: Math.min(p1, p2) / 1000,
          };
          const s = (i: object) =>
            dec(
              output(expectOk(run({ ...base, ...i })), 'monthlySaving').exact!,
            );
          expect(
            s({ retrievalGiBPerMonth: Math.max(r1, r2) }).lte(
              s({ retrievalGiBPerMonth: Math.min(r1, r2) }),
            ),
          ).toBe(true);
          expect(
            s({ coldPercent: Math.max(c1, c2) }).gte(
              s({ coldPercent: Math.min(c1, c2) }),
            ),
          ).toBe(true);
        },
      ),
      { numRuns: 80 },
    );
  });
});
