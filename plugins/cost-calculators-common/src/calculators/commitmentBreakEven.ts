import { z } from 'zod';
import {
  Dec,
  dec,
  formatFixed,
  formatTrimmed,
  minDec,
  roundMoney,
} from '../money';
import { inconsistentError } from '../validation/messages';
import {
  monthlyMoneyField,
  optionalDecimalField,
  optionalIntField,
} from '../validation/fields';
import { COMMITMENT_CAVEATS } from './commitmentCaveats';
import {
  defineCalculator,
  out,
  RuleEvaluation,
  InputLabels,
} from './defineCalculator';

/** Largest expectedUsageMonths accepted (§2: 0–120 months); prefill clamps to it. */
export const MAX_EXPECTED_USAGE_MONTHS = 120;

/** Inputs of C3. */
export const commitmentBreakEvenSchema = z.object({
  onDemandMonthly: monthlyMoneyField(),
  upfront: optionalDecimalField({ min: 0, max: 1e10, unit: 'USD' }),
  recurringMonthly: monthlyMoneyField(),
  termMonths: optionalIntField({ min: 1, max: 60, unit: 'months' }),
  expectedUsageMonths: optionalDecimalField({
    min: 0,
    max: MAX_EXPECTED_USAGE_MONTHS,
    unit: 'months',
  }),
});

/** Labels and units of the C3 inputs (the form, its messages and the markdown export read them). */
export const commitmentBreakEvenInputs: InputLabels<
  typeof commitmentBreakEvenSchema
> = {
  onDemandMonthly: { label: 'On-demand cost', unit: 'USD/month' },
  upfront: { label: 'Upfront payment', unit: 'USD' },
  recurringMonthly: { label: 'Recurring commitment charge', unit: 'USD/month' },
  termMonths: { label: 'Term', unit: 'months' },
  expectedUsageMonths: { label: 'Expected usage', unit: 'months' },
};

/** Raw C3 input. */
export type CommitmentBreakEvenInput = z.input<
  typeof commitmentBreakEvenSchema
>;

