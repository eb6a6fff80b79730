import {
  JSX,
  ReactNode,
  memo,
  useDeferredValue,
  useMemo,
  useState,
} from 'react';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Link from '@material-ui/core/Link';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import DownloadIcon from '@material-ui/icons/GetApp';
import { Content, EmptyState, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { RollupRow, rollupRowsToCsv } from '@internal/plugin-scorecards-common';
import { RollupEntityFilter, RollupGroupBy, scorecardsApiRef } from '../api';
import { RollupEntityFilters } from './RollupEntityFilters';
import { useRollupKeyTitles } from './useRollupKeyTitles';
import {
  LabelledSelect,
  ScrollRegion,
  useAsyncResult,
  useFocusRing,
  WholeWordsCell,
} from '@internal/suite-react';
import { PendingWaivers } from './waivers/PendingWaivers';
import { RollupTrend, atExpected } from './RollupTrend';
import { PageHeading } from './PageHeading';
import { ErrorWithRetry } from './ErrorWithRetry';
import { RollupLevelBar, RollupLevelLegend } from './RollupLevelBar';
import { RollupRowKey } from './RollupRowKey';
import { FilterToolbar } from './FilterToolbar';

const TREND_ID = 'rollup-trend';
const TABLE_ID = 'rollup-table';

const useStyles = makeStyles({
  // a button centres its text; a row key reads from the left like the cells below its header
  rowKey: { textAlign: 'left' },
});

/**
 * The table's cells, denser than MUI's small cells (16 px left, 24 px right): 18 columns of
 * counts at 40 px of padding each made the table need a sideways scroll at 1280 px.
 */
const COMPACT_CELL = { padding: '6px 8px' } as const;

/** A level filter: rows with at least one entity at that level. */
export type LevelFilter =
  | 'any'
  | 'L0'
  | 'L1'
  | 'L2'
  | 'L3'
  | 'none'
  | 'not-rated';

const LEVEL_FILTERS: LevelFilter[] = [
  'any',
  'L0',
  'L1',
  'L2',
  'L3',
  'none',
  'not-rated',
];

const GROUP_LABELS: Record<RollupGroupBy, string> = {
  owner: 'Owner',
  system: 'System',
  domain: 'Domain',
};

/** Whether a row has an entity at `level`. */
function hasLevel(row: RollupRow, level: LevelFilter): boolean {
  if (level === 'any') return true;
  if (level === 'not-rated') return row.notRated > 0;
  return row.byLevel[level] > 0;
}

/**
 * Rows of the table after the level and text filters. The text matches a row's
 * key (its full ref) or the title the table shows for it (`titles`).
 */
export function filterRollupRows(
  rows: readonly RollupRow[],
  filters: { level: LevelFilter; text: string },
  titles: ReadonlyMap<string, string> = new Map(),
): RollupRow[] {
  const text = filters.text.trim().toLocaleLowerCase('en-US');
  const matches = (r: RollupRow) =>
    r.key.toLocaleLowerCase('en-US').includes(text) ||
    (titles.get(r.key)?.toLocaleLowerCase('en-US').includes(text) ?? false);
  return rows.filter(r => hasLevel(r, filters.level) && (!text || matches(r)));
}

/** "1 row", "2 rows": the headline's counts are often 1 once filtered. */
function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A `data:` link carrying the CSV of the rows shown (same columns as the backend's export). */
export function csvHref(rows: readonly RollupRow[]): string {
  return `data:text/csv;charset=utf-8,${encodeURIComponent(
    rollupRowsToCsv(rows),
  )}`;
}

/** Whole percent of the row's rated entities at or above their expected level, `—` without any. */
function shareAtExpected(row: RollupRow): string {
  const { percent } = atExpected(row);
  return percent === null ? '—' : `${percent} %`;
}

type RollupColumn = {
  label: string;
  value: (r: RollupRow) => ReactNode;
  /** Counts are right-aligned; the level bar starts at the left. */
  align?: 'left' | 'right';
  /** One of the counts by level, shown on request (the bar shows them always, the CSV has them). */
  byLevel?: true;
};

const COLUMNS_BEFORE_EXPIRING: RollupColumn[] = [
  { label: 'Entities', value: r => r.entities },
  // §7.3: the counts by level as a stacked bar, in every row; as numbers on request.
  { label: 'Levels', value: r => <RollupLevelBar row={r} />, align: 'left' },
  { label: 'L0', value: r => r.byLevel.L0, byLevel: true },
  { label: 'L1', value: r => r.byLevel.L1, byLevel: true },
  { label: 'L2', value: r => r.byLevel.L2, byLevel: true },
  { label: 'L3', value: r => r.byLevel.L3, byLevel: true },
  { label: 'None', value: r => r.byLevel.none, byLevel: true },
  // Outside the bar (the bar is of rated entities) and narrow: always shown.
  { label: 'Not rated', value: r => r.notRated },
  { label: 'At or above expected', value: r => r.atOrAboveExpected },
  // §7.3: at-or-above expected as a count and a share (of the row's rated entities).
  { label: 'Share at or above expected', value: shareAtExpected },
  { label: 'Below expected', value: r => r.belowExpected },
  { label: 'Failing (service-owned)', value: r => r.failingServiceOwned },
  { label: 'Platform-blocked', value: r => r.platformBlocked },
  { label: 'Unknown', value: r => r.unknown },
  { label: 'Waivers active', value: r => r.waiversActive },
];

const COLUMNS_AFTER_EXPIRING: RollupColumn[] = [
  { label: 'Regressions 7 d', value: r => r.regressions7d },
];

/**
 * The table's columns; the expiring-waiver count is headed with the backend's window (§2.8).
 * The five counts by level as numbers only when asked for: the bar says them in every row, the
 * table with the bar and without the numbers fits a 1280 px window (README), and the "Has L2"
 * filter and the CSV still reach them.
 */
function rollupColumns(
  expiringWithinDays = 14,
  showByLevel = false,
): RollupColumn[] {
  const columns: RollupColumn[] = [
    ...COLUMNS_BEFORE_EXPIRING,
    {
      label: `Expiring ≤ ${expiringWithinDays} d`,
      value: r => r.waiversExpiring14d,
    },
    ...COLUMNS_AFTER_EXPIRING,
  ];
  return columns.filter(c => showByLevel || !c.byLevel);
}

/**
 * The rows of the rollup table. Memoised: while the text filter is deferred, the render for each
 * keystroke gets the same rows and skips every one of them (1,000 when grouped by system, each a
 * tooltip bar and ~14 cells); only the deferred render with the filtered rows draws the table.
 */
const RollupTableBody = memo(function RollupRows(props: {
  rows: readonly RollupRow[];
  columns: readonly RollupColumn[];
  groupBy: RollupGroupBy;
  trendKey: string | null;
  onTrend: (trend: { groupBy: RollupGroupBy; key: string } | null) => void;
}) {
  const { rows, columns, groupBy, trendKey, onTrend } = props;
  const classes = useStyles();
  return (
    <TableBody>
      {rows.length === 0 && (
        <TableRow>
          <TableCell colSpan={columns.length + 1}>
            No rows match the filters.
          </TableCell>
        </TableRow>
      )}
      {rows.map(r => (
        <TableRow key={r.key}>
          <WholeWordsCell
            component="th"
            scope="row"
            role="rowheader"
            style={COMPACT_CELL}
          >
            <Link
              component="button"
              variant="body2"
              className={classes.rowKey}
              title={`Show the daily trend of ${r.key}`}
              aria-pressed={trendKey === r.key}
              aria-controls={trendKey === r.key ? TREND_ID : undefined}
              onClick={() =>
                onTrend(trendKey === r.key ? null : { groupBy, key: r.key })
              }
            >
              <RollupRowKey rowKey={r.key} groupBy={r.kind} />
            </Link>
          </WholeWordsCell>
          {columns.map(c => (
            <WholeWordsCell
              key={c.label}
              align={c.align ?? 'right'}
              style={COMPACT_CELL}
            >
              {c.value(r)}
            </WholeWordsCell>
          ))}
        </TableRow>
      ))}
    </TableBody>
  );
});

/** `an owner`, `a system`, `a domain`. */
function withArticle(noun: string): string {
  return `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;
}

/** `/scorecards`: rollups by owner, system or domain with filters and CSV export (§7.3), then the pending waivers. */
export function ScorecardsPageContent() {
  const api = useApi(scorecardsApiRef);
  const focusRing = useFocusRing();
  const [groupBy, setGroupBy] = useState<RollupGroupBy>('owner');
  const [level, setLevel] = useState<LevelFilter>('any');
  const [text, setText] = useState('');
  const [childGroups, setChildGroups] = useState(false);
  const [entityFilter, setEntityFilter] = useState<RollupEntityFilter>({});
  const [showByLevel, setShowByLevel] = useState(false);
  // §2.11: owner rows may include their child groups' entities (rows then overlap).
  const includeChildGroups = groupBy === 'owner' && childGroups;
  // The row whose daily trend is shown, per grouping (switching the grouping hides it).
  const [trendOf, setTrendOf] = useState<{
    groupBy: RollupGroupBy;
    key: string;
  } | null>(null);
  const trendKey = trendOf?.groupBy === groupBy ? trendOf.key : null;
  // A late answer for the previous grouping is dropped by useAsyncResult.
  const result = useAsyncResult(
    () =>
      api.getRollups(groupBy, {
        includeChildGroups,
        filter: entityFilter,
        // the page shows no per-check counts: most of the answer's size
        checkCounts: false,
      }),
    [api, groupBy, includeChildGroups, entityFilter],
  );
  const entitiesFiltered = Object.keys(entityFilter).length > 0;

  const allKeys = useMemo(
    () => (result.value?.items ?? []).map(r => r.key),
    [result.value],
  );
  const titles = useRollupKeyTitles(allKeys, groupBy);
  // Typing stays responsive: the table (1,000 rows when grouped by system, each a tooltip bar
  // and 14 cells) re-renders with the text once React has time, not on every keystroke.
  const filterText = useDeferredValue(text);
  const rows = useMemo(
    () =>
      filterRollupRows(
        result.value?.items ?? [],
        { level, text: filterText },
        titles,
      ),
    [result.value, level, filterText, titles],
  );
  const csv = useMemo(() => csvHref(rows), [rows]);
  const columns = useMemo(
    () => rollupColumns(result.value?.waiversExpiringWithinDays, showByLevel),
    [result.value, showByLevel],
  );
  const groupLabel = GROUP_LABELS[groupBy];
  const totalEntities = rows.reduce((n, r) => n + r.entities, 0);
  const totalAtExpected = rows.reduce((n, r) => n + r.atOrAboveExpected, 0);
  const rated = rows.reduce((n, r) => n + r.entities - r.notRated, 0);

  let body: JSX.Element;
  if (result.loading) body = <Progress />;
  else if (result.error)
    body = <ErrorWithRetry error={result.error} retry={result.retry} />;
  else if (result.value.items.length === 0 && entitiesFiltered)
    body = (
      <EmptyState
        missing="data"
        title="No entities match these filters"
        description="Clear a kind, tier, lifecycle, check or campaign filter to see more."
      />
    );
  else if (result.value.items.length === 0)
    body = (
      <EmptyState
        missing="data"
        title="No scored entities yet"
        description="Rollups appear once the scorecards backend has evaluated entities you can read."
      />
    );
  else
    body = (
      <>
        <Typography variant="body1" gutterBottom data-testid="rollup-headline">
          {includeChildGroups
            ? `${count(
                rows.length,
                'group',
              )} shown; each row includes its child groups' entities, so rows overlap and are not added up. Daily trends count each group's own entities.`
            : `${totalAtExpected} of ${count(
                rated,
                'rated entity',
                'rated entities',
              )} at or above their expected level (${count(
                totalEntities,
                'entity',
                'entities',
              )} in ${count(rows.length, 'row')} shown)`}
        </Typography>
        {/* the Levels bars' key: without it the shades are read only by showing the counts */}
        <RollupLevelLegend />
        {/* where the table is still wider than the page, shadows say that it scrolls */}
        <ScrollRegion label={`Scorecard rollups by ${groupBy}`} scrollHint>
          <Table
            id={TABLE_ID}
            size="small"
            aria-label={`Scorecard rollups by ${groupBy}`}
          >
            <TableHead>
              <TableRow>
                <WholeWordsCell style={COMPACT_CELL}>
                  {groupLabel}
                </WholeWordsCell>
                {columns.map(c => (
                  <WholeWordsCell
                    key={c.label}
                    align={c.align ?? 'right'}
                    style={COMPACT_CELL}
                  >
                    {c.label}
                  </WholeWordsCell>
                ))}
              </TableRow>
            </TableHead>
            <RollupTableBody
              rows={rows}
              columns={columns}
              groupBy={groupBy}
              trendKey={trendKey}
              onTrend={setTrendOf}
            />
          </Table>
        </ScrollRegion>
        {trendKey ? (
          <RollupTrend
            id={TREND_ID}
            groupBy={groupBy}
            rowKey={trendKey}
            entitiesFiltered={entitiesFiltered}
          />
        ) : (
          <Typography variant="body2" color="textSecondary">
            Select {withArticle(groupLabel.toLocaleLowerCase('en-US'))} to see
            its daily trend.
          </Typography>
        )}
      </>
    );

  return (
    <Content>
      <PageHeading title="Scorecard rollups" current="rollups" />
      <FilterToolbar>
        <ToggleButtonGroup
          exclusive
          size="small"
          value={groupBy}
          aria-label="Group by"
          onChange={(_, value) => value && setGroupBy(value)}
        >
          {(Object.keys(GROUP_LABELS) as RollupGroupBy[]).map(g => (
            <ToggleButton
              key={g}
              value={g}
              aria-label={`By ${g}`}
              focusVisibleClassName={focusRing}
            >
              By {g}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
        {groupBy === 'owner' && (
          <FormControlLabel
            control={
              <Checkbox
                checked={childGroups}
                onChange={e => setChildGroups(e.target.checked)}
                color="primary"
              />
            }
            label="Include child groups"
          />
        )}
        <RollupEntityFilters value={entityFilter} onChange={setEntityFilter} />
        <LabelledSelect
          id="rollup-level-filter"
          label="Level"
          value={level}
          options={LEVEL_FILTERS}
          optionLabel={l => (l === 'any' ? 'Any level' : `Has ${l}`)}
          onChange={setLevel}
        />
        <FormControlLabel
          control={
            <Checkbox
              checked={showByLevel}
              onChange={e => setShowByLevel(e.target.checked)}
              color="primary"
              inputProps={{ 'aria-controls': TABLE_ID }}
            />
          }
          label="Show counts by level"
        />
        <TextField
          id="rollup-text-filter"
          variant="outlined"
          size="small"
          label={`Filter by ${groupBy}`}
          value={text}
          onChange={e => setText(e.target.value)}
        />
        <Button
          variant="outlined"
          startIcon={<DownloadIcon />}
          href={csv}
          download={`scorecards-rollup-${groupBy}.csv`}
          disabled={rows.length === 0}
        >
          Export CSV
        </Button>
      </FilterToolbar>
      {body}
      <PendingWaivers />
    </Content>
  );
}
