import fc from 'fast-check';
import { bigqueryCapacity } from './bigqueryCapacity';
import {
  displays,
  expectErrors,
  expectOk,
  output,
  vectorContext,
} from '../testing/vectorContext';
import { dec } from '../money';

const T16 = {
  etlTiBPerMonth: 3200,
  adhocTiBPerMonth: 400,
  onDemandPerTiB: 6.25,
  baselineSlots: 500,
  slotHourPrice: 0.048,
};
const run = (input: object) => bigqueryCapacity.compute(input, vectorContext());

describe('C4 bigquery-capacity vectors (§4)', () => {
  it('T16 hybrid saves 2,480.00, unverified without slot-hours', () => {
    const r = expectOk(run(T16));
    expect(
      displays(r, [
        'slotMonthly',
        'onDemandAll',
        'hybrid',
        'monthlySaving',
        'breakEvenEtlTiB',
      ]),
    ).toEqual({
      slotMonthly: '17,520.00',
      onDemandAll: '22,500.00',
      hybrid: '20,020.00',
      monthlySaving: '2,480.00',
      breakEvenEtlTiB: '2,803.20',
    });
    expect(r.recommendation).toMatchObject({
      code: 'R-BQ-SLOTS',
      severity: 'do',
      qualifier: 'unverified',
    });
  });

  it('T17 PAYG slots: stay on demand', () => {
    const r = expectOk(run({ ...T16, slotHourPrice: 0.06 }));
    expect(
      displays(r, [
        'slotMonthly',
        'hybrid',
        'monthlySaving',
        'breakEvenEtlTiB',
      ]),
    ).toEqual({
      slotMonthly: '21,900.00',
      hybrid: '24,400.00',
      monthlySaving: '-1,900.00',
      breakEvenEtlTiB: '3,504.00',
    });
    expect(r.recommendation).toMatchObject({
      code: 'R-BQ-STAY',
      severity: 'info',
    });
  });

  it.each([
    [300_000, '82.2', 'do', undefined],
    [400_000, '109.6', 'wait', undefined],
  ])(
    'T18 slot-hours %i → utilisation %s %% (%s)',
    (hours, pct, severity, qualifier) => {
      const r = expectOk(run({ ...T16, etlSlotHoursPerMonth: hours }));
      expect(output(r, 'slotUtilisation').display).toBe(pct);
      expect(r.recommendation.severity).toBe(severity);
      expect(r.recommendation.qualifier).toBe(qualifier);
    },
  );

  it('T19 zero usage: nothing scanned', () => {
    const r = expectOk(
      run({ ...T16, etlTiBPerMonth: 0, adhocTiBPerMonth: 0, baselineSlots: 0 }),
    );
    expect(
      displays(r, ['slotMonthly', 'onDemandAll', 'hybrid', 'monthlySaving']),
    ).toEqual({
      slotMonthly: '0.00',
      onDemandAll: '0.00',
      hybrid: '0.00',
      monthlySaving: '0.00',
    });
    expect(r.recommendation.sentence).toBe(
      'Nothing scanned: nothing to optimise.',
    );
  });

  it('T20 very large volume is exact', () => {
    const r = expectOk(
      run({
        ...T16,
        etlTiBPerMonth: 0,
        adhocTiBPerMonth: 10_000_000,
        baselineSlots: 0,
      }),
    );
    expect(output(r, 'onDemandAll')).toMatchObject({
      exact: '62500000',
      display: '62,500,000.00',
    });
  });

  it('at the break-even slots save nothing: stay on demand, not "do" for $0.00 (README 19)', () => {
    // T16's break-even is 2,803.20 TiB; 0.0001 TiB above it saves $0.000625 a month.
    for (const etl of ['2803.2', '2803.2001']) {
      const r = expectOk(run({ ...T16, etlTiBPerMonth: etl }));
      expect(displays(r, ['monthlySaving'])).toEqual({
        monthlySaving: '0.00',
      });
      expect(r.recommendation).toMatchObject({
        code: 'R-BQ-STAY',
        severity: 'info',
        sentence:
          'Stay on demand: ETL scans 2,803.20 TiB/month, at the 2,803.20 TiB break-even for 500 slots, where they save nothing; enforce partition filters and query limits first.',
      });
    }
    // A cent above it is advised.
    expect(
      expectOk(run({ ...T16, etlTiBPerMonth: '2803.202' })).recommendation,
    ).toMatchObject({ code: 'R-BQ-SLOTS', severity: 'do' });
  });

  it('baselineSlots must be a multiple of the slot increment', () => {
    expect(expectErrors(run({ ...T16, baselineSlots: 120 }))).toEqual([
      {
        input: 'baselineSlots',
        code: 'out_of_range',
        message: 'baselineSlots must be a multiple of 50 (got 120).',
      },
    ]);
  });
});

describe('C4 properties', () => {
  it('onDemandAll non-decreasing in either TiB; saving independent of adhoc; break-even linear in slots', () => {
    const tib = fc.integer({ min: 0, max: 1e7 });
    fc.assert(
      fc.property(
        tib,
        tib,
        tib,
        fc.integer({ min: 0, max: 2000 }),
        (etl, adhoc, extra, slots50) => {
          const base = {
            ...T16,
            etlTiBPerMonth: etl,
            adhocTiBPerMonth: adhoc,
            baselineSlots: slots50 * 50,
          };
          const od = (i: object) =>
            dec(output(expectOk(run({ ...base, ...i })), 'onDemandAll').exact!);
          expect(
            od({ etlTiBPerMonth: Math.min(etl + extra, 1e7) }).gte(od({})),
          ).toBe(true);
          expect(
            od({ adhocTiBPerMonth: Math.min(adhoc + extra, 1e7) }).gte(od({})),
          ).toBe(true);
          const saving = (a: number) =>
            output(
              expectOk(run({ ...base, adhocTiBPerMonth: a })),
              'monthlySaving',
            ).exact;
          expect(saving(extra)).toBe(saving(adhoc));
          const be = (s: number) =>
            dec(
              output(
                expectOk(run({ ...base, baselineSlots: s })),
                'breakEvenEtlTiB',
              ).exact!,
            );
          expect(be(slots50 * 50).toFixed()).toBe(
            be(50).times(slots50).toFixed(),
          );
        },
      ),
      { numRuns: 60 },
    );
  });
});
