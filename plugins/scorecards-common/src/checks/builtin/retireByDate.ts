import { startsWithCalendarDay } from '../../model/isoDates';

/**
 * The instant of an `ops.example.com/retire-by` value (an ISO date, `2026-09-30`, or date-time),
 * or NaN when it is not one. `Date.parse` alone reads `2026-02-31` as 3 March and accepts free
 * text such as `March 1, 2026`; a retirement date must say what the owner meant.
 */
export function retireByMs(value: string | undefined): number {
  if (!value || !startsWithCalendarDay(value)) return Number.NaN;
  return Date.parse(value);
}
