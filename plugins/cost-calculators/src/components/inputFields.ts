import {
  CALCULATORS,
  CalculatorId,
} from '@internal/plugin-cost-calculators-common';

/** How a calculator input is edited. */
export type InputFieldKind =
  | 'number'
  | 'enum'
  | 'boolean'
  | 'date'
  | 'text'
  | 'clients';

/** A form field for one calculator input, derived from the calculator's schema. */
export interface InputField {
  id: string;
  label: string;
  kind: InputFieldKind;
  required: boolean;
  /** Enum values. */
  options?: string[];
  /** Valid range and unit as the schema states them ("0–100 %"). */
  range?: string;
  integer?: boolean;
}

interface SafeParseable {
  safeParse(value: unknown):
    | { success: true }
    | {
        success: false;
        error: {
          issues: { message: string; params?: { code?: string } }[];
        };
      };
}

const PLACEHOLDER = '{input} ';
const HUGE = '9'.repeat(25);

function firstIssue(
  schema: SafeParseable,
  value: unknown,
): { message: string; code?: string } | undefined {
  const parsed = schema.safeParse(value);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0];
  return issue && { message: issue.message, code: issue.params?.code };
}

/**
 * Derives a field from the common package's schema by asking it how it rejects probe values.
 * The calculators own validation (and its messages, fixed by the design note); the form only
 * needs the kind, enum values and range, so it reads them back instead of restating them.
 * The label is the calculator's own, the one the markdown export uses too.
 */
function describeField(
  id: string,
  schema: SafeParseable,
  label: string,
): InputField {
  const base = {
    id,
    label,
    required: firstIssue(schema, undefined)?.code === 'required',
  };
  const probe = firstIssue(schema, {})?.message ?? '';
  if (!probe.startsWith(PLACEHOLDER)) {
    // Structural errors (an array schema rejects an object): the C10 client list.
    return { ...base, kind: 'clients' };
  }
  const rule = probe.slice(PLACEHOLDER.length);
  const oneOf = /^must be one of (.*) \(got /.exec(rule);
  if (oneOf) return { ...base, kind: 'enum', options: oneOf[1].split(', ') };
  if (rule.startsWith('must be true or false'))
    return { ...base, kind: 'boolean' };
  if (rule.startsWith('must be a date')) return { ...base, kind: 'date' };
  if (rule.startsWith('must be text')) return { ...base, kind: 'text' };
  const range = /^must be between (\S+) and (\S+)(?: (.+?))? \(got /.exec(
    firstIssue(schema, HUGE)?.message.slice(PLACEHOLDER.length) ?? '',
  );
  const integer =
    firstIssue(schema, '0.5')?.message.includes('whole number') ?? false;
  return {
    ...base,
    kind: 'number',
    integer,
    ...(range
      ? {
          range: `${grouped(range[1])}–${grouped(range[2])}${
            range[3] ? ` ${range[3]}` : ''
          }`,
        }
      : {}),
  };
}

/**
 * A bound as the hint shows it: digits grouped ("1,000,000,000"), since a
 * limit of nine zeros is not readable at a glance. Anything that is not a
 * plain decimal is shown as the schema wrote it.
 */
function grouped(bound: string): string {
  if (!/^-?\d+(\.\d+)?$/.test(bound)) return bound;
  return Number(bound).toLocaleString('en-US', { maximumFractionDigits: 20 });
}

const cache = new Map<CalculatorId, InputField[]>();

/** The form fields of a calculator, in schema order. */
export function inputFieldsOf(calculatorId: CalculatorId): InputField[] {
  const cached = cache.get(calculatorId);
  if (cached) return cached;
  const calculator = CALCULATORS[calculatorId];
  const shape = (
    calculator.schema as unknown as {
      shape: Record<string, SafeParseable>;
    }
  ).shape;
  const fields = Object.entries(shape).map(([id, schema]) =>
    describeField(id, schema, calculator.inputs[id].label),
  );
  cache.set(calculatorId, fields);
  return fields;
}
