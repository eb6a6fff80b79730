import fc from 'fast-check';
import { rightsizeP95, stepsUp } from './rightsizeP95';
import {
  displays,
  expectErrors,
  expectOk,
  ruleStatus,
  vectorContext,
} from '../testing/vectorContext';
import { dec } from '../money';

const T01 = {
  currentMonthly: 10000,
  p95CpuPercent: 18,
  p95MemoryPercent: 22,
  targetPeakPercent: 70,
  stepsAvailable: 3,
  profileDays: 90,
};
const run = (input: object) => rightsizeP95.compute(input, vectorContext());

describe('C1 rightsize-p95 vectors (§4)', () => {
  it.each([
    [
      'T01',
      {},
      {
        k: '1',
        projectedPeak: '44.0',
        rightSizedMonthly: '5,000.00',
        monthlySaving: '5,000.00',
        binding: 'memory',
        status: 'final',
      },
      'R-RS-DOWN',
      'do',
    ],
    [
      'T02',
      { p95CpuPercent: 8, p95MemoryPercent: 5 },
      {
        k: '3',
        projectedPeak: '64.0',
        rightSizedMonthly: '1,250.00',
        monthlySaving: '8,750.00',
      },
      'R-RS-DOWN',
      'do',
    ],
    [
      'T03',
      { p95CpuPercent: 0, p95MemoryPercent: 0, currentMonthly: 1000 },
      { k: '3', rightSizedMonthly: '125.00', monthlySaving: '875.00' },
      'R-RS-DOWN',
      'do',
    ],
    [
      'T04',
      { p95CpuPercent: 85, p95MemoryPercent: 40 },
      { k: '0', rightSizedMonthly: '10,000.00', stepsUp: '1' },
      'R-RS-UP',
      'avoid',
    ],
    [
      'T60a',
      { currentMonthly: 1_000_000_000 },
      { rightSizedMonthly: '500,000,000.00' },
      'R-RS-DOWN',
      'do',
    ],
  ])('%s', (_name, delta, expected, code, severity) => {
    const result = expectOk(run({ ...T01, ...delta }));
    expect(displays(result, Object.keys(expected))).toEqual(expected);
    expect(result.recommendation.code).toBe(code);
    expect(result.recommendation.severity).toBe(severity);
  });

  it('T03 fires R-RS-IDLE and lists it as a warning', () => {
    const result = expectOk(
      run({
        ...T01,
        p95CpuPercent: 0,
        p95MemoryPercent: 0,
        currentMonthly: 1000,
      }),
    );
    expect(ruleStatus(result, 'R-RS-IDLE')).toBe('fired');
    expect(result.warnings.map(w => w.subject)).toContain('R-RS-IDLE');
  });

  it('T01 sentence names the saving and projected peak', () => {
    expect(expectOk(run(T01)).recommendation.sentence).toBe(
      'Scale down 1 step to about $5,000.00/month; projected P95 44.0%.',
    );
  });

  it('a short profile marks the result provisional and waits (R-RS-90D)', () => {
    const result = expectOk(run({ ...T01, profileDays: 30 }));
    expect(result.recommendation).toMatchObject({
      code: 'R-RS-90D',
      severity: 'wait',
      qualifier: 'provisional',
    });
    expect(result.recommendation.sentence).toBe(
      'Profile covers 30 days; collect 90 days of data before acting.',
    );
  });

  it('an unknown profile is not a pass', () => {
    const { profileDays, ...rest } = T01;
    const result = expectOk(run(rest));
    expect(ruleStatus(result, 'R-RS-90D')).toBe('unknown');
    expect(result.recommendation.severity).toBe('wait');
  });

  it.each([
    [
      'T05',
      { p95CpuPercent: 120 },
      'p95CpuPercent',
      'out_of_range',
      'p95CpuPercent must be between 0 and 100 % (got 120).',
    ],
    [
      'T59',
      { currentMonthly: -5 },
      'currentMonthly',
      'negative',
      'currentMonthly must not be negative (got -5).',
    ],
    [
      'T60b',
      { currentMonthly: 1_000_000_001 },
      'currentMonthly',
      'out_of_range',
      'currentMonthly must be between 0 and 1000000000 USD/month (got 1000000001).',
    ],
    [
      'not integer',
      { stepsAvailable: 2.5 },
      'stepsAvailable',
      'not_integer',
      'stepsAvailable must be a whole number (got 2.5).',
    ],
    [
      'required',
      { currentMonthly: undefined },
      'currentMonthly',
      'required',
      'currentMonthly is required.',
    ],
  ])(
    '%s rejects the input with its message',
    (_name, delta, input, code, message) => {
      expect(expectErrors(run({ ...T01, ...delta }))).toEqual([
        { input, code, message },
      ]);
    },
  );
});

