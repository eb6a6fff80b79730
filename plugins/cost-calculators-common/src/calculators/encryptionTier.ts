import { z } from 'zod';
import { Dec, ZERO, dec, formatTrimmed, minDec } from '../money';
import { SECONDS_PER_HOUR } from '../units';
import { requiredError } from '../validation/messages';
import {
  decimalField,
  enumField,
  intField,
  optionalDecimalField,
  optionalEnumField,
  optionalIntField,
} from '../validation/fields';
import {
  defineCalculator,
  statusOf,
  out,
  RuleEvaluation,
  InputLabels,
} from './defineCalculator';

/** Data classes (GP's data-classification values). */
export const DATA_CLASSES = ['low', 'critical-pii', 'pci-regulated'] as const;
/** Cryptographic tiers. */
export const CRYPTO_TIERS = ['tde', 'pgcrypto', 'kms', 'hsm'] as const;

/** Inputs of C12. */
export const encryptionTierSchema = z.object({
  dataClass: enumField(DATA_CLASSES),
  chosenTier: optionalEnumField(CRYPTO_TIERS),
  cryptoOpsPerSecond: decimalField({ min: 0, max: 1e6, unit: 'ops/s' }),
  appInstances: intField({ min: 1, max: 10_000 }),
  deksPerInstance: optionalIntField({ min: 1, max: 1000 }),
  dekCacheTtlSeconds: optionalDecimalField({ min: 0, max: 86_400, unit: 's' }),
  kmsPricePer10k: optionalDecimalField({ min: 0, max: 10, unit: 'USD' }),
  kmsKeyMonthly: optionalDecimalField({ min: 0, max: 100, unit: 'USD' }),
  kmsKeys: optionalIntField({ min: 0, max: 1000 }),
  hsmHourly: optionalDecimalField({ min: 0, max: 100, unit: 'USD/h' }),
  hsmCount: optionalIntField({ min: 0, max: 32 }),
  hsmOpsPerSecond: optionalDecimalField({ min: 0, max: 1e6, unit: 'ops/s' }),
  hsmOpsCapacityPerHsm: optionalDecimalField({
    min: 0,
    max: 1e6,
    unit: 'ops/s',
  }),
});

/** Labels and units of the C12 inputs (the form, its messages and the markdown export read them). */
export const encryptionTierInputs: InputLabels<typeof encryptionTierSchema> = {
  dataClass: { label: 'Data classification' },
  chosenTier: { label: 'Chosen tier (to check a design)' },
  cryptoOpsPerSecond: { label: 'Cryptographic operations', unit: 'ops/s' },
  appInstances: { label: 'Application instances' },
  deksPerInstance: { label: 'DEKs per instance' },
  dekCacheTtlSeconds: { label: 'DEK cache TTL (0 = no caching)', unit: 's' },
  kmsPricePer10k: { label: 'KMS price per 10,000 requests', unit: 'USD' },
  kmsKeyMonthly: { label: 'KMS price per key-month', unit: 'USD' },
  kmsKeys: { label: 'KMS keys' },
  hsmHourly: { label: 'HSM hourly price', unit: 'USD/h' },
  hsmCount: { label: 'HSMs' },
  hsmOpsPerSecond: { label: 'HSM operations', unit: 'ops/s' },
  hsmOpsCapacityPerHsm: { label: 'Operations capacity per HSM', unit: 'ops/s' },
};

/** Raw C12 input. */
export type EncryptionTierInput = z.input<typeof encryptionTierSchema>;

/** KMS calls per month with DEK caching: each instance fetches each DEK once per TTL. */
export function cachedKmsCalls(
  uncached: Dec,
  instances: number,
  deks: number,
  ttl: Dec,
  secondsPerMonth: Dec,
): Dec {
  if (ttl.isZero()) return uncached;
  return minDec(
    uncached,
    dec(instances).times(deks).times(secondsPerMonth.div(ttl).ceil()),
  );
}

