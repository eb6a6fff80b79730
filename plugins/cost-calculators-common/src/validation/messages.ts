import type { InputError } from '../types';

/** Formats a number the way messages quote it: plain digits, no grouping or exponent. */
export function quote(value: unknown): string {
  if (typeof value === 'number') {
    return Number.isInteger(value) && Math.abs(value) >= 1e21
      ? BigInt(value).toString()
      : String(value);
  }
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

function unitSuffix(unit?: string): string {
  return unit ? ` ${unit}` : '';
}

/** "`x` must not be negative (got -5)." */
export function negativeError(input: string, got: unknown): InputError {
  return {
    input,
    code: 'negative',
    message: `${input} must not be negative (got ${quote(got)}).`,
  };
}

/** "`x` must be between 0 and 100 % (got 120)." */
export function rangeError(
  input: string,
  min: number | string,
  max: number | string,
  got: unknown,
  unit?: string,
): InputError {
  return {
    input,
    code: 'out_of_range',
    message: `${input} must be between ${quote(min)} and ${quote(
      max,
    )}${unitSuffix(unit)} (got ${quote(got)}).`,
  };
}

/**
 * "`x` must be a plain number such as 1000 or 0.5, without thousands separators
 * or units (got 1,000)." Says what to type: "1,000" and "5 GB" are numbers to the
 * person who typed them, so "must be a number" alone does not tell them what is wrong.
 * Separators are refused rather than stripped: "1,000" is one thousand in one
 * locale and one in another, and a calculator must not guess.
 */
export function notANumberError(input: string, got: unknown): InputError {
  return {
    input,
    code: 'out_of_range',
    message: `${input} must be a plain number such as 1000 or 0.5, without thousands separators or units (got ${quote(
      got,
    )}).`,
  };
}

/** "`x` must be a whole number (got 2.5)." */
export function notIntegerError(input: string, got: unknown): InputError {
  return {
    input,
    code: 'not_integer',
    message: `${input} must be a whole number (got ${quote(got)}).`,
  };
}

/** "`x` is required." (optionally with the reason the note gives). */
export function requiredError(input: string, when?: string): InputError {
  return {
    input,
    code: 'required',
    message: when ? `${input} is required ${when}` : `${input} is required.`,
  };
}

/** A cross-field inconsistency with a free-form message. */
export function inconsistentError(input: string, message: string): InputError {
  return { input, code: 'inconsistent', message };
}
