import { z } from 'zod';
import { Dec, ZERO, dec } from '../money';
import { DATABASE_TIERS, DECIMAL_PRICE } from '../priceBook/priceBookSchema';
import { requiredError } from '../validation/messages';
import {
  decimalField,
  enumField,
  optionalBoolField,
  optionalDecimalField,
  optionalIntField,
  optionalMonthlyMoneyField,
  optionalTextField,
} from '../validation/fields';
import {
  defineCalculator,
  out,
  textOut,
  RuleEvaluation,
  InputLabels,
} from './defineCalculator';
import { hourlyPriceOfSku } from './hourlySku';

/** A book's decimal string as a decimal; NaN (refused by every range) when it is none. */
function decimalOrNaN(value: unknown): Dec {
  return typeof value === 'string' && DECIMAL_PRICE.test(value)
    ? dec(value)
    : dec(NaN);
}

/** Inputs of C15. */
export const provisioningEstimateSchema = z.object({
  databaseTier: enumField(DATABASE_TIERS),
  instanceHourly: optionalDecimalField({ min: 0, max: 10_000, unit: 'USD/h' }),
  priceBookSku: optionalTextField(),
  ha: optionalBoolField(),
  haInstanceMultiplier: optionalDecimalField({ min: 1, max: 3, unit: '×' }),
  haStorageMultiplier: optionalDecimalField({ min: 1, max: 3, unit: '×' }),
  readReplicas: optionalIntField({ min: 0, max: 15 }),
  storageGiB: decimalField({ min: 1, max: 65_536, unit: 'GiB' }),
  storagePricePerGiBMonth: optionalDecimalField({
    min: 0,
    max: 100,
    unit: 'USD/GiB-month',
  }),
  backupGiBBeyondFree: optionalDecimalField({ min: 0, max: 1e6, unit: 'GiB' }),
  backupPricePerGiBMonth: optionalDecimalField({
    min: 0,
    max: 100,
    unit: 'USD/GiB-month',
  }),
  approvalThresholdMonthly: optionalMonthlyMoneyField(),
});

/** Labels and units of the C15 inputs (the form, its messages and the markdown export read them). */
export const provisioningEstimateInputs: InputLabels<
  typeof provisioningEstimateSchema
> = {
  databaseTier: { label: 'Database tier' },
  instanceHourly: { label: 'Instance hourly price', unit: 'USD/h' },
  priceBookSku: { label: 'Price-book SKU' },
  ha: { label: 'High availability' },
  haInstanceMultiplier: { label: 'HA instance multiplier', unit: '×' },
  haStorageMultiplier: { label: 'HA storage multiplier', unit: '×' },
  readReplicas: { label: 'Read replicas' },
  storageGiB: { label: 'Storage', unit: 'GiB' },
  storagePricePerGiBMonth: { label: 'Storage price', unit: 'USD/GiB-month' },
  backupGiBBeyondFree: {
    label: 'Backup beyond the free allowance',
    unit: 'GiB',
  },
  backupPricePerGiBMonth: { label: 'Backup price', unit: 'USD/GiB-month' },
  approvalThresholdMonthly: { label: 'Approval threshold', unit: 'USD/month' },
};

/** Raw C15 input. */
export type ProvisioningEstimateInput = z.input<
  typeof provisioningEstimateSchema
>;

