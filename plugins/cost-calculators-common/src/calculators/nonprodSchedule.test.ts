import fc from 'fast-check';
import { nonprodSchedule } from './nonprodSchedule';
import {
  displays,
  expectErrors,
  expectOk,
  output,
  vectorContext,
} from '../testing/vectorContext';
import { dec } from '../money';

const run = (input: object) => nonprodSchedule.compute(input, vectorContext());
const T34 = {
  environment: 'dev',
  computeHourly: 2,
  alwaysOnMonthly: 100,
  onHoursPerWeek: 60,
};

describe('C8 with nothing billed', () => {
  it('quotes no percentage of a zero cost (the savingPercent output is none)', () => {
    const r = expectOk(run({ ...T34, computeHourly: 0, alwaysOnMonthly: 0 }));
    expect(output(r, 'savingPercent')).toMatchObject({
      exact: null,
      display: 'none',
    });
    expect(r.recommendation.sentence).toBe(
      'A 60 h/week schedule saves nothing: nothing of it is billed by the hour.',
    );
  });
});

describe('C8 nonprod-schedule vectors (§4)', () => {
  it('T34 60 h/week', () => {
    const r = expectOk(run(T34));
    expect(
      displays(r, [
        'alwaysOnCost',
        'scheduledCost',
        'monthlySaving',
        'savingPercent',
      ]),
    ).toEqual({
      alwaysOnCost: '1,560.00',
      scheduledCost: '621.43',
      monthlySaving: '938.57',
      savingPercent: '60.2',
    });
    expect(r.recommendation).toMatchObject({
      severity: 'do',
      sentence: 'A 60 h/week schedule saves $938.57/month (60.2%).',
    });
  });

  it.each([
    [
      'prod',
      'Schedules are for non-production only; this resource is production.',
    ],
    [
      'unknown',
      'Schedules are for non-production only; this resource is of unknown environment — set ops.example.com/environment.',
    ],
  ])('T35 %s is blocked with no money outputs', (environment, sentence) => {
    const r = expectOk(run({ ...T34, environment }));
    expect(r.outputs).toEqual([]);
    expect(r.recommendation).toMatchObject({
      code: 'R-SCHED-PROD',
      severity: 'blocked',
      sentence,
    });
  });

  it('T36 168 h saves nothing; 0 h saves 1,460.00', () => {
    expect(
      displays(expectOk(run({ ...T34, onHoursPerWeek: 168 })), [
        'monthlySaving',
        'savingPercent',
      ]),
    ).toEqual({ monthlySaving: '0.00', savingPercent: '0.0' });
    expect(
      displays(expectOk(run({ ...T34, onHoursPerWeek: 0 })), [
        'scheduledCost',
        'monthlySaving',
        'savingPercent',
      ]),
    ).toEqual({
      scheduledCost: '100.00',
      monthlySaving: '1,460.00',
      savingPercent: '93.6',
    });
  });

  it('a schedule that saves nothing is not advised (T36 at 168 h; nothing billed by the hour)', () => {
    expect(
      expectOk(run({ ...T34, onHoursPerWeek: 168 })).recommendation,
    ).toMatchObject({
      code: 'R-SCHED-SAVE',
      severity: 'info',
      sentence:
        'A 168 h/week schedule saves nothing: it keeps the resource on around the clock.',
    });
    expect(
      expectOk(run({ ...T34, computeHourly: 0 })).recommendation,
    ).toMatchObject({
      code: 'R-SCHED-SAVE',
      severity: 'info',
      sentence:
        'A 60 h/week schedule saves nothing: nothing of it is billed by the hour.',
    });
  });

  it('a saving that displays as $0.00 is not advised either (0.001/h paused 0.5 h a week)', () => {
    const r = expectOk(
      run({
        environment: 'dev',
        computeHourly: 0.001,
        alwaysOnMonthly: 0,
        onHoursPerWeek: 167.5,
      }),
    );
    expect(displays(r, ['monthlySaving', 'savingPercent'])).toEqual({
      monthlySaving: '0.00',
      savingPercent: '0.3',
    });
    expect(r.recommendation).toMatchObject({
      code: 'R-SCHED-SAVE',
      severity: 'info',
      sentence:
        'A 167.5 h/week schedule saves nothing: the saving rounds to $0.00/month.',
    });
  });

  it('a saving of a cent is advised', () => {
    // 0.001/h paused 2.5 h a week: 0.001 × 730 × 2.5 / 168 = 0.0109 a month.
    expect(
      expectOk(
        run({
          environment: 'dev',
          computeHourly: 0.001,
          onHoursPerWeek: 165.5,
        }),
      ).recommendation,
    ).toMatchObject({
      code: 'R-SCHED-SAVE',
      severity: 'do',
      sentence: 'A 165.5 h/week schedule saves $0.01/month (1.5%).',
    });
  });

  it('derives the hourly price from monthly spend / H', () => {
    const r = expectOk(run({ environment: 'test', monthlySpend: 1460 }));
    expect(output(r, 'alwaysOnCost').display).toBe('1,460.00');
    expect(r.inputs.computeHourly.source).toEqual({
      kind: 'derived',
      from: 'monthlySpend',
    });
    expect(r.inputs.computeHourly.value).toBe('2');
  });

  it('records a derived hourly price to a millionth, and computes with the exact quotient', () => {
    // 1,000 / 730 = 1.369863013698630136…
    const r = expectOk(run({ environment: 'test', monthlySpend: 1000 }));
    expect(r.inputs.computeHourly.value).toBe('1.369863');
    expect(output(r, 'alwaysOnCost').display).toBe('1,000.00');
  });
});

