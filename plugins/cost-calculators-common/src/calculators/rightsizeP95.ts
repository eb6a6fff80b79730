import { z } from 'zod';
import {
  Dec,
  PERCENT_DP,
  dec,
  decimalsApart,
  formatPercent,
  maxDec,
} from '../money';
import {
  monthlyMoneyField,
  optionalDecimalField,
  optionalIntField,
  percentField,
} from '../validation/fields';
import {
  defineCalculator,
  statusOf,
  out,
  textOut,
  RuleEvaluation,
  InputLabels,
} from './defineCalculator';

/** Inputs of C1. */
export const rightsizeP95Schema = z.object({
  currentMonthly: monthlyMoneyField(),
  p95CpuPercent: percentField(),
  p95MemoryPercent: percentField(),
  profileDays: optionalIntField({ min: 0, max: 3650, unit: 'days' }),
  targetPeakPercent: optionalDecimalField({ min: 10, max: 95, unit: '%' }),
  stepsAvailable: optionalIntField({ min: 0, max: 10 }),
});

/** Labels and units of the C1 inputs (the form, its messages and the markdown export read them). */
export const rightsizeP95Inputs: InputLabels<typeof rightsizeP95Schema> = {
  currentMonthly: { label: 'Current on-demand cost', unit: 'USD/month' },
  p95CpuPercent: { label: 'P95 CPU utilisation', unit: '%' },
  p95MemoryPercent: { label: 'P95 memory utilisation', unit: '%' },
  profileDays: { label: 'Load profile length', unit: 'days' },
  targetPeakPercent: { label: 'Target peak utilisation', unit: '%' },
  stepsAvailable: { label: 'Smaller sizes left in the family' },
};

/** Raw C1 input. */
export type RightsizeP95Input = z.input<typeof rightsizeP95Schema>;

/** Largest k in 0..steps with peak × 2^k ≤ target (all steps when there is no load). */
export function rightsizeSteps(peak: Dec, target: Dec, steps: number): number {
  if (peak.isZero()) return steps;
  let k = 0;
  while (k < steps && peak.times(dec(2).pow(k + 1)).lessThanOrEqualTo(target))
    k += 1;
  return peak.greaterThan(target) ? 0 : k;
}

/**
 * ceil(log2(peak / target)) for peak > target, found by doubling (exact, no float log).
 * A target of 0 % or less would never be reached by doubling: refused rather than looped on
 * (C1 holds the target to its 10–95 % range, book default included, before calling this).
 */
export function stepsUp(peak: Dec, target: Dec): number {
  if (!target.greaterThan(0))
    throw new RangeError(
      `stepsUp needs a target peak above 0 % (got ${target.toFixed()}).`,
    );
  let n = 0;
  while (target.times(dec(2).pow(n)).lessThan(peak)) n += 1;
  return n;
}

/** C1 `rightsize-p95`: how many size steps the instance can drop when sized to P95. */
export const rightsizeP95 = defineCalculator({
  id: 'rightsize-p95',
  version: 1,
  title: 'P95 right-size',
  question:
    'How many size steps can this instance drop if sized to its measured P95 load?',
  sources: ['00', '02', '51', '60'],
  caveats: [
    'Assumes each step halves vCPU, memory and price (true for common RDS, Cloud SQL and Azure families); otherwise pick the target SKU and enter its price in "Commit now vs right-size first".',
    'P95 ignores short bursts: keep a scale-up path (00).',
    'A bigger instance can be compensating for absent indexes or badly pooled connections: read query plans first (51).',
    'An instance-class change in production is a gated operation, not a routine PR (60).',
  ],
  schema: rightsizeP95Schema,
  inputs: rightsizeP95Inputs,
  evaluate(input, h) {
    // The book's default is held to the input's 10–95 % like a typed target (h.fact): a
    // hand-built book's 0 % would never be reached by stepsUp's doubling.
    const target = h.fact(
      'targetPeakPercent',
      input.targetPeakPercent,
      'rightsize.target-peak-percent',
    );
    const steps = h.orDefault('stepsAvailable', input.stepsAvailable, 3);
    const cpu = input.p95CpuPercent;
    const mem = input.p95MemoryPercent;
    const peak = maxDec(cpu, mem);
    const k = rightsizeSteps(peak, target, steps);
    const factor = dec(2).pow(k);
    const projectedPeak = peak.times(factor);
    const rightSizedMonthly = input.currentMonthly.div(factor);
    const monthlySaving = input.currentMonthly.minus(rightSizedMonthly);
    const up = peak.greaterThan(target) ? stepsUp(peak, target) : 0;
    const binding = cpu.greaterThanOrEqualTo(mem) ? 'cpu' : 'memory';
    const profileDays = input.profileDays;
    const provisional = profileDays === undefined || profileDays < 90;
    const targetText = formatPercent(target);
    // Decided on the exact values: printed with as many decimals as it takes to differ.
    const upDp = decimalsApart(peak, target, PERCENT_DP);
    const rules: RuleEvaluation[] = [
      {
        id: 'R-RS-90D',
        status: statusOf(profileDays === undefined ? undefined : provisional),
        severity: 'wait',
        gating: true,
        sources: ['00'],
        sentence:
          profileDays === undefined
            ? 'The profile length is unknown; collect 90 days of data before acting.'
            : `Profile covers ${profileDays} days; collect 90 days of data before acting.`,
      },
      {
        id: 'R-RS-IDLE',
        status: peak.isZero() ? 'fired' : 'passed',
        severity: 'info',
        sources: ['51'],
        sentence:
          'No load at P95: check the database is still used before resizing; it may be a candidate for retirement.',
      },
      {
        id: 'R-RS-UP',
        status: peak.greaterThan(target) ? 'fired' : 'passed',
        severity: 'avoid',
        sources: ['00', '02'],
        sentence: `P95 ${formatPercent(
          peak,
          upDp,
        )}% is above the ${formatPercent(
          target,
          upDp,
        )}% target: do not scale down (${up} step${up === 1 ? '' : 's'} up).`,
      },
      {
        id: 'R-RS-DOWN',
        status: k >= 1 ? 'fired' : 'passed',
        severity: 'do',
        sources: ['00', '02'],
        sentence: `Scale down ${k} step${k === 1 ? '' : 's'} to about ${h.money(
          rightSizedMonthly,
        )}/month; projected P95 ${formatPercent(projectedPeak)}%.`,
      },
      {
        id: 'R-RS-FIT',
        status: k === 0 && peak.lessThanOrEqualTo(target) ? 'fired' : 'passed',
        severity: 'info',
        sources: ['00'],
        sentence: `Already at the smallest size that keeps P95 under ${targetText}%.`,
      },
    ];
    return {
      outputs: [
        out('k', 'Steps down', 'count', dec(k)),
        out('projectedPeak', 'Projected P95', 'percent', projectedPeak),
        out(
          'rightSizedMonthly',
          'Right-sized monthly',
          'money/month',
          rightSizedMonthly,
        ),
        out('monthlySaving', 'Monthly saving', 'money/month', monthlySaving),
        textOut('binding', 'Binding resource', binding),
        out('stepsUp', 'Steps up needed', 'count', dec(up)),
        textOut('status', 'Status', provisional ? 'provisional' : 'final'),
      ],
      rules,
      qualifier: provisional ? 'provisional' : undefined,
    };
  },
});
