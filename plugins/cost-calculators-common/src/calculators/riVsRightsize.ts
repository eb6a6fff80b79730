import { z } from 'zod';
import {
  Dec,
  ZERO,
  dec,
  exactString,
  formatFixed,
  formatPercent,
  maxDec,
  roundMoney,
} from '../money';
import { inconsistentError, rangeError } from '../validation/messages';
import {
  monthlyMoneyField,
  optionalDecimalField,
  optionalIntField,
  optionalMonthlyMoneyField,
} from '../validation/fields';
import { COMMITMENT_CAVEATS } from './commitmentCaveats';
import type { CalcContext } from '../types';
import {
  defineCalculator,
  out,
  statusOf,
  EvalHelpers,
  RuleEvaluation,
  InputLabels,
} from './defineCalculator';

const TERMS = [12, 36];

/** Largest plannedChangeInMonths accepted (§2: 0–120 months); prefill clamps to it. */
export const MAX_PLANNED_CHANGE_MONTHS = 120;

/** Largest daysSinceMigration accepted (§2: 0–36500 days); prefill clamps to it. */
export const MAX_DAYS_SINCE_MIGRATION = 36_500;

/** Largest profileDays accepted (§2: 0–3650 days). */
const MAX_PROFILE_DAYS = 3650;

/** Inputs of C2. */
export const riVsRightsizeSchema = z.object({
  currentMonthly: monthlyMoneyField(),
  rightSizedMonthly: optionalMonthlyMoneyField(),
  discountNowPercent: optionalDecimalField({ min: 0, max: 95, unit: '%' }),
  termNowMonths: optionalIntField({ min: 12, max: 36, unit: 'months' }),
  discountLaterPercent: optionalDecimalField({ min: 0, max: 95, unit: '%' }),
  termLaterMonths: optionalIntField({ min: 12, max: 36, unit: 'months' }),
  daysSinceMigration: optionalIntField({
    min: 0,
    max: MAX_DAYS_SINCE_MIGRATION,
    unit: 'days',
  }),
  profileDays: optionalIntField({
    min: 0,
    max: MAX_PROFILE_DAYS,
    unit: 'days',
  }),
  horizonMonths: optionalIntField({ min: 12, max: 60, unit: 'months' }),
  plannedChangeInMonths: optionalDecimalField({
    min: 0,
    max: MAX_PLANNED_CHANGE_MONTHS,
    unit: 'months',
  }),
});

/** Labels and units of the C2 inputs (the form, its messages and the markdown export read them). */
export const riVsRightsizeInputs: InputLabels<typeof riVsRightsizeSchema> = {
  currentMonthly: { label: 'Current on-demand cost', unit: 'USD/month' },
  rightSizedMonthly: { label: 'Right-sized on-demand cost', unit: 'USD/month' },
  discountNowPercent: { label: 'Discount if committed now', unit: '%' },
  termNowMonths: { label: 'Term if committed now', unit: 'months' },
  discountLaterPercent: { label: 'Discount after right-sizing', unit: '%' },
  termLaterMonths: { label: 'Term after right-sizing', unit: 'months' },
  daysSinceMigration: { label: 'Time since migration', unit: 'days' },
  profileDays: { label: 'Load profile length', unit: 'days' },
  horizonMonths: { label: 'Horizon', unit: 'months' },
  plannedChangeInMonths: {
    label: 'Time to a planned platform change',
    unit: 'months',
  },
};

/** Raw C2 input. */
export type RiVsRightsizeInput = z.input<typeof riVsRightsizeSchema>;

/** Cumulative cost of an option that bills `early` for `w` months and `late` afterwards. */
function cumulative(m: number, w: number, early: Dec, late: Dec): Dec {
  return early.times(Math.min(m, w)).plus(late.times(Math.max(0, m - w)));
}

/**
 * C1's steps down, when the card computed C1 for the same entity: a whole number from 0 to
 * 10 (C1's `stepsAvailable` range), else undefined.
 */
function rightsizeStepsOf(
  linked: CalcContext['linkedResults'],
): number | undefined {
  const k = linked?.['rightsize-p95']?.outputs.find(o => o.id === 'k')?.exact;
  if (k === undefined || k === null || !/^\d+$/.test(k)) return undefined;
  const steps = Number(k);
  return steps <= 10 ? steps : undefined;
}

/** The current cost C1 computed its steps on, when its result says (a decimal input). */
function rightsizeCostOf(
  linked: CalcContext['linkedResults'],
): Dec | undefined {
  const value = linked?.['rightsize-p95']?.inputs.currentMonthly?.value;
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  try {
    return dec(value);
  } catch {
    return undefined;
  }
}

/**
 * §2 C2: the right-sized cost defaults to C1's output, else to today's cost (no headroom).
 * C1's steps down are applied to this calculator's current cost, so the default is C1's
 * right-sized monthly when both use the same cost and never exceeds the current cost when the
 * user changed it here. The source says which it is, like every other default.
 */