describe('C8 price-book SKU', () => {
  // computeHourly × 730 only means something for a price per hour.
  it.each([
    [
      'aws.s3.standard',
      'inconsistent',
      'priceBookSku aws.s3.standard is priced per GiB-month; computeHourly needs a price per hour.',
    ],
    [
      'gcp.bigquery.on-demand-analysis',
      'inconsistent',
      'priceBookSku gcp.bigquery.on-demand-analysis is priced per TiB; computeHourly needs a price per hour.',
    ],
    [
      'no.such.sku',
      'out_of_range',
      'priceBookSku no.such.sku is not in price book 2026.11.0.',
    ],
  ])('%s → %s', (priceBookSku, code, message) => {
    expect(expectErrors(run({ environment: 'dev', priceBookSku }))).toEqual([
      { input: 'priceBookSku', code, message },
    ]);
  });

  it('uses an hourly SKU', () => {
    const r = expectOk(
      run({ environment: 'dev', priceBookSku: 'example.rds-postgres.m' }),
    );
    expect(r.inputs.computeHourly).toEqual({
      value: '0.2',
      source: { kind: 'price-book', id: 'example.rds-postgres.m' },
    });
    // 0.20 × 730
    expect(output(r, 'alwaysOnCost').display).toBe('146.00');
  });
});

describe('C8 properties', () => {
  it('scheduled ≤ always on; saving non-increasing in on-hours', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 0, max: 168 }),
        fc.integer({ min: 0, max: 168 }),
        (cents, always, h1, h2) => {
          const r = (h: number) =>
            expectOk(
              run({
                environment: 'staging',
                computeHourly: cents / 100,
                alwaysOnMonthly: always,
                onHoursPerWeek: h,
              }),
            );
          const lo = r(Math.min(h1, h2));
          const hi = r(Math.max(h1, h2));
          expect(
            dec(output(hi, 'scheduledCost').exact!).lte(
              output(hi, 'alwaysOnCost').exact!,
            ),
          ).toBe(true);
          expect(
            dec(output(hi, 'monthlySaving').exact!).lte(
              output(lo, 'monthlySaving').exact!,
            ),
          ).toBe(true);
        },
      ),
      { numRuns: 80 },
    );
  });
});
