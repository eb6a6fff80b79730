import { z } from 'zod';
import { dec, formatFixed, formatPercent, roundMoney } from '../money';
import {
  decimalField,
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

/** Upper bound of the scanned-volume inputs (TiB/month, §2 C4). */
export const MAX_TIB_PER_MONTH = 1e7;

/** Largest baselineSlots accepted (§2 C4). */
const MAX_BASELINE_SLOTS = 100_000;

/** Inputs of C4. */
export const bigqueryCapacitySchema = z.object({
  etlTiBPerMonth: decimalField({
    min: 0,
    max: MAX_TIB_PER_MONTH,
    unit: 'TiB/month',
  }),
  adhocTiBPerMonth: decimalField({
    min: 0,
    max: MAX_TIB_PER_MONTH,
    unit: 'TiB/month',
  }),
  onDemandPerTiB: optionalDecimalField({ min: 0, max: 1000, unit: 'USD/TiB' }),
  baselineSlots: optionalIntField({ min: 0, max: MAX_BASELINE_SLOTS }),
  slotHourPrice: optionalDecimalField({
    min: 0,
    max: 10,
    unit: 'USD/slot-hour',
  }),
  etlSlotHoursPerMonth: optionalDecimalField({
    min: 0,
    max: 1e9,
    unit: 'slot-hours',
  }),
});

/** Labels and units of the C4 inputs (the form, its messages and the markdown export read them). */
export const bigqueryCapacityInputs: InputLabels<
  typeof bigqueryCapacitySchema
> = {
  etlTiBPerMonth: { label: 'Steady ETL scanned', unit: 'TiB/month' },
  adhocTiBPerMonth: { label: 'Ad-hoc queries scanned', unit: 'TiB/month' },
  onDemandPerTiB: { label: 'On-demand price per TiB', unit: 'USD/TiB' },
  baselineSlots: { label: 'Baseline slots' },
  slotHourPrice: { label: 'Slot-hour price', unit: 'USD/slot-hour' },
  etlSlotHoursPerMonth: {
    label: 'Steady ETL slot usage per month',
    unit: 'slot-hours',
  },
};

/** Raw C4 input. */
export type BigqueryCapacityInput = z.input<typeof bigqueryCapacitySchema>;

/** C4 `bigquery-capacity`: per-TiB on demand vs baseline slots for steady ETL (the hybrid pattern). */
export const bigqueryCapacity = defineCalculator({
  id: 'bigquery-capacity',
  version: 1,
  title: 'BigQuery on-demand vs baseline slots',
  question:
    'Keep paying per TiB scanned, or buy baseline slots for steady ETL and leave ad-hoc work on demand?',
  sources: ['01', '03', '51'],
  caveats: [
    'Slots cap spend and also cap throughput: concurrent heavy queries queue (01).',
    'Making partition filters mandatory breaks dashboards written for full scans (01).',
    'Moving provisioned work to per-TiB billing can explode without partition filters (03).',
    "BigQuery's monthly free TiB is account-wide and is not credited to one dataset.",
    'Slot commitments are regional (vendor-doc).',
  ],
  schema: bigqueryCapacitySchema,
  inputs: bigqueryCapacityInputs,
  evaluate(input, h) {
    // A step, not an input: 0 would ask for "a multiple of 0" and a fraction or negative
    // has no meaning in slots; at most the largest baselineSlots accepted.
    const increment = h
      .bookNumber('gcp.bigquery.slot-increment', {
        min: 1,
        max: MAX_BASELINE_SLOTS,
        integer: true,
      })
      .toNumber();
    if (
      input.baselineSlots !== undefined &&
      input.baselineSlots % increment !== 0
    ) {
      return {
        errors: [
          {
            input: 'baselineSlots',
            code: 'out_of_range',
            message: `baselineSlots must be a multiple of ${increment} (got ${input.baselineSlots}).`,
          },
        ],
      };
    }
    const H = h.hoursPerMonth();
    const perTiB = h.price(
      'onDemandPerTiB',
      input.onDemandPerTiB,
      'gcp.bigquery.on-demand-analysis',
    );
    const slots = h.orDefault('baselineSlots', input.baselineSlots, 500);
    const slotPrice = h.price(
      'slotHourPrice',
      input.slotHourPrice,
      'gcp.bigquery.slot-hour.enterprise-commit-1y',
    );
    const etl = input.etlTiBPerMonth;
    const adhoc = input.adhocTiBPerMonth;
    const slotMonthly = dec(slots).times(slotPrice).times(H);
    const onDemandAll = etl.plus(adhoc).times(perTiB);
    const hybrid = slotMonthly.plus(adhoc.times(perTiB));
    const monthlySaving = onDemandAll.minus(hybrid);
    const breakEven = perTiB.isZero() ? null : slotMonthly.div(perTiB);
    const utilisation =
      input.etlSlotHoursPerMonth !== undefined && slots > 0
        ? input.etlSlotHoursPerMonth.div(H.times(slots)).times(100)
        : null;
    const nothing = etl.isZero() && adhoc.isZero();
    const overUtilised = utilisation !== null && utilisation.greaterThan(100);
    const etlCovers = breakEven !== null && etl.greaterThanOrEqualTo(breakEven);
    // At the break-even itself slots save nothing: no "do" for a saving shown as $0.00
    // (README decision 19, as for C2, C3, C6, C8 and C9).
    const savesNothing = roundMoney(monthlySaving).isZero();
    const slotsPay =
      !nothing &&
      slots > 0 &&
      etl.greaterThan(0) &&
      etlCovers &&
      !savesNothing &&
      !overUtilised;
    const breakEvenText =
      breakEven === null ? 'unbounded' : formatFixed(breakEven, 2);
    const stayOnDemandSentence = (): string => {
      const limits = 'enforce partition filters and query limits first.';
      if (slots === 0)
        return `Stay on demand: no baseline slots entered; ${limits}`;
      const scans = `Stay on demand: ETL scans ${formatFixed(
        etl,
        2,
      )} TiB/month`;
      return etlCovers && savesNothing
        ? `${scans}, at the ${breakEvenText} TiB break-even for ${slots} slots, where they save nothing; ${limits}`
        : `${scans}, under the ${breakEvenText} TiB break-even for ${slots} slots; ${limits}`;
    };
    const rules: RuleEvaluation[] = [
      {
        id: 'R-BQ-NOTHING',
        status: nothing ? 'fired' : 'passed',
        severity: 'info',
        sources: ['01'],
        sentence: 'Nothing scanned: nothing to optimise.',
      },
      {
        id: 'R-BQ-QUEUE',
        status: statusOf(utilisation === null ? undefined : overUtilised),
        severity: 'wait',
        sources: ['01'],
        sentence: `The baseline is too small: steady ETL needs ${
          utilisation ? formatPercent(utilisation) : '?'
        }% of it and would queue.`,
      },
      {
        id: 'R-BQ-SLOTS',
        status: slotsPay ? 'fired' : 'passed',
        severity: 'do',
        sources: ['01'],
        sentence: `Move steady ETL to ${slots} baseline slots and keep ad-hoc queries on demand with byte limits: ${h.money(
          monthlySaving,
        )}/month.`,
      },
      {
        id: 'R-BQ-STAY',
        status: !nothing && !slotsPay && !overUtilised ? 'fired' : 'passed',
        severity: 'info',
        sources: ['01'],
        sentence: stayOnDemandSentence(),
      },
    ];
    return {
      outputs: [
        out(
          'slotMonthly',
          'Baseline slots per month',
          'money/month',
          slotMonthly,
        ),
        out('onDemandAll', 'All on demand', 'money/month', onDemandAll),
        out(
          'hybrid',
          'Hybrid (slots + ad-hoc on demand)',
          'money/month',
          hybrid,
        ),
        out(
          'monthlySaving',
          'Monthly saving of hybrid',
          'money/month',
          monthlySaving,
        ),
        out('breakEvenEtlTiB', 'Break-even ETL volume', 'TiB', breakEven),
        out(
          'slotUtilisation',
          'Slot utilisation by ETL',
          'percent',
          utilisation,
        ),
      ],
      rules,
      qualifier: slotsPay && utilisation === null ? 'unverified' : undefined,
    };
  },
});
