import { z } from 'zod';
import { Dec, dec } from '../money';
import { isIsoDate } from '../dates';
import type { InputError, InputErrorCode } from '../types';
import {
  negativeError,
  notANumberError,
  notIntegerError,
  quote,
  rangeError,
  requiredError,
} from './messages';

/*
 * Field schemas for calculator inputs. Messages are written with the
 * placeholder `{input}`; `toInputErrors` substitutes the issue path, so the
 * same schema names `poolSize` or `clients[1].poolSize` correctly.
 */

const DECIMAL_STRING = /^-?\d+(\.\d+)?$/;
const INPUT = '{input}';

type Ctx = z.core.$RefinementCtx<unknown>;

function report(ctx: Ctx, error: InputError) {
  ctx.addIssue({
    code: 'custom',
    message: error.message,
    params: { code: error.code },
  });
}

/** A number field's declared range: inclusive bounds, unit, whole numbers only. */
export interface NumberSpec {
  min: number;
  max: number;
  /** Unit quoted in the range message ("%", "USD/month"); omitted for plain counts. */
  unit?: string;
  integer?: boolean;
}

/**
 * The declared range of every number field built here, so that a value that never went
 * through the field (a price-book default) can be held to the same range ({@link rangeOf}).
 */
const RANGES = new WeakMap<object, NumberSpec>();

function withRange<T extends object>(field: T, spec: NumberSpec): T {
  RANGES.set(field, { ...spec });
  return field;
}

/** The range a number field declares (undefined for other fields, or a field wrapped after it was built). */
export function rangeOf(field: unknown): NumberSpec | undefined {
  return typeof field === 'object' && field !== null
    ? RANGES.get(field)
    : undefined;
}

/** A range as messages state it, completing "must be …": "between 10 and 95 %", "a whole number between 1 and 5". */
export function describeRange(spec: NumberSpec): string {
  const whole = spec.integer ? 'a whole number ' : '';
  const unit = spec.unit ? ` ${spec.unit}` : '';
  return `${whole}between ${quote(spec.min)} and ${quote(spec.max)}${unit}`;
}

/** True when `value` lies in `spec`'s range (and is whole when the spec asks for it). */
export function inRange(value: Dec, spec: NumberSpec): boolean {
  return (
    value.isFinite() &&
    !value.lessThan(spec.min) &&
    !value.greaterThan(spec.max) &&
    (!spec.integer || value.isInteger())
  );
}

function toNumberLike(value: unknown): Dec | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return dec(value);
  if (typeof value === 'string' && DECIMAL_STRING.test(value.trim())) {
    return dec(value.trim());
  }
  return undefined;
}

function checkNumber(value: unknown, spec: NumberSpec, ctx: Ctx): void {
  const d = toNumberLike(value);
  if (d === undefined) {
    report(ctx, notANumberError(INPUT, value));
    return;
  }
  if (d.isNegative() && !d.isZero() && spec.min >= 0) {
    report(ctx, negativeError(INPUT, value));
    return;
  }
  if (spec.integer && !d.isInteger()) {
    report(ctx, notIntegerError(INPUT, value));
    return;
  }
  if (d.lessThan(spec.min) || d.greaterThan(spec.max)) {
    report(ctx, rangeError(INPUT, spec.min, spec.max, value, spec.unit));
  }
}

/**
 * Nothing typed: absent, null, or only spaces. A number field holding spaces has no
 * number in it, so it is "required" (or "not given"), not a malformed number.
 */
function isBlank(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    (typeof value === 'string' && value.trim() === '')
  );
}

/** A required decimal field with an inclusive range; parses to an exact decimal. */
export function decimalField(spec: NumberSpec) {
  const field = z
    .unknown()
    .superRefine((value, ctx) => {
      if (isBlank(value)) {
        report(ctx, requiredError(INPUT));
        return;
      }
      checkNumber(value, spec, ctx);
    })
    .transform(value => toNumberLike(value) as Dec);
  return withRange(field, spec);
}

/** An optional decimal field; `undefined` means "not given" (use a default or mark unknown). */
export function optionalDecimalField(spec: NumberSpec) {
  const field = z
    .unknown()
    .superRefine((value, ctx) => {
      if (isBlank(value)) return;
      checkNumber(value, spec, ctx);
    })
    .transform(value =>
      isBlank(value) ? undefined : (toNumberLike(value) as Dec),
    )
    .optional();
  return withRange(field, spec);
}

/** A required whole-number field. */
export function intField(spec: Omit<NumberSpec, 'integer'>) {
  const whole = { ...spec, integer: true };
  return withRange(
    decimalField(whole).transform(d => d.toNumber()),
    whole,
  );
}

/** An optional whole-number field. */
export function optionalIntField(spec: Omit<NumberSpec, 'integer'>) {
  const whole = { ...spec, integer: true };
  return withRange(
    optionalDecimalField(whole)
      .transform(d => (d === undefined ? undefined : d.toNumber()))
      .optional(),
    whole,
  );
}

/** Money per month: USD/month, 0–1e9 unless stated. */
export function monthlyMoneyField(max = 1e9) {
  return decimalField({ min: 0, max, unit: 'USD/month' });
}

