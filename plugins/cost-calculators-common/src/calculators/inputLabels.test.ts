import type { z } from 'zod';
import { CALCULATORS } from '.';
import { CALCULATOR_IDS } from '../types';
import type { InputLabel } from './defineCalculator';
import { rangeOf } from '../validation/fields';
import {
  connectionClientInputs,
  connectionClientSchema,
} from './connectionBudget';

/** The label the form used to derive from an id ("P95 cpu percent"): what a label must not be. */
function humanized(id: string): string {
  const words = id
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * Inputs whose id, split into words, is already the right label. Listed one by one, so an
 * input added with its id humanized as its label fails until someone decides that it reads well.
 */
const HUMANIZED_ID_IS_THE_LABEL = new Set([
  'bigquery-capacity baselineSlots',
  'bigquery-query-guard partitionsScanned',
  'db-licensing engineEdition',
  'db-licensing physicalCores',
  'db-licensing hoursPerMonth',
  'oss-migration-payback storedProcedures',
  'nonprod-schedule environment',
  'connection-budget clients',
  'failover-rto costPerMinuteDown',
  'cross-region-replica replicaSizeFactor',
  'cross-region-replica replicas',
  'provisioning-estimate databaseTier',
  'provisioning-estimate readReplicas',
  'connection-budget clients[] maxInstances',
  'connection-budget clients[] poolSize',
]);

type Shape = Record<string, z.ZodType>;

function shapeOf(schema: z.ZodType): Shape {
  return (schema as unknown as { shape: Shape }).shape;
}

/** The unit a field's range message quotes ("0 and 100 %"), if it quotes one. */
function schemaUnit(field: z.ZodType): string | undefined {
  const parsed = field.safeParse('9'.repeat(25));
  if (parsed.success) return undefined;
  const match = /must be between \S+ and \S+(?: (.+?))? \(got /.exec(
    parsed.error.issues[0]?.message ?? '',
  );
  return match?.[1];
}

/** Acronyms and units written the wrong way ("cpu", "Vcpus", "Gib", "Rto"). */
const MISCASED =
  /\b(?:cpu|Cpu|ip|Ip|vcpus?|Vcpus?|VCPUs?|rto|Rto|rpo|Rpo|gib|Gib|GIB|tib|Tib|TIB|tb|Tb|kms|Kms|hsm|Hsm|dek|Dek|ttl|Ttl|dns|Dns|etl|Etl|sku|Sku|ha|Ha|p95)\b/;

const rows: [string, string, Shape, Readonly<Record<string, InputLabel>>][] = [
  ...CALCULATOR_IDS.map(
    id =>
      [id, '', shapeOf(CALCULATORS[id].schema), CALCULATORS[id].inputs] as [
        string,
        string,
        Shape,
        Readonly<Record<string, InputLabel>>,
      ],
  ),
  [
    'connection-budget',
    'clients[] ',
    shapeOf(connectionClientSchema),
    connectionClientInputs,
  ],
];

describe('input labels', () => {
  it.each(rows)(
    '%s %slabels exactly its schema inputs',
    (_id, _row, shape, labels) => {
      expect(Object.keys(labels)).toEqual(Object.keys(shape));
    },
  );

  it.each(rows)(
    '%s %shas a written label for every input, not its id humanized',
    (id, row, shape, labels) => {
      const inputs = Object.keys(shape);
      for (const input of inputs) {
        const { label } = labels[input];
        expect([input, label.trim()]).toEqual([input, label]);
        expect([input, label.length > 0]).toEqual([input, true]);
        expect([input, MISCASED.exec(label)?.[0]]).toEqual([input, undefined]);
      }
      expect(
        inputs.filter(
          input =>
            labels[input].label === humanized(input) &&
            !HUMANIZED_ID_IS_THE_LABEL.has(`${id} ${row}${input}`),
        ),
      ).toEqual([]);
    },
  );

  it.each(rows)(
    '%s %sgives the unit its schema quotes in range messages',
    (_id, _row, shape, labels) => {
      // A count quotes no unit (see the next test for one the label gives).
      const quoting = Object.entries(shape).flatMap(([input, field]) => {
        const quoted = schemaUnit(field);
        return quoted === undefined ? [] : [[input, quoted]];
      });
      expect(quoting.map(([input]) => [input, labels[input].unit])).toEqual(
        quoting,
      );
    },
  );

  it.each(rows)(
    '%s %sshows the unit its label gives in the form’s range hint',
    (_id, _row, shape, labels) => {
      // The hint under a field (`rangeOf`) is the only place the form shows a unit: C1's
      // profile length read "0–3,650" where C2's read "0–3,650 days".
      const missing = Object.entries(shape).flatMap(([input, field]) => {
        const range = rangeOf(field);
        return labels[input]?.unit && range && !range.unit ? [input] : [];
      });
      expect(missing).toEqual([]);
    },
  );

  it('names the inputs of the note’s markdown example as it does', () => {
    expect(CALCULATORS['ri-vs-rightsize'].inputs.currentMonthly).toEqual({
      label: 'Current on-demand cost',
      unit: 'USD/month',
    });
    expect(CALCULATORS['ri-vs-rightsize'].inputs.rightSizedMonthly.label).toBe(
      'Right-sized on-demand cost',
    );
  });
});
