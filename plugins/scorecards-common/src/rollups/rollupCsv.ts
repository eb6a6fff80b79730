import { RollupRow } from './computeRollups';

/** CSV columns of the rollup export, in the order of scorecards §7.3. */
export const ROLLUP_CSV_COLUMNS = [
  'key',
  'kind',
  'entities',
  'L0',
  'L1',
  'L2',
  'L3',
  'none',
  'not_rated',
  'at_or_above_expected',
  'below_expected',
  'failing_service_owned',
  'platform_blocked',
  'unknown',
  'waivers_active',
  'waivers_expiring_14d',
  'regressions_7d',
] as const;

/**
 * One CSV cell. Text cells (key, kind) come from configuration and the catalog, not from us:
 * an owner key such as `@acme/platform-team`, or one written to attack, would be read by a
 * spreadsheet as a formula. Following OWASP's CSV-injection guidance, a text cell starting with
 * `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'` (the spreadsheet shows the text
 * as typed). Number cells are written as numbers and never prefixed, so they stay numeric (a
 * negative count would keep its sign). Then RFC 4180 quoting: a cell holding `"`, `,`, CR or LF
 * is quoted, with `"` doubled.
 */
function cell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rollup rows as CSV with the same rows and numbers as the JSON (SR37). */
export function rollupRowsToCsv(rows: readonly RollupRow[]): string {
  const lines = [ROLLUP_CSV_COLUMNS.join(',')];
  for (const r of rows) {
    lines.push(
      [
        r.key,
        r.kind,
        r.entities,
        r.byLevel.L0,
        r.byLevel.L1,
        r.byLevel.L2,
        r.byLevel.L3,
        r.byLevel.none,
        r.notRated,
        r.atOrAboveExpected,
        r.belowExpected,
        r.failingServiceOwned,
        r.platformBlocked,
        r.unknown,
        r.waiversActive,
        r.waiversExpiring14d,
        r.regressions7d,
      ]
        .map(cell)
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