/** C12 `encryption-tier`: which cryptographic tier a data class needs, and KMS/HSM cost at this throughput. */
export const encryptionTier = defineCalculator({
  id: 'encryption-tier',
  version: 1,
  title: 'Encryption tier',
  question:
    'Which cryptographic tier does this data class need, and what do KMS calls and HSMs cost at this throughput?',
  sources: ['26', '60'],
  caveats: [
    'Latency figures from 26: KMS 5–20 ms uncached, HSM 1–50 ms, pgcrypto sub-millisecond.',
    "KMS's monthly free requests are account-wide and are not credited to one database.",
    'A KMS custom key store needs at least two HSMs (vendor-doc).',
    'At-rest encryption for managed databases belongs in the Terraform module, not a per-team choice (60).',
  ],
  schema: encryptionTierSchema,
  inputs: encryptionTierInputs,
  evaluate(input, h) {
    const hsmOps = input.hsmOpsPerSecond ?? ZERO;
    if (
      hsmOps.greaterThan(0) &&
      (input.hsmOpsCapacityPerHsm === undefined ||
        input.hsmOpsCapacityPerHsm.isZero())
    ) {
      return {
        errors: [
          requiredError('hsmOpsCapacityPerHsm', 'when hsmOpsPerSecond > 0.'),
        ],
      };
    }
    const cls = input.dataClass;
    const tier = input.chosenTier;
    const H = h.hoursPerMonth();
    const SEC = H.times(SECONDS_PER_HOUR);
    const deks = h.orDefault('deksPerInstance', input.deksPerInstance, 1);
    const ttl = h.fact(
      'dekCacheTtlSeconds',
      input.dekCacheTtlSeconds,
      'kms.dek-cache-ttl-seconds',
    );
    const per10k = h.price(
      'kmsPricePer10k',
      input.kmsPricePer10k,
      'aws.kms.requests',
    );
    const keyMonthly = h.price(
      'kmsKeyMonthly',
      input.kmsKeyMonthly,
      'aws.kms.key-month',
    );
    const keys = h.orDefault('kmsKeys', input.kmsKeys, 1);
    const ops = input.cryptoOpsPerSecond;
    const uncachedCalls = ops.times(SEC);
    const cachedCalls = cachedKmsCalls(
      uncachedCalls,
      input.appInstances,
      deks,
      ttl,
      SEC,
    );
    const keysCost = keyMonthly.times(keys);
    const kmsMonthlyUncached = uncachedCalls
      .div(10_000)
      .times(per10k)
      .plus(keysCost);
    const kmsMonthly = cachedCalls.div(10_000).times(per10k).plus(keysCost);
    // HSM prices are read only when an HSM is in scope, so their age does not mark every result stale.
    const hsmInScope =
      cls === 'pci-regulated' || tier === 'hsm' || hsmOps.greaterThan(0);
    const hsmCount = hsmInScope
      ? h.orDefault('hsmCount', input.hsmCount, 2)
      : 0;
    const hsmMonthly = hsmInScope
      ? dec(hsmCount)
          .times(h.price('hsmHourly', input.hsmHourly, 'aws.cloudhsm.hsm-hour'))
          .times(H)
      : null;
    const hsmCapacity = input.hsmOpsCapacityPerHsm;
    // Utilisation has no value (null) without HSM ops, capacity or HSMs.
    const hsmUtilisation =
      hsmOps.greaterThan(0) && hsmCapacity && hsmCount > 0
        ? hsmOps.div(hsmCapacity.times(hsmCount)).times(100)
        : null;
    // HSM operations with no HSM at all (hsmCount 0, in the note's range) meet no capacity:
    // exhausted, not unknown — an unknown R-ENC-EXH let the class's "do" stand for a design
    // whose HSM work has nowhere to run.
    const noHsmForOps = hsmOps.greaterThan(0) && hsmCount === 0;
    let exhausted: boolean | undefined = false;
    if (hsmUtilisation !== null) exhausted = hsmUtilisation.greaterThan(80);
    else if (noHsmForOps) exhausted = true;
    else if (hsmOps.greaterThan(0)) exhausted = undefined;
    const classSentence: Record<(typeof DATA_CLASSES)[number], string> = {
      'pci-regulated':
        'HSM only for PAN and key-generation operations, behind an isolated service; KMS envelope encryption for everything else.',
      'critical-pii': `KMS envelope encryption with DEK caching (TTL ≤ 5 min): ${h.money(
        kmsMonthly,
      )}/month.`,
      low: 'Disk-level TDE; pgcrypto is fine for development.',
    };
    const rules: RuleEvaluation[] = [
      {
        id: 'R-ENC-CLASS',
        status: 'fired',
        severity: 'do',
        sources: ['26'],
        sentence: classSentence[cls],
      },
      {
        id: 'R-ENC-PGC',
        status: statusOf(
          tier === undefined ? undefined : tier === 'pgcrypto' && cls !== 'low',
        ),
        severity: 'blocked',
        sources: ['26'],
        sentence:
          'pgcrypto keys pass through the database engine and can surface in pg_stat_activity and logs.',
      },
      {
        id: 'R-ENC-OVER',
        status: statusOf(
          tier === undefined
            ? undefined
            : tier === 'hsm' && cls !== 'pci-regulated',
        ),
        severity: 'warning',
        sources: ['26'],
        sentence: `Over-rotation: ${
          hsmMonthly ? h.money(hsmMonthly) : '?'
        }/month plus HSM throughput risk for data KMS covers.`,
      },
      {
        id: 'R-ENC-EXH',
        status: statusOf(exhausted),
        severity: 'avoid',
        sources: ['26'],
        sentence: noHsmForOps
          ? `No HSM for ${formatTrimmed(
              hsmOps,
              2,
            )} HSM operations/s (0 HSMs): queueing spreads to every caller.`
          : 'HSM near its throughput ceiling: queueing spreads to every caller.',
      },
      {
        id: 'R-ENC-NOCACHE',
        status: ttl.isZero() && ops.greaterThan(0) ? 'fired' : 'passed',
        severity: 'warning',
        sources: ['26'],
        sentence: `Every operation becomes a 5–20 ms KMS call costing ${h.money(
          kmsMonthlyUncached,
        )}/month.`,
      },
    ];
    return {
      outputs: [
        out(
          'uncachedCalls',
          'KMS calls without caching',
          'calls',
          uncachedCalls,
        ),
        out('cachedCalls', 'KMS calls with caching', 'calls', cachedCalls),
        out(
          'kmsMonthlyUncached',
          'KMS monthly, uncached',
          'money/month',
          kmsMonthlyUncached,
        ),
        out('kmsMonthly', 'KMS monthly', 'money/month', kmsMonthly),
        out('hsmMonthly', 'HSM monthly', 'money/month', hsmMonthly),
        out(
          'hsmUtilisationPercent',
          'HSM utilisation',
          'percent',
          hsmUtilisation,
        ),
        out('tdeMonthly', 'TDE / pgcrypto incremental', 'money/month', ZERO),
      ],
      rules,
    };
  },
});
