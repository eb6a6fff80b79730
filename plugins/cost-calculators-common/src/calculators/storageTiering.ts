import { z } from 'zod';
import { Dec, ZERO, formatFixed, roundMoney } from '../money';
import {
  decimalField,
  optionalDecimalField,
  percentField,
} from '../validation/fields';
import {
  defineCalculator,
  statusOf,
  out,
  RuleEvaluation,
  InputLabels,
} from './defineCalculator';

/** Inputs of C9. */
export const storageTieringSchema = z.object({
  totalGiB: decimalField({ min: 0, max: 1e9, unit: 'GiB' }),
  coldPercent: percentField(),
  hotPricePerGiBMonth: optionalDecimalField({
    min: 0,
    max: 100,
    unit: 'USD/GiB-month',
  }),
  coldPricePerGiBMonth: optionalDecimalField({
    min: 0,
    max: 100,
    unit: 'USD/GiB-month',
  }),
  retrievalPricePerGiB: optionalDecimalField({
    min: 0,
    max: 100,
    unit: 'USD/GiB',
  }),
  retrievalGiBPerMonth: optionalDecimalField({ min: 0, max: 1e9, unit: 'GiB' }),
  coldMinimumDays: optionalDecimalField({ min: 0, max: 365, unit: 'days' }),
  dataLifetimeDays: optionalDecimalField({ min: 0, max: 36_500, unit: 'days' }),
  transitionOneTime: optionalDecimalField({ min: 0, max: 1e7, unit: 'USD' }),
});

/** Labels and units of the C9 inputs (the form, its messages and the markdown export read them). */
export const storageTieringInputs: InputLabels<typeof storageTieringSchema> = {
  totalGiB: { label: 'Total stored', unit: 'GiB' },
  coldPercent: { label: 'Cold share', unit: '%' },
  hotPricePerGiBMonth: { label: 'Hot-tier price', unit: 'USD/GiB-month' },
  coldPricePerGiBMonth: { label: 'Cold-tier price', unit: 'USD/GiB-month' },
  retrievalPricePerGiB: { label: 'Cold retrieval price', unit: 'USD/GiB' },
  retrievalGiBPerMonth: { label: 'Cold data read per month', unit: 'GiB' },
  coldMinimumDays: {
    label: 'Cold-tier minimum storage duration',
    unit: 'days',
  },
  dataLifetimeDays: { label: 'Data lifetime', unit: 'days' },
  transitionOneTime: { label: 'One-time transition cost', unit: 'USD' },
};

/** Raw C9 input. */
export type StorageTieringInput = z.input<typeof storageTieringSchema>;

/** C9 `storage-tiering`: hot vs cold tier after retrieval charges and minimum durations. */
export const storageTiering = defineCalculator({
  id: 'storage-tiering',
  version: 1,
  title: 'Hot vs cold storage tier',
  question:
    'Does moving rarely read data to a cold tier save money after retrieval charges and minimum durations?',
  sources: ['03', '51'],
  caveats: [
    'Default prices are vendor list prices: verify them, they are region-specific.',
    'Cold retrieval adds latency.',
    'Shorter retention or table expiry may beat tiering (51).',
  ],
  schema: storageTieringSchema,
  inputs: storageTieringInputs,
  evaluate(input, h) {
    const hot = h.price(
      'hotPricePerGiBMonth',
      input.hotPricePerGiBMonth,
      'aws.s3.standard',
    );
    const cold = h.price(
      'coldPricePerGiBMonth',
      input.coldPricePerGiBMonth,
      'aws.s3.glacier-ir',
    );
    const retrievalPrice = h.price(
      'retrievalPricePerGiB',
      input.retrievalPricePerGiB,
      'aws.s3.glacier-ir.retrieval',
    );
    const minimumDays = h.fact(
      'coldMinimumDays',
      input.coldMinimumDays,
      'aws.s3.glacier-ir.minimum-days',
    );
    const retrieved = input.retrievalGiBPerMonth ?? ZERO;
    const transition = input.transitionOneTime ?? ZERO;
    const coldGiB = input.totalGiB.times(input.coldPercent).div(100);
    const hotGiB = input.totalGiB.minus(coldGiB);
    const allHot = input.totalGiB.times(hot);
    const tiered = hotGiB
      .times(hot)
      .plus(coldGiB.times(cold))
      .plus(retrieved.times(retrievalPrice));
    const monthlySaving = allHot.minus(tiered);
    // The rules branch on the saving as displayed: 0.000005 is "$0.00/month", no saving to
    // advise (nor one to pay back a transition over millions of months), and -0.000005 is
    // no cost either.
    const shownSaving = roundMoney(monthlySaving);
    const payback = shownSaving.greaterThan(0)
      ? transition.div(monthlySaving)
      : null;
    const lifetime = input.dataLifetimeDays;
    const rules: RuleEvaluation[] = [
      {
        id: 'R-TIER-MINIMUM',
        status: statusOf(
          lifetime === undefined ? undefined : lifetime.lessThan(minimumDays),
        ),
        severity: 'avoid',
        sources: ['03'],
        sentence: `Data is deleted before the cold tier's ${minimumDays.toFixed()}-day minimum: the minimum is billed anyway.`,
      },
      {
        id: 'R-TIER-COSTS-MORE',
        status: shownSaving.lessThanOrEqualTo(0) ? 'fired' : 'passed',
        severity: 'avoid',
        sources: ['03'],
        // At a displayed zero nothing costs more (0 % cold, equal prices): say why it saves nothing.
        sentence: shownSaving.isZero()
          ? `Tiering saves nothing: ${whyNoSaving({
              totalGiB: input.totalGiB,
              coldGiB,
              retrievalCost: retrieved.times(retrievalPrice),
              hot,
              cold,
              zeroMoney: h.money(ZERO),
            })}.`
          : 'Tiering costs more: the cold share is read too often.',
      },
      {
        id: 'R-TIER-MOVE',
        status: shownSaving.greaterThan(0) ? 'fired' : 'passed',
        severity: 'do',
        sources: ['03', '51'],
        sentence: `Move ${formatFixed(
          coldGiB,
          2,
        )} GiB to the cold tier: ${h.money(monthlySaving)}/month.`,
      },
    ];
    return {
      outputs: [
        out('coldGiB', 'Cold', 'GiB', coldGiB),
        out('hotGiB', 'Hot', 'GiB', hotGiB),
        out('allHot', 'All hot', 'money/month', allHot),
        out('tiered', 'Tiered', 'money/month', tiered),
        out('monthlySaving', 'Monthly saving', 'money/month', monthlySaving),
        out('transitionPaybackMonths', 'Transition payback', 'months', payback),
      ],
      rules,
    };
  },
});

/**
 * Why tiering saves nothing as displayed: no data at all, none of it cold, retrieval
 * cancelling the saving, equal prices, or a saving under half a cent.
 */
function whyNoSaving(facts: {
  totalGiB: Dec;
  coldGiB: Dec;
  retrievalCost: Dec;
  hot: Dec;
  cold: Dec;
  /** Zero in the book's currency ("$0.00"). */
  zeroMoney: string;
}): string {
  if (facts.totalGiB.isZero()) return 'there is no data';
  if (facts.coldGiB.isZero()) return 'no data is marked cold';
  if (facts.retrievalCost.greaterThan(0))
    return "the cold share's retrieval charges cancel its saving";
  if (facts.cold.greaterThanOrEqualTo(facts.hot))
    return 'the cold tier costs as much as the hot one';
  return `the saving rounds to ${facts.zeroMoney}/month`;
}