/** C15 `provisioning-estimate`: monthly cost of a requested database tier and whether it needs extra approval. */
export const provisioningEstimate = defineCalculator({
  id: 'provisioning-estimate',
  version: 1,
  title: 'Provisioning estimate',
  question:
    'What will the requested database tier cost per month, and does it need extra approval?',
  sources: ['44', '79', '68'],
  caveats: [
    'Shown to the requester before submit and stored with the request record: self-service that hides spend produces cost surprises (44).',
    'HA multipliers default to RDS Multi-AZ (2 × instance, 2 × storage); Aurora is 2 × instance, 1 × storage (vendor-doc).',
  ],
  schema: provisioningEstimateSchema,
  inputs: provisioningEstimateInputs,
  evaluate(input, h) {
    const tierId = input.databaseTier;
    let hourly: Dec;
    if (input.instanceHourly !== undefined) hourly = input.instanceHourly;
    else if (input.priceBookSku !== undefined) {
      const sku = hourlyPriceOfSku(h, 'instanceHourly', input.priceBookSku);
      if ('error' in sku) return { errors: [sku.error] };
      hourly = sku.price;
    } else
      return {
        errors: [
          requiredError('instanceHourly', 'unless a price-book SKU is given.'),
        ],
      };

    // Tier defaults are read only for the inputs the caller left empty.
    const needsTier =
      input.ha === undefined ||
      input.readReplicas === undefined ||
      input.approvalThresholdMonthly === undefined;
    // A book without the tier is an error naming it, not a tier without HA and a $0 threshold.
    const tier = needsTier ? h.pb.tier(tierId) : undefined;
    const ha =
      input.ha ?? h.derived('ha', tier?.ha ?? false, `tiers.${tierId}`);
    // The tier's values fill inputs: held to their ranges like typed values.
    const fromTier = <T extends number | string>(id: string, value: T): T => {
      const d = typeof value === 'number' ? dec(value) : decimalOrNaN(value);
      h.bookDefault(id, d, 'tier', tierId, String(value));
      return h.derived(id, value, `tiers.${tierId}`);
    };
    const replicas =
      input.readReplicas ?? fromTier('readReplicas', tier?.readReplicas ?? 0);
    const threshold =
      input.approvalThresholdMonthly ??
      dec(
        fromTier(
          'approvalThresholdMonthly',
          tier?.approvalThresholdMonthly ?? '0',
        ),
      );
    const haInst =
      input.haInstanceMultiplier ??
      dec(h.orDefault('haInstanceMultiplier', undefined, '2'));
    const haStor =
      input.haStorageMultiplier ??
      dec(h.orDefault('haStorageMultiplier', undefined, '2'));
    const storagePrice = h.price(
      'storagePricePerGiBMonth',
      input.storagePricePerGiBMonth,
      'aws.rds.gp2-storage',
    );
    const backupGiB = input.backupGiBBeyondFree ?? ZERO;
    const backupPrice =
      backupGiB.isZero() && input.backupPricePerGiBMonth === undefined
        ? ZERO
        : h.price(
            'backupPricePerGiBMonth',
            input.backupPricePerGiBMonth,
            'aws.rds.backup-storage',
          );
    const H = h.hoursPerMonth();

    const instanceMonthly = hourly
      .times(H)
      .times((ha ? haInst : dec(1)).plus(replicas));
    const storageMonthly = input.storageGiB
      .times(storagePrice)
      .times((ha ? haStor : dec(1)).plus(replicas));
    const backupMonthly = backupGiB.times(backupPrice);
    const total = instanceMonthly.plus(storageMonthly).plus(backupMonthly);
    const needsApproval = total.greaterThan(threshold);
    const production = tierId.startsWith('production');
    const rules: RuleEvaluation[] = [
      {
        id: 'R-PROV-HA',
        status: production && !ha ? 'fired' : 'passed',
        severity: 'blocked',
        sources: ['44', '68'],
        sentence:
          'Production tiers include high availability; request an exception instead.',
      },
      {
        id: 'R-PROV-APPROVAL',
        status: needsApproval ? 'fired' : 'passed',
        severity: 'wait',
        sources: ['44'],
        sentence: `Estimated ${h.money(
          total,
          threshold,
        )}/month is above the ${tierId} threshold of ${h.money(
          threshold,
          total,
        )}: an extra approval is required.`,
      },
      {
        id: 'R-PROV-NONPROD',
        status: production ? 'passed' : 'fired',
        severity: 'info',
        sources: ['44'],
        sentence: `Estimated ${h.money(
          total,
        )}/month; a non-production database can be paused outside working hours (see nonprod-schedule).`,
      },
      {
        id: 'R-PROV-WITHIN',
        status: production && !needsApproval ? 'fired' : 'passed',
        severity: 'info',
        sources: ['44'],
        sentence: `Estimated ${h.money(
          total,
        )}/month is within the ${tierId} threshold of ${h.money(threshold)}.`,
      },
    ];
    return {
      outputs: [
        out('instanceMonthly', 'Instances', 'money/month', instanceMonthly),
        out('storageMonthly', 'Storage', 'money/month', storageMonthly),
        out('backupMonthly', 'Backups', 'money/month', backupMonthly),
        out('total', 'Total', 'money/month', total),
        textOut('needsApproval', 'Needs extra approval', needsApproval),
      ],
      rules,
    };
  },
});
