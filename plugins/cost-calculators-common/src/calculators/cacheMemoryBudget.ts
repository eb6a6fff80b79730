import { z } from 'zod';
import {
  Dec,
  ZERO,
  dec,
  decimalsApart,
  formatFixed,
  formatTrimmed,
} from '../money';
import { GIB_BYTES } from '../units';
import {
  decimalField,
  optionalDecimalField,
  optionalPercentField,
} from '../validation/fields';
import {
  defineCalculator,
  statusOf,
  out,
  textOut,
  RuleEvaluation,
  InputLabels,
} from './defineCalculator';

/** Inputs of C14. */
export const cacheMemoryBudgetSchema = z.object({
  keyCount: decimalField({ min: 0, max: 1e10, integer: true }),
  avgKeyBytes: decimalField({ min: 1, max: 1e6, unit: 'bytes' }),
  avgValueBytes: decimalField({ min: 0, max: 5e8, unit: 'bytes' }),
  perKeyOverheadBytes: optionalDecimalField({
    min: 0,
    max: 10_000,
    unit: 'bytes',
  }),
  headroomPercent: optionalPercentField(0, 90),
  keysWithTtlPercent: optionalPercentField(),
  provisionedGiB: optionalDecimalField({ min: 0, max: 1e5, unit: 'GiB' }),
  pricePerGiBHour: optionalDecimalField({ min: 0, max: 10, unit: 'USD' }),
});

/** Labels and units of the C14 inputs (the form, its messages and the markdown export read them). */
export const cacheMemoryBudgetInputs: InputLabels<
  typeof cacheMemoryBudgetSchema
> = {
  keyCount: { label: 'Keys' },
  avgKeyBytes: { label: 'Average key size', unit: 'bytes' },
  avgValueBytes: { label: 'Average value size', unit: 'bytes' },
  perKeyOverheadBytes: { label: 'Overhead per key', unit: 'bytes' },
  headroomPercent: { label: 'Headroom', unit: '%' },
  keysWithTtlPercent: { label: 'Keys with a TTL', unit: '%' },
  provisionedGiB: { label: 'Provisioned memory', unit: 'GiB' },
  pricePerGiBHour: { label: 'Price per GiB-hour', unit: 'USD' },
};

/**
 * Smallest size C14 recommends, in GiB. Below it "right-sized" would read as
 * "provision nothing" (0 keys ⇒ ceil(0) = 0 GiB); 1 GiB is the smallest whole
 * size the managed caches sell (Memorystore for Redis starts at 1 GB; ours, not
 * the note's).
 */
export const MIN_CACHE_GIB = 1;

/** Raw C14 input. */
export type CacheMemoryBudgetInput = z.input<typeof cacheMemoryBudgetSchema>;

/** C14 `cache-memory-budget`: memory the keys really need, and whether TTLs bound them. */
export const cacheMemoryBudget = defineCalculator({
  id: 'cache-memory-budget',
  // v2: rightSizedGiB is at least MIN_CACHE_GIB.
  version: 2,
  title: 'Cache memory budget',
  question:
    'How much memory do the keys really need, and are they bounded by TTLs?',
  sources: ['51', '55', '67'],
  caveats: [
    'The cache is never the source of truth (55, 67).',
    'A flushed or cold cache shifts load to the database.',
    'Per-key overhead depends on encoding: measure it with MEMORY USAGE.',
  ],
  schema: cacheMemoryBudgetSchema,
  inputs: cacheMemoryBudgetInputs,
  evaluate(input, h) {
    const overhead = h.fact(
      'perKeyOverheadBytes',
      input.perKeyOverheadBytes,
      'redis.per-key-overhead-bytes',
    );
    const headroom =
      input.headroomPercent ??
      dec(h.orDefault('headroomPercent', undefined, '25'));
    const price = h.price(
      'pricePerGiBHour',
      input.pricePerGiBHour,
      'gcp.memorystore.gib-hour',
    );
    const H = h.hoursPerMonth();
    const dataBytes = input.keyCount.times(
      input.avgKeyBytes.plus(input.avgValueBytes).plus(overhead),
    );
    const requiredGiB = dataBytes
      .div(dec(1).minus(headroom.div(100)))
      .div(GIB_BYTES);
    const provisioned = input.provisionedGiB;
    const fits =
      provisioned === undefined
        ? null
        : requiredGiB.lessThanOrEqualTo(provisioned);
    const provisionedMonthly =
      provisioned === undefined ? null : provisioned.times(price).times(H);
    const atMinimum = requiredGiB.lessThan(MIN_CACHE_GIB);
    const rightSizedGiB = atMinimum ? dec(MIN_CACHE_GIB) : requiredGiB.ceil();
    const rightSizedMonthly = rightSizedGiB.times(price).times(H);
    const ttl = input.keysWithTtlPercent;
    const shrink = fits === true && rightSizedGiB.lessThan(provisioned!);
    const rules: RuleEvaluation[] = [
      {
        id: 'R-CACHE-TTL',
        status: statusOf(ttl === undefined ? undefined : ttl.lessThan(100)),
        severity: 'warning',
        sources: ['51'],
        sentence: `${
          ttl ? neverExpiringText(ttl) : '?'
        }% of keys never expire: the cache is becoming memory-priced permanent storage.`,
      },
      {
        id: 'R-CACHE-FIT',
        status: statusOf(fits === null ? undefined : !fits),
        severity: 'avoid',
        sources: ['67'],
        sentence: `Needs ${formatFixed(requiredGiB, 2)} GiB but ${
          provisioned ? formatFixed(provisioned, 2) : '?'
        } GiB are provisioned: evictions push reads to the database.`,
      },
      {
        id: 'R-CACHE-SHRINK',
        status: shrink ? 'fired' : 'passed',
        severity: 'do',
        sources: ['51'],
        sentence: `${rightSizedGiB.toFixed()} GiB would do: ${
          provisionedMonthly
            ? h.money(provisionedMonthly.minus(rightSizedMonthly))
            : '?'
        }/month less.`,
      },
      {
        id: 'R-CACHE-SIZE',
        status: fits === null || (fits && !shrink) ? 'fired' : 'passed',
        severity: 'info',
        sources: ['51'],
        sentence:
          fits === null
            ? `Needs ${formatFixed(
                requiredGiB,
                2,
              )} GiB; ${rightSizedGiB.toFixed()} GiB${
                atMinimum ? ' (the smallest size recommended)' : ''
              } cost ${h.money(rightSizedMonthly)}/month.`
            : `The provisioned ${formatFixed(
                provisioned!,
                2,
              )} GiB fit the keys with ${formatTrimmed(
                headroom,
                1,
              )}% headroom.`,
      },
    ];
    return {
      outputs: [
        out('dataBytes', 'Data', 'bytes', dataBytes),
        out('requiredGiB', 'Required memory', 'GiB', requiredGiB),
        fits === null
          ? out('fits', 'Fits', 'bool', null)
          : textOut('fits', 'Fits', fits),
        out(
          'provisionedMonthly',
          'Provisioned monthly',
          'money/month',
          provisionedMonthly,
        ),
        out('rightSizedGiB', 'Right-sized memory', 'GiB', rightSizedGiB),
        out(
          'rightSizedMonthly',
          'Right-sized monthly',
          'money/month',
          rightSizedMonthly,
        ),
      ],
      rules,
    };
  },
});

/** The share of keys without a TTL, never printed as 0 while there is any (99.99 % with a TTL). */
function neverExpiringText(ttlPercent: Dec): string {
  const never = dec(100).minus(ttlPercent);
  return formatTrimmed(never, decimalsApart(never, ZERO, 1));
}
