import { z } from 'zod';
import { dec, formatFixed } from '../money';
import { rangeError } from '../validation/messages';
import {
  decimalField,
  optionalDecimalField,
  optionalIntField,
  optionalPercentField,
} from '../validation/fields';
import { TIB_BYTES } from '../units';
import {
  defineCalculator,
  statusOf,
  out,
  RuleEvaluation,
  InputLabels,
} from './defineCalculator';

/** Inputs of C5. */
export const bigqueryQueryGuardSchema = z.object({
  tableTiB: decimalField({ min: 0, max: 1e6, unit: 'TiB' }),
  totalPartitions: optionalIntField({ min: 1, max: 1e6 }),
  partitionsScanned: optionalIntField({ min: 0, max: 1e6 }),
  columnSharePercent: optionalPercentField(),
  onDemandPerTiB: optionalDecimalField({ min: 0, max: 1000, unit: 'USD/TiB' }),
  perQueryBudget: optionalDecimalField({ min: 0.01, max: 1e6, unit: 'USD' }),
});

/** Labels and units of the C5 inputs (the form, its messages and the markdown export read them). */
export const bigqueryQueryGuardInputs: InputLabels<
  typeof bigqueryQueryGuardSchema
> = {
  tableTiB: { label: 'Table size', unit: 'TiB' },
  totalPartitions: { label: 'Partitions in the table' },
  partitionsScanned: { label: 'Partitions scanned' },
  columnSharePercent: {
    label: 'Share of table bytes in referenced columns',
    unit: '%',
  },
  onDemandPerTiB: { label: 'On-demand price per TiB', unit: 'USD/TiB' },
  perQueryBudget: { label: 'Per-query budget', unit: 'USD' },
};

/** Raw C5 input. */
export type BigqueryQueryGuardInput = z.input<typeof bigqueryQueryGuardSchema>;

/** C5 `bigquery-query-guard`: a query's scan cost, the pruning saving and a matching maximum_bytes_billed. */
export const bigqueryQueryGuard = defineCalculator({
  id: 'bigquery-query-guard',
  version: 1,
  title: 'BigQuery query cost and byte limit',
  question:
    'What does this query cost, what does partition pruning save, and which maximum_bytes_billed matches a per-query budget?',
  sources: ['01', '51'],
  caveats: [
    'Billing follows the bytes of referenced columns, and LIMIT does not reduce them (vendor-doc).',
    'Clustering can cut more than modelled.',
    'Materialised views for dashboards are the next lever (01).',
  ],
  schema: bigqueryQueryGuardSchema,
  inputs: bigqueryQueryGuardInputs,
  evaluate(input, h) {
    const total = h.orDefault('totalPartitions', input.totalPartitions, 1);
    if (
      input.partitionsScanned !== undefined &&
      input.partitionsScanned > total
    ) {
      return {
        errors: [
          rangeError('partitionsScanned', 0, total, input.partitionsScanned),
        ],
      };
    }
    const scannedParts =
      input.partitionsScanned ??
      h.derived('partitionsScanned', total, 'totalPartitions');
    const share =
      input.columnSharePercent ??
      dec(h.orDefault('columnSharePercent', undefined, '100'));
    const perTiB = h.price(
      'onDemandPerTiB',
      input.onDemandPerTiB,
      'gcp.bigquery.on-demand-analysis',
    );
    const table = input.tableTiB;
    const scannedTiB = table
      .times(scannedParts)
      .div(total)
      .times(share)
      .div(100);
    const queryCost = scannedTiB.times(perTiB);
    const fullScanCost = table.times(perTiB);
    const pruningSaving = fullScanCost.minus(queryCost);
    const budget = input.perQueryBudget;
    const maxBytesBilled =
      budget === undefined || perTiB.isZero()
        ? null
        : budget.div(perTiB).times(TIB_BYTES).floor();
    const overBudget = budget !== undefined && queryCost.greaterThan(budget);
    const rules: RuleEvaluation[] = [
      {
        id: 'R-BQG-PARTITION',
        status:
          total === 1 && table.greaterThanOrEqualTo(1) ? 'fired' : 'passed',
        severity: 'do',
        sources: ['01'],
        sentence:
          'Multi-terabyte table without partitions: partition it and make a partition filter mandatory in the table definition.',
      },
      {
        id: 'R-BQG-BUDGET',
        status: statusOf(budget === undefined ? undefined : overBudget),
        severity: 'avoid',
        sources: ['01'],
        sentence: `Over the per-query budget: with maximum_bytes_billed = ${
          maxBytesBilled?.toFixed() ?? 'unset'
        } it would fail instead of billing ${h.money(queryCost)}.`,
      },
      {
        id: 'R-BQG-COST',
        status: 'fired',
        severity: 'info',
        sources: ['01'],
        sentence: `This query scans ${formatFixed(
          scannedTiB,
          2,
        )} TiB and costs ${h.money(queryCost)} (a full scan: ${h.money(
          fullScanCost,
        )}).${
          maxBytesBilled !== null
            ? ` Set maximum_bytes_billed = ${maxBytesBilled.toFixed()} to cap it at ${h.money(
                budget!,
              )}.`
            : ''
        }`,
      },
    ];
    return {
      outputs: [
        out('scannedTiB', 'Scanned', 'TiB', scannedTiB),
        out('queryCost', 'Query cost', 'money', queryCost),
        out('fullScanCost', 'Full-scan cost', 'money', fullScanCost),
        out('pruningSaving', 'Pruning saving', 'money', pruningSaving),
        out('maxBytesBilled', 'maximum_bytes_billed', 'bytes', maxBytesBilled),
      ],
      rules,
    };
  },
});
