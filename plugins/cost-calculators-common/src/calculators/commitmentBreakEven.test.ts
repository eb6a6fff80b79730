import fc from 'fast-check';
import { commitmentBreakEven } from './commitmentBreakEven';
import {
  displays,
  expectErrors,
  expectOk,
  output,
  vectorContext,
} from '../testing/vectorContext';
import { dec } from '../money';
import { formatOutputValue } from '../presentation/outputValue';

const run = (input: object) =>
  commitmentBreakEven.compute(input, vectorContext());

describe('C3 commitment-break-even vectors (§4)', () => {
  it.each([
    [
      'T11',
      {
        onDemandMonthly: 4000,
        upfront: 33600,
        recurringMonthly: 0,
        termMonths: 12,
        expectedUsageMonths: 12,
      },
      {
        commitTotal: '33,600.00',
        effectiveMonthly: '2,800.00',
        discountPercent: '30.0',
        cashBreakEvenMonth: '8.40',
        minUsageMonths: '8.40',
        netSaving: '14,400.00',
      },
      'do',
    ],
    [
      'T12',
      {
        onDemandMonthly: 10000,
        upfront: 0,
        recurringMonthly: 5000,
        termMonths: 36,
        expectedUsageMonths: 18,
      },
      {
        commitTotal: '180,000.00',
        discountPercent: '50.0',
        cashBreakEvenMonth: '0.00',
        minUsageMonths: '18.00',
        netSaving: '0.00',
      },
      'info',
    ],
    [
      'T13',
      {
        onDemandMonthly: 10000,
        upfront: 0,
        recurringMonthly: 5000,
        termMonths: 36,
        expectedUsageMonths: 12,
      },
      { netSaving: '-60,000.00' },
      'avoid',
    ],
    [
      'T14',
      {
        onDemandMonthly: 4000,
        upfront: 16800,
        recurringMonthly: 1400,
        termMonths: 12,
      },
      {
        commitTotal: '33,600.00',
        cashBreakEvenMonth: '6.46',
        minUsageMonths: '8.40',
      },
      'do',
    ],
    [
      'T15',
      {
        onDemandMonthly: 1000,
        upfront: 0,
        recurringMonthly: 1000,
        termMonths: 12,
      },
      { discountPercent: '0.0', cashBreakEvenMonth: 'none', netSaving: '0.00' },
      'avoid',
    ],
  ])('%s', (_n, input, expected, severity) => {
    const r = expectOk(run(input));
    expect(displays(r, Object.keys(expected))).toEqual(expected);
    expect(r.recommendation.severity).toBe(severity);
  });

  it('sentences of T12, T13 and T15', () => {
    const base = {
      onDemandMonthly: 10000,
      upfront: 0,
      recurringMonthly: 5000,
      termMonths: 36,
    };
    expect(
      expectOk(run({ ...base, expectedUsageMonths: 18 })).recommendation
        .sentence,
    ).toBe('Exactly break-even: no saving, all of the lock-in.');
    expect(
      expectOk(run({ ...base, expectedUsageMonths: 12 })).recommendation
        .sentence,
    ).toBe(
      'The workload leaves after 12 months, before the 18.00-month break-even: the commitment loses $60,000.00.',
    );
    expect(
      expectOk(
        run({ onDemandMonthly: 1000, recurringMonthly: 1000, termMonths: 12 }),
      ).recommendation.sentence,
    ).toBe('The commitment is not cheaper than on demand.');
  });

  it.each([
    ['just short of it', 5.9999, '0.00', 'R-CBE-EVEN'],
    ['just past it', 6.0001, '0.00', 'R-CBE-EVEN'],
    ['half a cent short', 5.9995, '-0.01', 'R-CBE-EARLY-EXIT'],
  ])(
    'decides on the net saving as displayed: %s',
    (_case, expectedUsageMonths, netSaving, code) => {
      // −0.001 and 0.001 both show as 0.00: no "loses $0.00" (avoid) or "saves $0.00" (do)
      const r = expectOk(
        run({
          onDemandMonthly: 10,
          upfront: 0,
          recurringMonthly: 5,
          termMonths: 12,
          expectedUsageMonths,
        }),
      );
      expect(output(r, 'netSaving').display).toBe(netSaving);
      expect(r.recommendation.code).toBe(code);
      expect(r.recommendation.sentence).toBe(
        code === 'R-CBE-EVEN'
          ? 'Exactly break-even: no saving, all of the lock-in.'
          : 'The workload leaves after 6 months, before the 6.00-month break-even: the commitment loses $0.01.',
      );
    },
  );

  it('charts the commitment from its upfront at month 0, so the lines cross at the break-even marker', () => {
    const r = expectOk(
      run({
        onDemandMonthly: 4000,
        upfront: 1000,
        recurringMonthly: 1400,
        termMonths: 12,
      }),
    );
    const series = (id: string) =>
      r.options!.find(o => o.id === id)!.cumulative.map(Number);
    const [onDemand, commitment] = [series('on-demand'), series('commitment')];
    expect([onDemand[0], commitment[0]]).toEqual([0, 1000]);
    // 1,000 / (4,000 − 1,400) = 0.38 months: below on demand from month 1 on.
    expect(r.breakEven?.month).toBe('0.38');
    expect([onDemand[1], commitment[1]]).toEqual([4000, 2400]);
  });

  it('onDemandMonthly = 0 is out of range', () => {
    expect(
      expectErrors(run({ onDemandMonthly: 0, recurringMonthly: 10 })),
    ).toEqual([
      {
        input: 'onDemandMonthly',
        code: 'out_of_range',
        message: 'onDemandMonthly must be greater than 0 (got 0).',
      },
    ]);
  });
});

