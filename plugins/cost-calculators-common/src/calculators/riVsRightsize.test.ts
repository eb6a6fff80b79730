import fc from 'fast-check';
import { riVsRightsize } from './riVsRightsize';
import { rightsizeP95 } from './rightsizeP95';
import { prefillFromAnnotations } from '../prefill/prefillFromAnnotations';
import {
  displays,
  expectErrors,
  expectOk,
  output,
  ruleStatus,
  vectorContext,
} from '../testing/vectorContext';
import { dec } from '../money';

const T06 = {
  currentMonthly: 10000,
  discountNowPercent: 50,
  termNowMonths: 36,
  rightSizedMonthly: 4000,
  discountLaterPercent: 30,
  termLaterMonths: 12,
  daysSinceMigration: 120,
  profileDays: 90,
  horizonMonths: 36,
};
const run = (input: object, ctx = vectorContext()) =>
  riVsRightsize.compute(input, ctx);

describe('C2 ri-vs-rightsize vectors (§4)', () => {
  it('T06 article case', () => {
    const r = expectOk(run(T06));
    expect(
      displays(r, [
        'effNow',
        'effOD',
        'effLater',
        'monthlyDelta',
        'delta12',
        'cumA',
        'cumB',
        'cumC',
        'horizonSaving',
        'breakEvenMonth',
      ]),
    ).toEqual({
      effNow: '5,000.00',
      effOD: '4,000.00',
      effLater: '2,800.00',
      monthlyDelta: '2,200.00',
      delta12: '26,400.00',
      cumA: '180,000.00',
      cumB: '144,000.00',
      cumC: '100,800.00',
      horizonSaving: '79,200.00',
      breakEvenMonth: '0.00',
    });
    expect(r.recommendation).toMatchObject({
      code: 'R-RI-P95',
      severity: 'do',
    });
    expect(r.recommendation.sentence).toBe(
      "Right-size to the P95 footprint, then commit for 12 months: $2,200.00/month below committing at today's size ($79,200.00 over 36 months).",
    );
    expect(r.options?.map(o => o.cumulative[36])).toEqual([
      '180000',
      '144000',
      '100800',
    ]);
  });

  it('T07 no stabilisation yet: w 3, break-even 9.82, wait', () => {
    const r = expectOk(run({ ...T06, daysSinceMigration: 0, profileDays: 0 }));
    expect(
      displays(r, [
        'waitMonths',
        'cumB',
        'cumC',
        'horizonSaving',
        'breakEvenMonth',
      ]),
    ).toEqual({
      waitMonths: '3',
      cumB: '162,000.00',
      cumC: '122,400.00',
      horizonSaving: '57,600.00',
      breakEvenMonth: '9.82',
    });
    expect(r.recommendation).toMatchObject({
      code: 'R-RI-90D',
      severity: 'wait',
    });
    expect(r.recommendation.sentence).toBe(
      'Do not commit yet: 90 days of the 90-day stabilisation window remain; profile P95 and right-size first.',
    );
  });

  it('T08 migrated-on 2026-09-01 (annotation) and profile 83', () => {
    const prefill = prefillFromAnnotations(
      'ri-vs-rightsize',
      {
        kind: 'Resource',
        metadata: {
          annotations: { 'ops.example.com/migrated-on': '2026-09-01' },
        },
      },
      { asOf: '2026-11-23' },
    );
    expect(prefill.values.daysSinceMigration).toBe(83);
    const { daysSinceMigration, ...rest } = T06;
    const r = expectOk(
      run(
        { ...rest, ...prefill.values, profileDays: 83 },
        vectorContext({ sources: prefill.sources }),
      ),
    );
    expect(
      displays(r, [
        'waitDays',
        'waitMonths',
        'cumC',
        'horizonSaving',
        'breakEvenMonth',
      ]),
    ).toEqual({
      waitDays: '7',
      waitMonths: '1',
      cumC: '108,000.00',
      horizonSaving: '72,000.00',
      breakEvenMonth: '3.27',
    });
    expect(r.recommendation.severity).toBe('wait');
    expect(r.inputs.daysSinceMigration.source).toEqual({
      kind: 'annotation',
      key: 'ops.example.com/migrated-on',
    });
  });

  it('a planned-change-on already past is not read as a change in 0 months', () => {
    const prefill = prefillFromAnnotations(
      'ri-vs-rightsize',
      {
        kind: 'Resource',
        metadata: {
          annotations: { 'ops.example.com/planned-change-on': '2026-05-01' },
        },
      },
      { asOf: '2026-11-23' },
    );
    const r = expectOk(
      run(
        { ...T06, ...prefill.values },
        vectorContext({
          sources: prefill.sources,
          prefillWarnings: prefill.warnings,
        }),
      ),
    );
    expect(r.recommendation.code).toBe('R-RI-P95');
    expect(r.warnings.map(w => w.message).join(' ')).not.toMatch(/strand/);
    expect(r.warnings.map(w => w.subject)).toContain(
      'ops.example.com/planned-change-on',
    );
  });

  it('T09 planned change in 18 months strands 90,000 but keeps R-RI-P95', () => {
    const r = expectOk(run({ ...T06, plannedChangeInMonths: 18 }));
    expect(displays(r, ['strandedNow', 'strandedLater'])).toEqual({
      strandedNow: '90,000.00',
      strandedLater: '0.00',
    });
    expect(r.recommendation.code).toBe('R-RI-P95');
    expect(ruleStatus(r, 'R-RI-CHANGE')).toBe('fired');
    expect(r.warnings).toContainEqual({
      kind: 'rule',
      subject: 'R-RI-CHANGE',
      message: "A 36-month commitment at today's size would strand $90,000.00.",
    });
  });

  it('a profile shorter than the time since migration drives the wait', () => {
    // waitDays = max(0, 90 − 120, 90 − 30) = 60 ⇒ w = 2; cumC = 2 × 10,000 + 34 × 2,800
    const r = expectOk(run({ ...T06, profileDays: 30 }));
    expect(displays(r, ['waitDays', 'waitMonths', 'cumC'])).toEqual({
      waitDays: '60',
      waitMonths: '2',
      cumC: '115,200.00',
    });
  });

  it('decides on the monthly difference as displayed: under half a cent is no "do: $0.00/month below"', () => {
    // effNow 7,000; effLater 6,999.9965: an exact difference of 0.0035
    const r = expectOk(
      run({
        ...T06,
        discountNowPercent: 30,
        rightSizedMonthly: 9999.995,
      }),
    );
    expect(output(r, 'monthlyDelta').display).toBe('0.00');
    expect(ruleStatus(r, 'R-RI-P95')).toBe('passed');
    expect(r.recommendation).toMatchObject({
      code: 'R-RI-NOW',
      severity: 'do',
    });
  });

  it('T10 right-sized above current is inconsistent', () => {
    expect(
      expectErrors(
        run({ ...T06, currentMonthly: 10000, rightSizedMonthly: 12000 }),
      ),
    ).toEqual([
      {
        input: 'rightSizedMonthly',
        code: 'inconsistent',
        message:
          'rightSizedMonthly must not exceed currentMonthly (got 12000 > 10000).',
      },
    ]);
  });

  it('a change before the window ends avoids committing', () => {
    const r = expectOk(
      run({
        ...T06,
        daysSinceMigration: 0,
        profileDays: 0,
        plannedChangeInMonths: 2,
      }),
    );
    expect(r.recommendation).toMatchObject({
      code: 'R-RI-CHANGE',
      severity: 'avoid',
    });
  });

  it('both 90-day terms unknown blocks the positive recommendation', () => {
    const { daysSinceMigration, profileDays, ...rest } = T06;
    const r = expectOk(run(rest));
    expect(ruleStatus(r, 'R-RI-90D')).toBe('unknown');
    expect(r.recommendation.severity).toBe('wait');
    expect(output(r, 'waitDays').display).toBe('90');
  });

  it('reports the facts it used (facts only)', () => {
    const { discountNowPercent, discountLaterPercent, ...rest } = T06;
    const r = expectOk(run(rest));
    expect(r.priceBook).toMatchObject({
      factsOnly: true,
      oldestVerifiedOn: null,
      stale: false,
      version: '2026.11.0',
    });
    expect(r.priceBook.entriesUsed).toEqual(
      expect.arrayContaining([
        'policy.ri-wait-days',
        'example.ri-discount-oversized-3y',
        'example.ri-discount-rightsized-1y',
      ]),
    );
  });

  it('rejects a 24-month term', () => {
    expect(expectErrors(run({ ...T06, termNowMonths: 24 }))[0]).toMatchObject({
      input: 'termNowMonths',
      code: 'out_of_range',
    });
  });
});