describe('C1 target peak from a hand-built book', () => {
  const book = vectorContext().priceBook;
  const withTarget = (value: number) =>
    vectorContext({
      priceBook: {
        ...book,
        facts: book.facts.map(f =>
          f.id === 'rightsize.target-peak-percent' ? { ...f, value } : f,
        ),
      },
    });
  const { targetPeakPercent, ...untargeted } = T01;

  it.each([
    // [book target, P95 CPU]: 0 % with load above it used to double the target forever.
    [0, 85],
    [0, 18],
    [-5, 85],
    [5, 85],
    [100, 18],
  ])(
    'a book target of %s %% (P95 %s %%) is an error on targetPeakPercent',
    (value, cpu) => {
      expect(
        expectErrors(
          rightsizeP95.compute(
            { ...untargeted, p95CpuPercent: cpu },
            withTarget(value),
          ),
        ),
      ).toEqual([
        {
          input: 'targetPeakPercent',
          code: 'out_of_range',
          message: `targetPeakPercent must be between 10 and 95 % (got ${value} from price book 2026.11.0 fact rightsize.target-peak-percent); enter a value instead.`,
        },
      ]);
    },
  );

  it('a typed target replaces an unusable book target', () => {
    const result = expectOk(
      rightsizeP95.compute(
        { ...T01, p95CpuPercent: 85, p95MemoryPercent: 40 },
        withTarget(0),
      ),
    );
    expect(displays(result, ['k', 'stepsUp'])).toEqual({
      k: '0',
      stepsUp: '1',
    });
  });

  it('stepsUp refuses a target of 0 % or less instead of looping', () => {
    expect(() => stepsUp(dec(85), dec(0))).toThrow(
      'stepsUp needs a target peak above 0 % (got 0).',
    );
    expect(() => stepsUp(dec(85), dec(-1))).toThrow(RangeError);
    expect(stepsUp(dec(85), dec(70))).toBe(1);
  });
});

describe('C1 properties', () => {
  const pct = fc.integer({ min: 0, max: 1000 }).map(x => x / 10);
  it('k is non-increasing as peak rises; rightSized ≤ current; projected ≤ target when peak ≤ target', () => {
    fc.assert(
      fc.property(
        pct,
        pct,
        fc.integer({ min: 10, max: 95 }),
        fc.integer({ min: 0, max: 10 }),
        (a, b, target, steps) => {
          const [low, high] = a <= b ? [a, b] : [b, a];
          const r = (p: number) =>
            expectOk(
              run({
                ...T01,
                p95CpuPercent: p,
                p95MemoryPercent: 0,
                targetPeakPercent: target,
                stepsAvailable: steps,
              }),
            );
          const lowK = Number(r(low).outputs.find(o => o.id === 'k')!.exact);
          const highR = r(high);
          const highK = Number(highR.outputs.find(o => o.id === 'k')!.exact);
          expect(highK).toBeLessThanOrEqual(lowK);
          expect(
            dec(
              highR.outputs.find(o => o.id === 'rightSizedMonthly')!.exact!,
            ).lte(10000),
          ).toBe(true);
          const withinTarget = r(Math.min(high, target));
          expect(
            dec(
              withinTarget.outputs.find(o => o.id === 'projectedPeak')!.exact!,
            ).lte(target),
          ).toBe(true);
        },
      ),
    );
  });
});