describe('C3 commitments that are no commitment, or never break even (README deviations)', () => {
  it('refuses a commitment that costs nothing instead of "pays off after 0.00 months"', () => {
    expect(
      expectErrors(
        run({ onDemandMonthly: 10000, upfront: 0, recurringMonthly: 0 }),
      ),
    ).toEqual([
      {
        input: 'recurringMonthly',
        code: 'inconsistent',
        message:
          "recurringMonthly must be above 0 when upfront is 0: a commitment that costs nothing has no break-even; enter the commitment's price.",
      },
    ]);
    // The default upfront of 0 counts the same.
    expect(
      expectErrors(run({ onDemandMonthly: 10000, recurringMonthly: 0 }))[0]
        .code,
    ).toBe('inconsistent');
    // An upfront alone is a price (T11 has recurring 0).
    expect(
      expectOk(run({ onDemandMonthly: 4000, upfront: 1, recurringMonthly: 0 }))
        .recommendation.code,
    ).toBe('R-CBE-PAYS');
  });

  it('says a commitment above on demand never breaks even, not "before the 43.20-month break-even"', () => {
    const r = expectOk(
      run({ onDemandMonthly: 10000, recurringMonthly: 12000, termMonths: 36 }),
    );
    expect(r.recommendation).toMatchObject({
      code: 'R-CBE-NOT-CHEAPER',
      severity: 'avoid',
      sentence: 'The commitment is not cheaper than on demand.',
    });
    expect(
      r.warnings.find(w => w.subject === 'R-CBE-EARLY-EXIT')?.message,
    ).toBe(
      'The commitment never breaks even within its 36-month term: over 36 months of use it costs $72,000.00 more than on demand.',
    );
    const months = output(r, 'minUsageMonths');
    expect(months.display).toBe('never within the 36-month term');
    // No figure within the term, as the cash break-even's "none": markdown and the card show
    // the display alone (no " months" after a sentence), and nobody reads 43.2 as a result.
    expect(months).toMatchObject({ unit: 'months', exact: null });
    expect(formatOutputValue(months, 'USD')).toBe(
      'never within the 36-month term',
    );
  });

  it('decides "never" on the net saving in cents, as the rules do', () => {
    // 36 × 1000 + 0.001: dearer than on demand by a tenth of a cent, which shows as 0.00.
    const r = expectOk(
      run({
        onDemandMonthly: 1000,
        upfront: 0.001,
        recurringMonthly: 1000,
        termMonths: 36,
      }),
    );
    expect(output(r, 'netSaving').display).toBe('0.00');
    const fired = r.rules.filter(x => x.status === 'fired').map(x => x.id);
    expect(fired).toContain('R-CBE-EVEN');
    expect(fired).not.toContain('R-CBE-EARLY-EXIT');
    expect(output(r, 'minUsageMonths')).toMatchObject({
      exact: '36.000001',
      display: '36.00',
    });
    expect(r.warnings.map(w => w.message).join(' ')).not.toMatch(/never/);
  });

  it('keeps the break-even of a commitment that breaks even at the end of its term (T15)', () => {
    const r = expectOk(
      run({ onDemandMonthly: 1000, recurringMonthly: 1000, termMonths: 12 }),
    );
    expect(output(r, 'minUsageMonths').display).toBe('12.00');
  });
});

describe('C3 properties', () => {
  it('minUsage non-decreasing in upfront and recurring; netSaving non-decreasing in usage', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 0, max: 1e5 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 120 }),
        fc.integer({ min: 0, max: 120 }),
        (od, up, extra, rec, term, l1, l2) => {
          // A commitment priced at nothing is refused (see "refuses a commitment that costs nothing").
          fc.pre(up + rec > 0);
          // "Never within the term" has no figure (exact null): it counts as more than any.
          const m = (i: object) => {
            const exact = output(
              expectOk(
                run({
                  onDemandMonthly: od,
                  upfront: up,
                  recurringMonthly: rec,
                  termMonths: term,
                  ...i,
                }),
              ),
              'minUsageMonths',
            ).exact;
            return exact === null ? dec(Infinity) : dec(exact);
          };
          expect(m({ upfront: up + extra }).gte(m({}))).toBe(true);
          expect(m({ recurringMonthly: rec + extra }).gte(m({}))).toBe(true);
          const n = (l: number) =>
            dec(
              output(
                expectOk(
                  run({
                    onDemandMonthly: od,
                    upfront: up,
                    recurringMonthly: rec,
                    termMonths: term,
                    expectedUsageMonths: l,
                  }),
                ),
                'netSaving',
              ).exact!,
            );
          expect(n(Math.max(l1, l2)).gte(n(Math.min(l1, l2)))).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });
});
