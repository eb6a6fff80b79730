import { z } from 'zod';
import { addMonths } from '../dates';
import { Dec, ZERO, dec, formatFixed, formatTrimmed } from '../money';
import { requiredError } from '../validation/messages';
import {
  decimalField,
  intField,
  monthlyMoneyField,
  optionalDateField,
  optionalDecimalField,
  optionalIntField,
} from '../validation/fields';
import {
  defineCalculator,
  statusOf,
  out,
  RuleEvaluation,
  InputLabels,
} from './defineCalculator';

/** Inputs of C7. */
export const ossMigrationPaybackSchema = z.object({
  currentMonthly: monthlyMoneyField(),
  targetMonthly: monthlyMoneyField(),
  storedProcedures: optionalIntField({ min: 0, max: 100_000 }),
  hoursPerProcedure: optionalDecimalField({ min: 0, max: 1000, unit: 'h' }),
  schemaConversionHours: optionalDecimalField({ min: 0, max: 1e6, unit: 'h' }),
  testingHours: optionalDecimalField({ min: 0, max: 1e6, unit: 'h' }),
  engineeringRatePerHour: decimalField({ min: 1, max: 2000, unit: 'USD/h' }),
  otherOneTime: optionalDecimalField({ min: 0, max: 1e9, unit: 'USD' }),
  dualRunMonths: intField({ min: 0, max: 36, unit: 'months' }),
  horizonMonths: optionalIntField({ min: 12, max: 120, unit: 'months' }),
  commitmentEndsOn: optionalDateField(),
});

/** Labels and units of the C7 inputs (the form, its messages and the markdown export read them). */
export const ossMigrationPaybackInputs: InputLabels<
  typeof ossMigrationPaybackSchema
> = {
  currentMonthly: {
    label: 'Current monthly cost (licence + compute)',
    unit: 'USD/month',
  },
  targetMonthly: { label: 'PostgreSQL monthly cost', unit: 'USD/month' },
  storedProcedures: { label: 'Stored procedures' },
  hoursPerProcedure: { label: 'Rewrite hours per procedure', unit: 'h' },
  schemaConversionHours: { label: 'Schema conversion effort', unit: 'h' },
  testingHours: { label: 'Testing effort', unit: 'h' },
  engineeringRatePerHour: { label: 'Engineering rate', unit: 'USD/h' },
  otherOneTime: {
    label: 'Other one-time costs (tools, training, consulting)',
    unit: 'USD',
  },
  dualRunMonths: { label: 'Dual running', unit: 'months' },
  horizonMonths: { label: 'Horizon', unit: 'months' },
  commitmentEndsOn: { label: 'Existing commitment ends on' },
};

/** Raw C7 input. */
export type OssMigrationPaybackInput = z.input<
  typeof ossMigrationPaybackSchema
>;

