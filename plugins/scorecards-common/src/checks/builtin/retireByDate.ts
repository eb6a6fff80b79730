import { zonedDateProblem } from '../../model/isoDates';

/**
 * The instant of an `ops.example.com/retire-by` value, or NaN when it is not one: a date
 * (`2026-09-30`, UTC midnight, as a standard's dates) or a date-time with `Z` or an offset
 * (`zonedDateProblem`). `Date.parse` alone reads `2026-02-31` as 3 March, accepts free text such
 * as `March 1, 2026` and reads a zone-less date-time in the server's zone; a retirement date must
 * say what the owner meant.
 */
export function retireByMs(value: string | undefined): number {
  if (typeof value !== 'string' || zonedDateProblem(value) !== null)
    return Number.NaN;
  return Date.parse(value);
}
