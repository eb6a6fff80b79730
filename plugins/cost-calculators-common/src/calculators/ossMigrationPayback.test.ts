import fc from 'fast-check';
import { ossMigrationPayback } from './ossMigrationPayback';
import {
  displays,
  expectErrors,
  expectOk,
  output,
  vectorContext,
} from '../testing/vectorContext';
import { dec } from '../money';

const run = (input: object) =>
  ossMigrationPayback.compute(input, vectorContext());
const T31 = {
  currentMonthly: 20000,
  targetMonthly: 6000,
  storedProcedures: 400,
  hoursPerProcedure: 16,
  schemaConversionHours: 300,
  testingHours: 800,
  engineeringRatePerHour: 120,
  otherOneTime: 50000,
  dualRunMonths: 3,
  horizonMonths: 60,
};
const T32 = {
  currentMonthly: 12000,
  targetMonthly: 4000,
  storedProcedures: 50,
  hoursPerProcedure: 8,
  schemaConversionHours: 100,
  testingHours: 200,
  engineeringRatePerHour: 100,
  otherOneTime: 10000,
  dualRunMonths: 2,
};

describe('C7 oss-migration-payback vectors (§4)', () => {
  it('T31 does not pay back in five years', () => {
    const r = expectOk(run(T31));
    expect(
      displays(r, [
        'rewriteCost',
        'oneTime',
        'dualRunCost',
        'monthlySaving',
        'paybackMonth',
        'netAtHorizon',
        'paybackIgnoringRewrite',
        'rewriteSharePercent',
      ]),
    ).toEqual({
      rewriteCost: '768,000.00',
      oneTime: '950,000.00',
      dualRunCost: '18,000.00',
      monthlySaving: '14,000.00',
      paybackMonth: '72.14',
      netAtHorizon: '-170,000.00',
      paybackIgnoringRewrite: '17.29',
      rewriteSharePercent: '79.3',
    });
    expect(r.recommendation).toMatchObject({
      code: 'R-MIG-HORIZON',
      severity: 'avoid',
      sentence: 'Does not pay back within 5 years: net -$170,000.00.',
    });
  });

  it('T32 pays back in 13 months (default 60-month horizon)', () => {
    const r = expectOk(run(T32));
    expect(
      displays(r, [
        'oneTime',
        'dualRunCost',
        'paybackMonth',
        'netAtHorizon',
        'paybackIgnoringRewrite',
        'rewriteSharePercent',
      ]),
    ).toEqual({
      oneTime: '80,000.00',
      dualRunCost: '8,000.00',
      paybackMonth: '13.00',
      netAtHorizon: '376,000.00',
      paybackIgnoringRewrite: '8.00',
      rewriteSharePercent: '45.5',
    });
    expect(r.recommendation.sentence).toBe(
      'Pays back in 13.00 months, $376,000.00 net over 60 months; ignoring the procedure rewrite would have claimed 8.00 months.',
    );
    expect(r.inputs.horizonMonths.source).toEqual({
      kind: 'price-book',
      id: 'policy.payback-horizon-months',
    });
  });

  it('T33 procedures without hours per procedure', () => {
    expect(
      expectErrors(run({ ...T32, storedProcedures: 10, hoursPerProcedure: 0 })),
    ).toEqual([
      {
        input: 'hoursPerProcedure',
        code: 'required',
        message:
          'hoursPerProcedure is required when storedProcedures > 0: the rewrite is the cost most often left out.',
      },
    ]);
  });

  it('R-MIG-RI warns when a commitment outlives cutover', () => {
    const r = expectOk(run({ ...T32, commitmentEndsOn: '2027-06-01' }));
    expect(r.warnings).toContainEqual({
      kind: 'rule',
      subject: 'R-MIG-RI',
      message:
        'An engine-locked commitment on the current engine runs past cutover.',
    });
  });

  it('no saving means no payback', () => {
    const r = expectOk(run({ ...T32, targetMonthly: 12000 }));
    expect(output(r, 'paybackMonth').exact).toBeNull();
    expect(r.recommendation.code).toBe('R-MIG-NO-SAVING');
  });
});

describe('C7 properties', () => {
  it('payback monotone in its drivers; ignoring the rewrite never looks worse', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 0, max: 36 }),
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 0, max: 50 }),
        (procs, hours, dual, target, bump) => {
          const base = {
            ...T32,
            storedProcedures: procs,
            hoursPerProcedure: hours,
            dualRunMonths: dual,
            targetMonthly: target,
            horizonMonths: 120,
          };
          const pb = (i: object) =>
            dec(
              output(expectOk(run({ ...base, ...i })), 'paybackMonth').exact!,
            );
          const p0 = pb({});
          expect(pb({ storedProcedures: procs + bump }).gte(p0)).toBe(true);
          expect(pb({ hoursPerProcedure: hours + bump }).gte(p0)).toBe(true);
          expect(pb({ dualRunMonths: Math.min(36, dual + bump) }).gte(p0)).toBe(
            true,
          );
          expect(pb({ targetMonthly: target + bump }).gte(p0)).toBe(true);
          expect(pb({ currentMonthly: 12000 + bump }).lte(p0)).toBe(true);
          const r = expectOk(run(base));
          expect(
            dec(output(r, 'paybackIgnoringRewrite').exact!).lte(
              output(r, 'paybackMonth').exact!,
            ),
          ).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });
});