/** C3 `commitment-break-even`: months until a commitment pays off, and the loss if the workload leaves early. */
export const commitmentBreakEven = defineCalculator({
  id: 'commitment-break-even',
  version: 1,
  title: 'RI break-even months',
  question:
    'After how many months does a commitment pay off, and what happens if the workload leaves early?',
  sources: ['00', '02', '03'],
  caveats: COMMITMENT_CAVEATS,
  schema: commitmentBreakEvenSchema,
  inputs: commitmentBreakEvenInputs,
  evaluate(input, h) {
    const od = input.onDemandMonthly;
    if (od.isZero()) {
      return {
        errors: [
          {
            input: 'onDemandMonthly',
            code: 'out_of_range',
            message: 'onDemandMonthly must be greater than 0 (got 0).',
          },
        ],
      };
    }
    const upfront = h.orDefault('upfront', input.upfront?.toFixed(), '0');
    const up = dec(upfront);
    const rec = input.recurringMonthly;
    if (up.isZero() && rec.isZero()) {
      // Not in the note: a commitment that costs nothing would "pay off after 0.00 months" at
      // a 100 % discount. Such a figure is a typo or a missing price, not a result (README).
      return {
        errors: [
          inconsistentError(
            'recurringMonthly',
            "recurringMonthly must be above 0 when upfront is 0: a commitment that costs nothing has no break-even; enter the commitment's price.",
          ),
        ],
      };
    }
    const term = h.orDefault('termMonths', input.termMonths, 36);
    const usage: Dec =
      input.expectedUsageMonths ??
      dec(h.derived('expectedUsageMonths', term, 'termMonths'));
    const commitTotal = up.plus(rec.times(term));
    const effectiveMonthly = commitTotal.div(term);
    const discountPercent = dec(1).minus(effectiveMonthly.div(od)).times(100);
    const minUsageMonths = commitTotal.div(od);
    const cashBreakEven =
      od.greaterThan(rec) && commitTotal.lessThan(od.times(term))
        ? up.div(od.minus(rec))
        : null;
    const netSaving = od.times(minDec(usage, dec(term))).minus(commitTotal);
    // The rules branch on the net saving as displayed: −0.001 is no "loses $0.00", and 0.001 no
    // "saves $0.00"; both show as 0.00, which is break-even.
    const shownNet = roundMoney(netSaving);
    const minUsageText = formatFixed(minUsageMonths, 2);
    // More months of use than the term holds: the commitment costs more than on demand and
    // never breaks even. A "43.20-month break-even" on a 36-month term would read as one
    // that is merely late (README: a deviation from the note's sentence). Decided, like the
    // rules, on the full term's saving in cents: a commitment $0.001 dearer is "exactly
    // break-even", not "never" beside a net saving of 0.00.
    const neverBreaksEven = roundMoney(
      od.times(term).minus(commitTotal),
    ).lessThan(0);
    const rules: RuleEvaluation[] = [
      {
        id: 'R-CBE-NOT-CHEAPER',
        status: discountPercent.lessThanOrEqualTo(0) ? 'fired' : 'passed',
        severity: 'avoid',
        sources: ['00'],
        sentence: 'The commitment is not cheaper than on demand.',
      },
      {
        id: 'R-CBE-EARLY-EXIT',
        status: shownNet.lessThan(0) ? 'fired' : 'passed',
        severity: 'avoid',
        sources: ['00', '03'],
        sentence: neverBreaksEven
          ? `The commitment never breaks even within its ${term}-month term: over ${formatTrimmed(
              usage,
              2,
            )} months of use it costs ${h.money(
              netSaving.negated(),
            )} more than on demand.`
          : `The workload leaves after ${formatTrimmed(
              usage,
              2,
            )} months, before the ${minUsageText}-month break-even: the commitment loses ${h.money(
              netSaving.negated(),
            )}.`,
      },
      {
        id: 'R-CBE-EVEN',
        status: shownNet.isZero() ? 'fired' : 'passed',
        severity: 'info',
        sources: ['00'],
        sentence: 'Exactly break-even: no saving, all of the lock-in.',
      },
      {
        id: 'R-CBE-PAYS',
        status:
          shownNet.greaterThan(0) && discountPercent.greaterThan(0)
            ? 'fired'
            : 'passed',
        severity: 'do',
        sources: ['00', '02'],
        sentence: `Pays off after ${minUsageText} months of use; saves ${h.money(
          netSaving,
        )} over the term.`,
      },
    ];
    const months = Array.from({ length: term + 1 }, (_, m) => m);
    return {
      outputs: [
        out('commitTotal', 'Commitment total', 'money', commitTotal),
        out(
          'effectiveMonthly',
          'Effective monthly',
          'money/month',
          effectiveMonthly,
        ),
        out('discountPercent', 'Discount', 'percent', discountPercent),
        neverBreaksEven
          ? // No break-even within the term: no figure (exact null, as the cash break-even's
            // "none"), and the display says why. A number beside a sentence would read as one.
            {
              ...out(
                'minUsageMonths',
                'Months of use to break even',
                'months',
                null,
              ),
              display: `never within the ${term}-month term`,
            }
          : out(
              'minUsageMonths',
              'Months of use to break even',
              'months',
              minUsageMonths,
            ),
        out(
          'cashBreakEvenMonth',
          'Cash break-even month',
          'months',
          cashBreakEven,
        ),
        out('netSaving', 'Net saving', 'money', netSaving),
      ],
      options: [
        {
          id: 'on-demand',
          label: 'On demand',
          monthly: od.toFixed(),
          cumulative: months.map(m => od.times(m).toFixed()),
        },
        {
          id: 'commitment',
          label: 'Commitment',
          monthly: rec.toFixed(),
          // The upfront is paid at month 0, as the cash break-even upfront / (od − rec)
          // assumes: the lines cross where the marker says.
          cumulative: months.map(m => up.plus(rec.times(m)).toFixed()),
        },
      ],
      breakEven: {
        month:
          cashBreakEven === null ? null : formatFixed(cashBreakEven, 2, false),
        optionA: 'on-demand',
        optionB: 'commitment',
      },
      rules,
    };
  },
});