/** C7 `oss-migration-payback`: when leaving a commercial engine for PostgreSQL pays back, rewrite included. */
export const ossMigrationPayback = defineCalculator({
  id: 'oss-migration-payback',
  version: 1,
  title: 'Commercial engine → PostgreSQL payback',
  question:
    'When does leaving Oracle/SQL Server for PostgreSQL pay back, counting the stored-procedure rewrite, testing and dual running?',
  sources: ['03', '02', '00'],
  caveats: [
    'Schema conversion is seldom fully automatic and procedure rewrites are real engineering (02).',
    'Calibrate hoursPerProcedure by converting a sample.',
    'One-time costs are booked at month 0 (conservative).',
    'Licence notice periods and support renewals are not modelled.',
  ],
  schema: ossMigrationPaybackSchema,
  inputs: ossMigrationPaybackInputs,
  evaluate(input, h) {
    const procs = h.orDefault('storedProcedures', input.storedProcedures, 0);
    if (
      procs > 0 &&
      (input.hoursPerProcedure === undefined ||
        input.hoursPerProcedure.isZero())
    ) {
      return {
        errors: [
          requiredError(
            'hoursPerProcedure',
            'when storedProcedures > 0: the rewrite is the cost most often left out.',
          ),
        ],
      };
    }
    const horizon =
      input.horizonMonths ??
      h
        .fact('horizonMonths', undefined, 'policy.payback-horizon-months')
        .toNumber();
    const D = input.dualRunMonths;
    if (D > horizon) {
      return {
        errors: [
          {
            input: 'horizonMonths',
            code: 'inconsistent',
            message: `horizonMonths must not be below dualRunMonths (got ${horizon} < ${D}).`,
          },
        ],
      };
    }
    const rate = input.engineeringRatePerHour;
    const hoursPer = input.hoursPerProcedure ?? ZERO;
    const schemaHours = input.schemaConversionHours ?? ZERO;
    const testHours = input.testingHours ?? ZERO;
    const other = input.otherOneTime ?? ZERO;
    const cur = input.currentMonthly;
    const tgt = input.targetMonthly;

    const rewriteCost = dec(procs).times(hoursPer).times(rate);
    const oneTime = rewriteCost
      .plus(schemaHours.plus(testHours).times(rate))
      .plus(other);
    const dualRunCost = tgt.times(D);
    const monthlySaving = cur.minus(tgt);
    const saves = monthlySaving.greaterThan(0);
    const payback = saves
      ? dec(D).plus(oneTime.plus(dualRunCost).div(monthlySaving))
      : null;
    const paybackIgnoringRewrite = saves
      ? dec(D).plus(
          oneTime.minus(rewriteCost).plus(dualRunCost).div(monthlySaving),
        )
      : null;
    const netAtHorizon = monthlySaving
      .times(horizon - D)
      .minus(oneTime)
      .minus(dualRunCost);
    const upfrontTotal = oneTime.plus(dualRunCost);
    const rewriteShare = upfrontTotal.isZero()
      ? null
      : rewriteCost.div(upfrontTotal).times(100);
    const cumStay = (m: number) => cur.times(m);
    const cumMigrate = (m: number): Dec =>
      oneTime
        .plus(cur.plus(tgt).times(Math.min(m, D)))
        .plus(tgt.times(Math.max(0, m - D)));
    const cutover = addMonths(h.asOf, D);
    const ends = input.commitmentEndsOn;

    const rules: RuleEvaluation[] = [
      {
        id: 'R-MIG-NO-SAVING',
        status: saves ? 'passed' : 'fired',
        severity: 'avoid',
        sources: ['03'],
        sentence: 'The target does not cost less to run: no payback.',
      },
      {
        id: 'R-MIG-HORIZON',
        status: payback && payback.greaterThan(horizon) ? 'fired' : 'passed',
        severity: 'avoid',
        sources: ['03'],
        sentence: `Does not pay back within ${formatTrimmed(
          dec(horizon).div(12),
          2,
        )} years: net ${h.money(netAtHorizon)}.`,
      },
      {
        id: 'R-MIG-PAYBACK',
        status:
          payback && payback.lessThanOrEqualTo(horizon) ? 'fired' : 'passed',
        severity: 'do',
        sources: ['03'],
        sentence: `Pays back in ${
          payback ? formatFixed(payback, 2) : '?'
        } months, ${h.money(
          netAtHorizon,
        )} net over ${horizon} months; ignoring the procedure rewrite would have claimed ${
          paybackIgnoringRewrite ? formatFixed(paybackIgnoringRewrite, 2) : '?'
        } months.`,
      },
      {
        id: 'R-MIG-RI',
        status: statusOf(ends === undefined ? undefined : ends > cutover),
        severity: 'warning',
        sources: ['00'],
        sentence:
          'An engine-locked commitment on the current engine runs past cutover.',
      },
    ];
    const months = Array.from({ length: horizon + 1 }, (_, m) => m);
    return {
      outputs: [
        out('rewriteCost', 'Procedure rewrite', 'money', rewriteCost),
        out('oneTime', 'One-time cost', 'money', oneTime),
        out('dualRunCost', 'Dual running', 'money', dualRunCost),
        out(
          'monthlySaving',
          'Monthly saving after cutover',
          'money/month',
          monthlySaving,
        ),
        out('paybackMonth', 'Payback month', 'months', payback),
        out(
          'paybackIgnoringRewrite',
          'Payback ignoring the rewrite',
          'months',
          paybackIgnoringRewrite,
        ),
        out(
          'netAtHorizon',
          `Net over ${horizon} months`,
          'money',
          netAtHorizon,
        ),
        out(
          'rewriteSharePercent',
          'Rewrite share of one-time and dual-run cost',
          'percent',
          rewriteShare,
        ),
      ],
      options: [
        {
          id: 'stay',
          label: 'Stay',
          monthly: cur.toFixed(),
          cumulative: months.map(m => cumStay(m).toFixed()),
        },
        {
          id: 'migrate',
          label: 'Migrate',
          monthly: tgt.toFixed(),
          cumulative: months.map(m => cumMigrate(m).toFixed()),
        },
      ],
      breakEven: {
        month: payback ? formatFixed(payback, 2, false) : null,
        optionA: 'stay',
        optionB: 'migrate',
      },
      rules,
    };
  },
});
