import { z } from 'zod';
import {
  Dec,
  ZERO,
  dec,
  formatPercent,
  formatTrimmed,
  roundHalfAway,
  roundMoney,
} from '../money';
import { HOURS_PER_WEEK } from '../units';
import { requiredError } from '../validation/messages';
import {
  optionalDecimalField,
  optionalEnumField,
  optionalMonthlyMoneyField,
  optionalTextField,
} from '../validation/fields';
import {
  defineCalculator,
  out,
  RuleEvaluation,
  InputLabels,
} from './defineCalculator';
import { hourlyPriceOfSku } from './hourlySku';

/** Environments C8 distinguishes; `unknown` when neither annotation nor lifecycle tells. */
export const ENVIRONMENTS = [
  'prod',
  'staging',
  'test',
  'dev',
  'unknown',
] as const;

/** Inputs of C8. */
export const nonprodScheduleSchema = z.object({
  environment: optionalEnumField(ENVIRONMENTS),
  computeHourly: optionalDecimalField({ min: 0, max: 10_000, unit: 'USD/h' }),
  priceBookSku: optionalTextField(),
  monthlySpend: optionalMonthlyMoneyField(),
  alwaysOnMonthly: optionalMonthlyMoneyField(),
  onHoursPerWeek: optionalDecimalField({ min: 0, max: 168, unit: 'h' }),
});

/** Labels and units of the C8 inputs (the form, its messages and the markdown export read them). */
export const nonprodScheduleInputs: InputLabels<typeof nonprodScheduleSchema> =
  {
    environment: { label: 'Environment' },
    computeHourly: {
      label: 'Compute price that stops when paused',
      unit: 'USD/h',
    },
    priceBookSku: { label: 'Price-book SKU' },
    monthlySpend: { label: 'Current monthly spend', unit: 'USD/month' },
    alwaysOnMonthly: {
      label: 'Always-on cost (storage, backups)',
      unit: 'USD/month',
    },
    onHoursPerWeek: { label: 'On-hours per week', unit: 'h' },
  };

/** Raw C8 input. */
export type NonprodScheduleInput = z.input<typeof nonprodScheduleSchema>;

/** C8 `nonprod-schedule`: what an on-hours schedule saves for a non-production resource (never production). */
export const nonprodSchedule = defineCalculator({
  id: 'nonprod-schedule',
  version: 1,
  title: 'Non-production schedule',
  question:
    'What does an on-hours schedule save for this non-production resource?',
  sources: ['03', '51', '07'],
  caveats: [
    'A paused warehouse or database resumes with a cold cache (03).',
    'Some managed databases restart on their own after a maximum stop period (RDS: 7 days, vendor-doc): the scheduler must stop them again.',
    'Refreshed lower environments should also expire (07).',
    'An unclear environment lifecycle is itself a cost failure (51).',
  ],
  schema: nonprodScheduleSchema,
  inputs: nonprodScheduleInputs,
  evaluate(input, h) {
    const env = h.orDefault('environment', input.environment, 'unknown');
    if (env === 'prod' || env === 'unknown') {
      // Blocked before any price is read: no numbers are shown for production.
      return {
        outputs: [],
        rules: [
          {
            id: 'R-SCHED-PROD',
            status: env === 'prod' ? 'fired' : 'unknown',
            severity: 'blocked',
            gating: true,
            sources: ['03'],
            sentence: `Schedules are for non-production only; this resource is ${
              env === 'prod'
                ? 'production'
                : 'of unknown environment — set ops.example.com/environment'
            }.`,
          },
        ],
        pricesNotDecisive: true,
      };
    }
    const H = h.hoursPerMonth();
    let hourly: Dec;
    if (input.computeHourly !== undefined) hourly = input.computeHourly;
    else if (input.priceBookSku !== undefined) {
      const sku = hourlyPriceOfSku(h, 'computeHourly', input.priceBookSku);
      if ('error' in sku) return { errors: [sku.error] };
      hourly = sku.price;
    } else if (input.monthlySpend !== undefined) {
      hourly = input.monthlySpend.div(H);
      // Recorded (and shown) to a millionth of the currency: the quotient runs to 58 digits.
      // The computation keeps the exact quotient.
      h.derived(
        'computeHourly',
        roundHalfAway(hourly, 6).toFixed(),
        'monthlySpend',
      );
    } else {
      return {
        errors: [
          requiredError(
            'computeHourly',
            'unless a price-book SKU or the monthly spend is given.',
          ),
        ],
      };
    }
    const alwaysOnMonthly = input.alwaysOnMonthly ?? ZERO;
    const onHours =
      input.onHoursPerWeek ??
      dec(h.orDefault('onHoursPerWeek', undefined, '60'));
    const alwaysOnCost = hourly.times(H).plus(alwaysOnMonthly);
    const scheduledCost = hourly
      .times(onHours)
      .times(H)
      .div(HOURS_PER_WEEK)
      .plus(alwaysOnMonthly);
    const monthlySaving = alwaysOnCost.minus(scheduledCost);
    const savingPercent = alwaysOnCost.greaterThan(0)
      ? monthlySaving.div(alwaysOnCost).times(100)
      : null;
    const rules: RuleEvaluation[] = [
      {
        id: 'R-SCHED-PROD',
        status: 'passed',
        severity: 'blocked',
        gating: true,
        sources: ['03'],
      },
      // As displayed: a saving under half a cent shows as $0.00 and is no saving to advise.
      roundMoney(monthlySaving).isZero()
        ? {
            // The spec's "otherwise do" would advise a schedule that saves $0.00 (T36 at 168 h,
            // or nothing billed by the hour): our reading is that there is nothing to do.
            id: 'R-SCHED-SAVE',
            status: 'fired',
            severity: 'info',
            sources: ['03', '51'],
            sentence: `A ${formatTrimmed(
              onHours,
              2,
            )} h/week schedule saves nothing: ${whyNoSaving(
              onHours,
              hourly,
              h.money(ZERO),
            )}.`,
          }
        : {
            id: 'R-SCHED-SAVE',
            status: 'fired',
            severity: 'do',
            sources: ['03', '51'],
            // Nothing billed at all (0/h and nothing always on): no percentage to quote,
            // as the savingPercent output (none) says too.
            sentence: `A ${formatTrimmed(
              onHours,
              2,
            )} h/week schedule saves ${h.money(monthlySaving)}/month${
              savingPercent ? ` (${formatPercent(savingPercent)}%)` : ''
            }.`,
          },
    ];
    return {
      outputs: [
        out('alwaysOnCost', 'Always on', 'money/month', alwaysOnCost),
        out('scheduledCost', 'Scheduled', 'money/month', scheduledCost),
        out('monthlySaving', 'Monthly saving', 'money/month', monthlySaving),
        out('savingPercent', 'Saving', 'percent', savingPercent),
      ],
      rules,
    };
  },
});

/** Why a schedule saves nothing (as displayed): always on, nothing hourly, or under half a cent. */
function whyNoSaving(onHours: Dec, hourly: Dec, zeroMoney: string): string {
  if (onHours.greaterThanOrEqualTo(HOURS_PER_WEEK))
    return 'it keeps the resource on around the clock';
  if (hourly.isZero()) return 'nothing of it is billed by the hour';
  return `the saving rounds to ${zeroMoney}/month`;
}