/** Optional money per month. */
export function optionalMonthlyMoneyField(max = 1e9) {
  return optionalDecimalField({ min: 0, max, unit: 'USD/month' });
}

/** Percentage field with the "%" unit in its message. */
export function percentField(min = 0, max = 100) {
  return decimalField({ min, max, unit: '%' });
}

/** Optional percentage field. */
export function optionalPercentField(min = 0, max = 100) {
  return optionalDecimalField({ min, max, unit: '%' });
}

/** One of a fixed set of strings. */
export function enumField<T extends string>(values: readonly T[]) {
  return z
    .unknown()
    .superRefine((value, ctx) => {
      if (value === undefined || value === null || value === '') {
        report(ctx, requiredError(INPUT));
        return;
      }
      if (!values.includes(value as T)) {
        report(ctx, {
          input: INPUT,
          code: 'out_of_range',
          message: `${INPUT} must be one of ${values.join(', ')} (got ${quote(
            value,
          )}).`,
        });
      }
    })
    .transform(value => value as T);
}

/** Optional enum. */
export function optionalEnumField<T extends string>(values: readonly T[]) {
  return z
    .unknown()
    .superRefine((value, ctx) => {
      if (value === undefined || value === null || value === '') return;
      if (!values.includes(value as T)) {
        report(ctx, {
          input: INPUT,
          code: 'out_of_range',
          message: `${INPUT} must be one of ${values.join(', ')} (got ${quote(
            value,
          )}).`,
        });
      }
    })
    .transform(value =>
      value === undefined || value === null || value === ''
        ? undefined
        : (value as T),
    )
    .optional();
}

/** Optional boolean; also accepts "true"/"false" from links and annotations. */
export function optionalBoolField() {
  return z
    .unknown()
    .superRefine((value, ctx) => {
      if (value === undefined || value === null || value === '') return;
      if (typeof value === 'boolean' || value === 'true' || value === 'false') {
        return;
      }
      report(ctx, {
        input: INPUT,
        code: 'out_of_range',
        message: `${INPUT} must be true or false (got ${quote(value)}).`,
      });
    })
    .transform(value =>
      value === undefined || value === null || value === ''
        ? undefined
        : value === true || value === 'true',
    )
    .optional();
}

/** Optional ISO date (YYYY-MM-DD). */
export function optionalDateField() {
  return z
    .unknown()
    .superRefine((value, ctx) => {
      if (value === undefined || value === null || value === '') return;
      if (!isIsoDate(value)) {
        report(ctx, {
          input: INPUT,
          code: 'out_of_range',
          message: `${INPUT} must be a date YYYY-MM-DD (got ${quote(value)}).`,
        });
      }
    })
    .transform(value =>
      value === undefined || value === null || value === ''
        ? undefined
        : (value as string),
    )
    .optional();
}

/** Required, non-blank text (a C10 client name): missing or blank is `required` (§0). */
export function textField() {
  return z
    .unknown()
    .superRefine((value, ctx) => {
      if (
        value === undefined ||
        value === null ||
        (typeof value === 'string' && value.trim() === '')
      ) {
        report(ctx, requiredError(INPUT));
        return;
      }
      if (typeof value !== 'string') {
        report(ctx, {
          input: INPUT,
          code: 'out_of_range',
          message: `${INPUT} must be text (got ${quote(value)}).`,
        });
      }
    })
    .transform(value => value as string);
}

/** Optional free-text identifier (e.g. a price-book SKU). */
export function optionalTextField() {
  return z
    .unknown()
    .superRefine((value, ctx) => {
      if (value === undefined || value === null || value === '') return;
      if (typeof value !== 'string') {
        report(ctx, {
          input: INPUT,
          code: 'out_of_range',
          message: `${INPUT} must be text (got ${quote(value)}).`,
        });
      }
    })
    .transform(value =>
      value === undefined || value === null || value === ''
        ? undefined
        : (value as string),
    )
    .optional();
}

/**
 * An optional list of at most `max` rows. Too many rows is a §0 range error on
 * the list itself ("clients must be between 0 and 50 rows (got 51)."), not a
 * structural one: the form shows it under the list.
 */
export function optionalListField<T extends z.ZodType>(item: T, max: number) {
  return z
    .array(item)
    .superRefine((rows, ctx) => {
      if (rows.length > max)
        report(ctx, rangeError(INPUT, 0, max, rows.length, 'rows'));
    })
    .optional();
}

function pathName(path: PropertyKey[]): string {
  return path.reduce<string>((acc, part) => {
    if (typeof part === 'number') return `${acc}[${part}]`;
    return acc ? `${acc}.${String(part)}` : String(part);
  }, '');
}

/** Maps zod issues to the note's `{ input, code, message }` errors. */
export function toInputErrors(error: z.ZodError): InputError[] {
  return error.issues.map(issue => {
    const input = pathName(issue.path);
    const params = (issue as { params?: { code?: InputErrorCode } }).params;
    if (params?.code) {
      return {
        input,
        code: params.code,
        message: issue.message.split(INPUT).join(input),
      };
    }
    // Structural problems (input not an object, unknown array shape).
    return {
      input,
      code: 'inconsistent' as const,
      message: `${input || 'input'}: ${issue.message}`,
    };
  });
}
