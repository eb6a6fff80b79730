import { z } from 'zod';
import { dec, formatPercent } from '../money';
import {
  decimalField,
  monthlyMoneyField,
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

/** Inputs of C13. */
export const crossRegionReplicaSchema = z.object({
  primaryInstanceMonthly: monthlyMoneyField(),
  replicaSizeFactor: optionalDecimalField({ min: 0.25, max: 4, unit: '×' }),
  storageGiB: decimalField({ min: 0, max: 1e8, unit: 'GiB' }),
  storagePricePerGiBMonth: optionalDecimalField({
    min: 0,
    max: 100,
    unit: 'USD/GiB-month',
  }),
  changeGiBPerMonth: decimalField({ min: 0, max: 1e9, unit: 'GiB' }),
  transferPricePerGiB: optionalDecimalField({
    min: 0,
    max: 10,
    unit: 'USD/GiB',
  }),
  replicas: optionalIntField({ min: 1, max: 5 }),
  targetRpoSeconds: optionalDecimalField({ min: 0, max: 86_400, unit: 's' }),
});

/** Labels and units of the C13 inputs (the form, its messages and the markdown export read them). */
export const crossRegionReplicaInputs: InputLabels<
  typeof crossRegionReplicaSchema
> = {
  primaryInstanceMonthly: { label: 'Primary instance cost', unit: 'USD/month' },
  replicaSizeFactor: { label: 'Replica size factor', unit: '×' },
  storageGiB: { label: 'Storage', unit: 'GiB' },
  storagePricePerGiBMonth: { label: 'Storage price', unit: 'USD/GiB-month' },
  changeGiBPerMonth: {
    label: 'Changes shipped per month (WAL, binlog, redo)',
    unit: 'GiB',
  },
  transferPricePerGiB: {
    label: 'Inter-region transfer price',
    unit: 'USD/GiB',
  },
  replicas: { label: 'Replicas' },
  targetRpoSeconds: { label: 'Target RPO', unit: 's' },
};

/** Raw C13 input. */
export type CrossRegionReplicaInput = z.input<typeof crossRegionReplicaSchema>;

/** C13 `cross-region-replica`: what a DR replica adds per month, replication transfer included. */
export const crossRegionReplica = defineCalculator({
  id: 'cross-region-replica',
  version: 1,
  title: 'Cross-region DR replica',
  question:
    'What does a cross-region replica add per month, and what RPO does it buy?',
  sources: ['18', '51'],
  caveats: [
    'Internet egress is not modelled: no article gives egress figures or rules; only replication transfer between regions is.',
    'Replication multiplies storage (51).',
    'Paying for multi-region consistency the workload does not need is a known overspend (51).',
    'The transfer price is a vendor list price: verify it.',
  ],
  schema: crossRegionReplicaSchema,
  inputs: crossRegionReplicaInputs,
  evaluate(input, h) {
    const factor =
      input.replicaSizeFactor ??
      dec(h.orDefault('replicaSizeFactor', undefined, '1'));
    const storagePrice = h.price(
      'storagePricePerGiBMonth',
      input.storagePricePerGiBMonth,
      'aws.aurora.storage',
    );
    const transferPrice = h.price(
      'transferPricePerGiB',
      input.transferPricePerGiB,
      'aws.transfer.inter-region',
    );
    const replicas = h.orDefault('replicas', input.replicas, 1);
    const primary = input.primaryInstanceMonthly;
    const storageMonthly = input.storageGiB.times(storagePrice);
    const perReplica = primary
      .times(factor)
      .plus(storageMonthly)
      .plus(input.changeGiBPerMonth.times(transferPrice));
    const total = perReplica.times(replicas);
    const base = primary.plus(storageMonthly);
    const increase = base.isZero() ? null : total.div(base).times(100);
    const rpo = input.targetRpoSeconds;
    const rules: RuleEvaluation[] = [
      {
        id: 'R-DR-RPO0',
        status: statusOf(rpo === undefined ? undefined : rpo.isZero()),
        severity: 'avoid',
        sources: ['18'],
        sentence: 'Asynchronous cross-region replicas cannot give RPO 0.',
      },
      {
        id: 'R-DR-ADDS',
        status: 'fired',
        severity: 'info',
        sources: ['18'],
        // With no primary cost (0 instance, 0 storage) there is nothing to be a
        // percentage of: the sentence says so rather than print a placeholder.
        sentence: `Adds ${h.money(total)}/month (${
          increase
            ? `+${formatPercent(increase)}%`
            : 'no primary cost to compare with'
        }); promotion, DNS and client retries must be rehearsed together.`,
      },
    ];
    return {
      outputs: [
        out('perReplica', 'Per replica', 'money/month', perReplica),
        out('total', 'Total added', 'money/month', total),
        out(
          'increasePercent',
          'Increase over the primary',
          'percent',
          increase,
        ),
      ],
      rules,
    };
  },
});