describe('C2 properties', () => {
  const money = fc.integer({ min: 0, max: 10_000_000 }).map(c => c / 100);
  it('effLater non-increasing in discountLater; saving non-decreasing as rightSized falls; cumC ≤ cumB', () => {
    fc.assert(
      fc.property(
        money,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 95 }),
        fc.integer({ min: 0, max: 95 }),
        fc.integer({ min: 0, max: 200 }),
        (cur, f1, f2, d1, d2, days) => {
          const [lo, hi] = [Math.min(f1, f2), Math.max(f1, f2)];
          const base = {
            ...T06,
            currentMonthly: cur,
            daysSinceMigration: days,
            profileDays: days,
          };
          const rs = (f: number) => Math.round(cur * f * 100) / 100;
          const a = expectOk(
            run({
              ...base,
              rightSizedMonthly: rs(hi),
              discountLaterPercent: Math.min(d1, d2),
            }),
          );
          const b = expectOk(
            run({
              ...base,
              rightSizedMonthly: rs(hi),
              discountLaterPercent: Math.max(d1, d2),
            }),
          );
          expect(
            dec(output(b, 'effLater').exact!).lte(output(a, 'effLater').exact!),
          ).toBe(true);
          const small = expectOk(run({ ...base, rightSizedMonthly: rs(lo) }));
          const big = expectOk(run({ ...base, rightSizedMonthly: rs(hi) }));
          expect(
            dec(output(small, 'horizonSaving').exact!).gte(
              output(big, 'horizonSaving').exact!,
            ),
          ).toBe(true);
          const [, B, C] = a.options!;
          B.cumulative.forEach((v, m) =>
            expect(dec(C.cumulative[m]).lte(v)).toBe(true),
          );
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('C2 right-sized cost from the card\'s C1 result (§2 C2 "C1 output, else currentMonthly")', () => {
  // orders-db in the walkthrough: $10,000/month, P95 CPU 20 %, memory 30 % → 1 step down.
  const c1 = expectOk(
    rightsizeP95.compute(
      {
        currentMonthly: 10000,
        p95CpuPercent: 20,
        p95MemoryPercent: 30,
        profileDays: 90,
      },
      vectorContext(),
    ),
  );
  const linked = vectorContext({ linkedResults: { 'rightsize-p95': c1 } });
  const orders = { currentMonthly: 10000, profileDays: 90 };

  it("defaults to C1's right-sized monthly and says so", () => {
    const r = expectOk(run(orders, linked));
    expect(r.inputs.rightSizedMonthly).toEqual({
      value: '5000',
      source: {
        kind: 'derived',
        from: 'P95 right-size (1 step down)',
        calculator: 'rightsize-p95',
      },
    });
    expect(displays(r, ['effOD', 'effLater'])).toEqual({
      effOD: '5,000.00',
      effLater: '3,500.00',
    });
    // No longer "commit today's footprint", which contradicted the C1 tab beside it.
    expect(r.recommendation.code).toBe('R-RI-P95');
    expect(r.recommendation.sentence).toBe(
      "Right-size to the P95 footprint, then commit for 12 months: $1,500.00/month below committing at today's size ($54,000.00 over 36 months).",
    );
  });

  it("applies C1's steps to a current cost changed on this tab, so it never exceeds it", () => {
    const r = expectOk(run({ ...orders, currentMonthly: 3000 }, linked));
    expect(r.inputs.rightSizedMonthly.value).toBe('1500');
    // The chip does not credit C1 with $1,500.00, a figure that tab never showed.
    expect(r.inputs.rightSizedMonthly.source).toEqual({
      kind: 'derived',
      from: 'P95 right-size (1 step down from $3,000.00; that tab used $10,000.00)',
      calculator: 'rightsize-p95',
    });
  });

  it('says when the C1 tab computed its steps on another current cost than this one', () => {
    const c1At20k = expectOk(
      rightsizeP95.compute(
        {
          currentMonthly: 20000,
          p95CpuPercent: 20,
          p95MemoryPercent: 30,
          profileDays: 90,
        },
        vectorContext(),
      ),
    );
    const r = expectOk(
      run(
        orders,
        vectorContext({ linkedResults: { 'rightsize-p95': c1At20k } }),
      ),
    );
    expect(r.inputs.rightSizedMonthly).toEqual({
      value: '5000',
      source: {
        kind: 'derived',
        from: 'P95 right-size (1 step down from $10,000.00; that tab used $20,000.00)',
        calculator: 'rightsize-p95',
      },
    });
  });

  it('a typed right-sized cost wins over the C1 result', () => {
    const r = expectOk(run({ ...orders, rightSizedMonthly: 4000 }, linked));
    expect(r.inputs.rightSizedMonthly.value).toBe('4000');
    expect(r.inputs.rightSizedMonthly.source).toEqual({ kind: 'user' });
  });

  it('C1 at 0 steps (P95 above target) keeps the current cost, naming C1', () => {
    const up = expectOk(
      rightsizeP95.compute(
        { currentMonthly: 10000, p95CpuPercent: 85, p95MemoryPercent: 40 },
        vectorContext(),
      ),
    );
    const r = expectOk(
      run(orders, vectorContext({ linkedResults: { 'rightsize-p95': up } })),
    );
    expect(r.inputs.rightSizedMonthly).toEqual({
      value: '10000',
      source: {
        kind: 'derived',
        from: 'P95 right-size (no step down)',
        calculator: 'rightsize-p95',
      },
    });
  });

  it('without a C1 result it equals the current cost, as before', () => {
    const r = expectOk(run(orders));
    expect(r.inputs.rightSizedMonthly).toEqual({
      value: '10000',
      source: { kind: 'derived', from: 'currentMonthly' },
    });
  });

  it('names the options its break-even compares', () => {
    expect(output(expectOk(run(T06)), 'breakEvenMonth').label).toBe(
      'Break-even month (Right-size, then commit overtakes Commit now)',
    );
  });
});