function defaultRightSized(
  cur: Dec,
  linked: CalcContext['linkedResults'],
  h: EvalHelpers,
): Dec {
  const k = rightsizeStepsOf(linked);
  if (k === undefined) {
    h.derived('rightSizedMonthly', cur.toFixed(), 'currentMonthly');
    return cur;
  }
  const rightSized = cur.div(dec(2).pow(k));
  const steps = k === 0 ? 'no step' : `${k} step${k === 1 ? '' : 's'}`;
  // C1's tab may hold another current cost than this one (typed there, or here): its steps
  // apply to this tab's cost, and the chip says so rather than credit C1 with a figure it
  // never showed (README decision 23).
  const c1Cost = rightsizeCostOf(linked);
  const otherCost =
    c1Cost !== undefined && !c1Cost.equals(cur)
      ? ` from ${h.money(cur, c1Cost)}; that tab used ${h.money(c1Cost, cur)}`
      : '';
  h.derived(
    'rightSizedMonthly',
    exactString(rightSized),
    `P95 right-size (${steps} down${otherCost})`,
    'rightsize-p95',
  );
  return rightSized;
}

/** C2 `ri-vs-rightsize`: commit now at today's size, or right-size to P95 first and commit on the smaller footprint. */
export const riVsRightsize = defineCalculator({
  id: 'ri-vs-rightsize',
  version: 1,
  title: 'Commit now vs right-size first',
  question:
    "Buy the commitment on today's (lift-and-shift) size, or wait, right-size to P95 and commit on the smaller footprint?",
  sources: ['00', '02', '03'],
  caveats: [
    ...COMMITMENT_CAVEATS,
    "Default discounts are the article's example figures, not quotes: enter your provider's rates.",
  ],
  schema: riVsRightsizeSchema,
  inputs: riVsRightsizeInputs,
  evaluate(input, h) {
    const errors = [];
    for (const id of ['termNowMonths', 'termLaterMonths'] as const) {
      const v = input[id];
      if (v !== undefined && !TERMS.includes(v)) {
        errors.push({
          ...rangeError(id, 12, 36, v, 'months'),
          message: `${id} must be 12 or 36 months (got ${v}).`,
        });
      }
    }
    const cur = input.currentMonthly;
    if (
      input.rightSizedMonthly !== undefined &&
      input.rightSizedMonthly.greaterThan(cur)
    ) {
      errors.push(
        inconsistentError(
          'rightSizedMonthly',
          `rightSizedMonthly must not exceed currentMonthly (got ${input.rightSizedMonthly.toFixed()} > ${cur.toFixed()}).`,
        ),
      );
    }
    if (errors.length) return { errors };

    const rightSized =
      input.rightSizedMonthly ?? defaultRightSized(cur, h.ctx.linkedResults, h);
    const discNow = h.fact(
      'discountNowPercent',
      input.discountNowPercent,
      'example.ri-discount-oversized-3y',
    );
    const termNow = h.orDefault('termNowMonths', input.termNowMonths, 36);
    const discLater = h.fact(
      'discountLaterPercent',
      input.discountLaterPercent,
      'example.ri-discount-rightsized-1y',
    );
    const termLater = h.orDefault('termLaterMonths', input.termLaterMonths, 12);
    const horizon = h.orDefault('horizonMonths', input.horizonMonths, 36);
    // Not an input: held to profileDays' range (a longer window could never be met; a
    // negative one would bill "today's size" for a negative number of months).
    const policyWait = h
      .bookNumber('policy.ri-wait-days', {
        min: 0,
        max: MAX_PROFILE_DAYS,
        integer: true,
        unit: 'days',
      })
      .toNumber();
    const { daysSinceMigration: since, profileDays: profile } = input;
    const P = input.plannedChangeInMonths;

    const effNow = cur.times(dec(1).minus(discNow.div(100)));
    const effOD = rightSized;
    const effLater = rightSized.times(dec(1).minus(discLater.div(100)));
    // Unknown terms are omitted from the max; with neither known the full window remains.
    const waitTerms = [since, profile].filter(
      (x): x is number => x !== undefined,
    );
    const waitDays =
      waitTerms.length === 0
        ? policyWait
        : Math.max(0, ...waitTerms.map(x => policyWait - x));
    const w = Math.ceil(waitDays / 30);
    const cumA = (m: number) => effNow.times(m);
    const cumB = (m: number) => cumulative(m, w, cur, effOD);
    const cumC = (m: number) => cumulative(m, w, cur, effLater);
    const monthlyDelta = effNow.minus(effLater);
    // R-RI-P95 and R-RI-NOW branch on the monthly difference as displayed: 0.004 is no
    // "do: $0.00/month below committing at today's size".
    const shownDelta = roundMoney(monthlyDelta);
    const horizonSaving = cumA(horizon).minus(cumC(horizon));
    let breakEven: Dec | null = null;
    if (w === 0 && effLater.lessThanOrEqualTo(effNow)) breakEven = ZERO;
    else if (w > 0 && effNow.greaterThan(effLater)) {
      breakEven = dec(w).times(cur.minus(effLater)).div(effNow.minus(effLater));
    }
    const strandedNow =
      P === undefined
        ? null
        : effNow.times(maxDec(ZERO, dec(termNow).minus(P)));
    // C never commits when the change comes before the window ends.
    let strandedLater: Dec | null = null;
    if (P !== undefined) {
      strandedLater = P.lessThanOrEqualTo(w)
        ? ZERO
        : effLater.times(maxDec(ZERO, dec(w + termLater).minus(P)));
    }

    // 90-day rule: profile ≥ 90 and (never migrated or ≥ 90 days since); an unknown profile cannot pass.
    const ninetyStatus = statusOf(
      profile === undefined
        ? undefined
        : !(
            profile >= policyWait &&
            (since === undefined || since >= policyWait)
          ),
    );
    const changeBeforeWindow = P !== undefined && P.lessThanOrEqualTo(w);
    const strands = P !== undefined && P.lessThan(termNow);
    const strandText = strandedNow
      ? `A ${termNow}-month commitment at today's size would strand ${h.money(
          strandedNow,
        )}.`
      : '';
    const headroom = !rightSized.equals(cur);
    const doText = `${h.money(
      monthlyDelta,
    )}/month below committing at today's size (${h.money(
      horizonSaving,
    )} over ${horizon} months).`;
    const rules: RuleEvaluation[] = [
      {
        id: 'R-RI-90D',
        status: ninetyStatus,
        severity: 'wait',
        gating: true,
        sources: ['00', '03'],
        sentence:
          ninetyStatus === 'unknown' && waitDays === 0
            ? 'Do not commit yet: the P95 profile length is unknown; profile P95 and right-size first.'
            : `Do not commit yet: ${waitDays} days of the ${policyWait}-day stabilisation window remain; profile P95 and right-size first.`,
      },
      {
        id: 'R-RI-CHANGE',
        status: statusOf(P !== undefined && (changeBeforeWindow || strands)),
        severity: changeBeforeWindow ? 'avoid' : 'warning',
        sources: ['00'],
        sentence: changeBeforeWindow
          ? `A platform change is planned before the window ends: stay on demand.${
              strandText ? ` ${strandText}` : ''
            }`
          : strandText,
      },
      {
        id: 'R-RI-P95',
        status: shownDelta.greaterThan(0) ? 'fired' : 'passed',
        severity: 'do',
        sources: ['00'],
        sentence: headroom
          ? `Right-size to the P95 footprint, then commit for ${termLater} months: ${doText}`
          : `No right-sizing headroom; commit for ${termLater} months at ${formatPercent(
              discLater,
            )}%: ${doText}`,
      },
      {
        id: 'R-RI-NOW',
        status: shownDelta.lessThanOrEqualTo(0) ? 'fired' : 'passed',
        severity: 'do',
        sources: ['00'],
        sentence: `Committing today's footprint on the ${termNow}-month terms is cheaper than the right-sized option as entered; check both options use comparable terms.`,
      },
    ];
    const months = Array.from({ length: horizon + 1 }, (_, m) => m);
    const series = (
      id: string,
      label: string,
      monthly: Dec,
      f: (m: number) => Dec,
    ) => ({
      id,
      label,
      monthly: monthly.toFixed(),
      cumulative: months.map(m => f(m).toFixed()),
    });
    return {
      outputs: [
        out('effNow', 'Effective monthly', 'money/month', effNow, 'now'),
        out('effOD', 'Effective monthly', 'money/month', effOD, 'on-demand'),
        out('effLater', 'Effective monthly', 'money/month', effLater, 'later'),
        out('cumA', `${horizon}-month total`, 'money', cumA(horizon), 'now'),
        out(
          'cumB',
          `${horizon}-month total`,
          'money',
          cumB(horizon),
          'on-demand',
        ),
        out('cumC', `${horizon}-month total`, 'money', cumC(horizon), 'later'),
        out(
          'monthlyDelta',
          'Monthly difference (now − later)',
          'money/month',
          monthlyDelta,
        ),
        out('delta12', '12-month difference', 'money', monthlyDelta.times(12)),
        out(
          'horizonSaving',
          `Saving over ${horizon} months`,
          'money',
          horizonSaving,
        ),
        out(
          'breakEvenMonth',
          // The note's "C overtakes A", with the options named as the table's columns are.
          'Break-even month (Right-size, then commit overtakes Commit now)',
          'months',
          breakEven,
        ),
        out('strandedNow', 'Stranded if committed now', 'money', strandedNow),
        out(
          'strandedLater',
          'Stranded if committed later',
          'money',
          strandedLater,
        ),
        out('waitDays', 'Days of the window remaining', 'count', dec(waitDays)),
        out('waitMonths', "Months billed at today's size", 'count', dec(w)),
      ],
      options: [
        series('now', 'Commit now', effNow, cumA),
        series('on-demand', 'Right-size, on demand', effOD, cumB),
        series('later', 'Right-size, then commit', effLater, cumC),
      ],
      breakEven: {
        month: breakEven === null ? null : formatFixed(breakEven, 2, false),
        optionA: 'now',
        optionB: 'later',
      },
      rules,
    };
  },
});
