import Decimal from 'decimal.js';

// The message formats of §5: money `$1,234.56`, instants `YYYY-MM-DD HH:mm UTC`, dates
// `YYYY-MM-DD`, lists joined by `, `. One place, so every builder renders them alike.

/**
 * `$1,234.56` — exact two-decimal rendering of a decimal amount (half-up at the cent).
 *
 * @public
 */
export function formatMoney(amount: Decimal.Value): string {
  const d = new Decimal(amount).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  const negative = d.isNegative();
  const [int, frac] = d.abs().toFixed(2).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}$${grouped}.${frac}`;
}

/**
 * `YYYY-MM-DD HH:mm UTC` for an ISO instant.
 *
 * @public
 */
export function formatInstant(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;
}

/**
 * `YYYY-MM-DD` (UTC) for an ISO instant or date.
 *
 * @public
 */
export function formatDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toISOString().slice(0, 10);
}

/**
 * Lists in messages are joined by `, `.
 *
 * @public
 */
export function formatList(items: readonly string[]): string {
  return items.join(', ');
}

const DAY_MS = 86_400_000;

/** Whole UTC days from the calendar day of `fromIso` to the calendar day of `toIso`. */
export function daysBetween(fromIso: string, toIso: string): number {
  const from = Date.parse(`${formatDate(fromIso)}T00:00:00Z`);
  const to = Date.parse(`${formatDate(toIso)}T00:00:00Z`);
  return Math.round((to - from) / DAY_MS);
}

/** The UTC calendar date `days` after the date of `iso`. */
export function addDays(iso: string, days: number): string {
  const start = Date.parse(`${formatDate(iso)}T00:00:00Z`);
  return new Date(start + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * True for a real calendar date written `YYYY-MM-DD` (`2026-02-31` is none).
 *
 * @public
 */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}
