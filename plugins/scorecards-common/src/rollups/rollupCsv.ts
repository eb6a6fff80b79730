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

function cell(value: string | number): string {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
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
