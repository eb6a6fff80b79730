import { RollupRow } from './computeRollups';
import { ROLLUP_CSV_COLUMNS, rollupRowsToCsv } from './rollupCsv';

/** A rollup row with every count 0 but `over`. */
const row = (key: string, over: Partial<RollupRow> = {}): RollupRow => ({
  key,
  kind: 'owner',
  entities: 0,
  byLevel: { L0: 0, L1: 0, L2: 0, L3: 0, none: 0 },
  notRated: 0,
  atOrAboveExpected: 0,
  belowExpected: 0,
  failingServiceOwned: 0,
  platformBlocked: 0,
  unknown: 0,
  waiversActive: 0,
  waiversExpiring14d: 0,
  regressions7d: 0,
  checks: {},
  ...over,
});

/** The data lines of the CSV (header dropped). */
const dataLines = (rows: RollupRow[]) =>
  rollupRowsToCsv(rows).slice(0, -1).split('\n').slice(1);

describe('rollupRowsToCsv', () => {
  it('neutralises text cells a spreadsheet would read as a formula (= + - @ tab CR)', () => {
    const lines = dataLines([
      row('@acme/platform-team', { entities: 3 }),
      row('=HYPERLINK("https://evil.example","x")'),
      row('+1+1'),
      row('-2+3'),
      row('\t=1+1'),
      row('\r=1+1'),
    ]);
    expect(lines[0]).toBe(`'@acme/platform-team,owner,3${',0'.repeat(14)}`);
    expect(lines[1]).toMatch(
      /^"'=HYPERLINK\(""https:\/\/evil\.example"",""x""\)",owner,/,
    );
    expect(lines[2]).toMatch(/^'\+1\+1,owner,0,/);
    expect(lines[3]).toMatch(/^'-2\+3,owner,0,/);
    expect(lines[4]).toMatch(/^'\t=1\+1,owner,0,/);
    // CR is quoted as well as prefixed: a bare CR would end the record in most readers.
    expect(rollupRowsToCsv([row('\r=1+1')]).split('\n')[1]).toMatch(
      /^"'\r=1\+1",owner,0,/,
    );
  });

  it('leaves ordinary keys and every number cell as they are', () => {
    const [line] = dataLines([
      row('group:default/checkout-team', {
        entities: 3,
        byLevel: { L0: 0, L1: 2, L2: 1, L3: 0, none: 0 },
        belowExpected: 2,
        // No column is negative today; a number must still never be turned into text.
        regressions7d: -1,
      }),
    ]);
    const cells = line.split(',');
    expect(cells).toHaveLength(ROLLUP_CSV_COLUMNS.length);
    expect(cells[0]).toBe('group:default/checkout-team');
    expect(cells.slice(2)).toEqual([
      '3',
      '0',
      '2',
      '1',
      '0',
      '0',
      '0',
      '0',
      '2',
      '0',
      '0',
      '0',
      '0',
      '0',
      '-1',
    ]);
  });

  it('quotes a cell holding a carriage return', () => {
    const csv = rollupRowsToCsv([row('group:default/a\rb')]);
    expect(csv.split('\n')[1]).toMatch(/^"group:default\/a\rb",owner,0,/);
  });
});
