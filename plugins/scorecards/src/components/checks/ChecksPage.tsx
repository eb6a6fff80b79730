import { JSX, useMemo, useState } from 'react';
import Box from '@material-ui/core/Box';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import WarningIcon from '@material-ui/icons/Warning';
import { Content, EmptyState, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { MIN_OBSERVE_DAYS } from '@internal/plugin-scorecards-common';
import { CheckSummary, scorecardsApiRef } from '../../api';
import {
  LabelledSelect,
  useAsyncResult,
  WholeWordsCell,
} from '@internal/suite-react';
import { formatDate } from '../scorecardFormat';
import { PageHeading } from '../PageHeading';
import {
  CLASS_FILTERS,
  CheckRow,
  ClassFilter,
  PHASE_FILTERS,
  PhaseFilter,
  checkRows,
  filterCheckRows,
  unknownRateText,
} from './checkRows';
import { ErrorWithRetry } from '../ErrorWithRetry';
import { FilterToolbar } from '../FilterToolbar';
import { StandardChangelog } from './StandardChangelog';

const useStyles = makeStyles(theme => ({
  list: { margin: 0, paddingLeft: 0, listStyle: 'none' },
  warning: {
    display: 'flex',
    alignItems: 'flex-start',
    gap: theme.spacing(0.5),
    color: theme.palette.warning.dark,
  },
  warningIcon: { flexShrink: 0, marginTop: 2 },
  checkId: { fontFamily: 'monospace' },
  wide: { minWidth: 220 },
}));

const COUNT_COLUMNS: {
  label: string;
  key: keyof CheckSummary['counts'];
}[] = [
  { label: 'Pass', key: 'pass' },
  { label: 'Fail', key: 'fail' },
  { label: 'Unknown', key: 'unknown' },
  { label: 'Waived', key: 'waived' },
  { label: 'Not applicable', key: 'notApplicable' },
];

/** How many columns the table has (for the "no rows" cell). */
const COLUMN_COUNT = 12 + COUNT_COLUMNS.length;

function GateReadiness(props: { summary: CheckSummary }) {
  const classes = useStyles();
  const { gateReady, gateReadyReasons } = props.summary;
  if (gateReady) return <>Ready</>;
  return (
    <>
      Not ready
      {gateReadyReasons.length > 0 && (
        <ul className={classes.list}>
          {gateReadyReasons.map(r => (
            <li key={r}>
              <Typography variant="caption">{r}</Typography>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** The guidance warnings of a row: an icon with a text alternative and the message, never the icon alone. */
function GuidanceWarnings(props: { row: CheckRow }) {
  const classes = useStyles();
  const { row } = props;
  if (row.guidance.length === 0) return <>None</>;
  return (
    <ul
      className={classes.list}
      aria-label={`Rollout guidance warnings for ${row.summary.definition.id}`}
    >
      {row.guidance.map(w => (
        <li
          key={`${w.code}-${w.from}`}
          className={classes.warning}
          data-code={w.code}
        >
          <WarningIcon
            fontSize="small"
            className={classes.warningIcon}
            titleAccess="Warning:"
          />
          <Typography variant="body2" component="span">
            {w.message}
          </Typography>
        </li>
      ))}
    </ul>
  );
}

function CheckTableRow(props: { row: CheckRow }) {
  const classes = useStyles();
  const { summary } = props.row;
  const d = summary.definition;
  return (
    <TableRow>
      <WholeWordsCell component="th" scope="row" role="rowheader">
        <Typography variant="body2">{d.title}</Typography>
        <Typography
          variant="caption"
          color="textSecondary"
          className={classes.checkId}
        >
          {d.id}
        </Typography>
      </WholeWordsCell>
      <WholeWordsCell>{d.owner}</WholeWordsCell>
      <WholeWordsCell>{d.class}</WholeWordsCell>
      <WholeWordsCell>{d.level ?? '—'}</WholeWordsCell>
      <WholeWordsCell>{summary.phaseNow}</WholeWordsCell>
      <WholeWordsCell>
        {summary.next
          ? `${summary.next.phase} from ${formatDate(summary.next.from)}`
          : '—'}
      </WholeWordsCell>
      {COUNT_COLUMNS.map(c => (
        <WholeWordsCell key={c.key} align="right">
          {summary.counts[c.key]}
        </WholeWordsCell>
      ))}
      <WholeWordsCell align="right">
        {/* "—" alone reads as "em dash", or as nothing */}
        <span
          aria-label={
            unknownRateText(summary) === '—' ? 'no results yet' : undefined
          }
        >
          {unknownRateText(summary)}
        </span>
      </WholeWordsCell>
      <WholeWordsCell align="right">{summary.disputesUpheld30d}</WholeWordsCell>
      <WholeWordsCell className={classes.wide}>
        <GateReadiness summary={summary} />
      </WholeWordsCell>
      <WholeWordsCell align="right">{d.version}</WholeWordsCell>
      <WholeWordsCell>
        {d.retiresAt ? formatDate(d.retiresAt) : '—'}
      </WholeWordsCell>
      <WholeWordsCell className={classes.wide}>
        <GuidanceWarnings row={props.row} />
      </WholeWordsCell>
    </TableRow>
  );
}

/**
 * `/scorecards/checks` (§7.3): one row per check of the standard with its phase now and next,
 * counts per state, unknown rate, upheld disputes, gate readiness, version and retirement, and
 * the §2.4 rollout guidance warnings; filters by phase and class.
 */
export function ChecksPageContent() {
  const api = useApi(scorecardsApiRef);
  const [phase, setPhase] = useState<PhaseFilter>('any');
  const [checkClass, setCheckClass] = useState<ClassFilter>('any');
  const [warnedOnly, setWarnedOnly] = useState(false);
  const result = useAsyncResult(() => api.getChecks(), [api]);

  const all = useMemo(
    () => checkRows(result.value ?? [], Date.now()),
    [result.value],
  );
  const rows = useMemo(
    () => filterCheckRows(all, { phase, checkClass, warnedOnly }),
    [all, phase, checkClass, warnedOnly],
  );
  const warned = all.filter(r => r.guidance.length > 0).length;

  let body: JSX.Element;
  if (result.loading) body = <Progress />;
  else if (result.error)
    body = <ErrorWithRetry error={result.error} retry={result.retry} />;
  else if (all.length === 0)
    body = (
      <EmptyState
        missing="data"
        title="No checks"
        description="The standard the scorecards backend loaded has no checks."
      />
    );
  else
    body = (
      <>
        <Box mb={2}>
          {warned > 0 ? (
            <Alert severity="warning" data-testid="guidance-summary">
              {warned} of {all.length} checks go against the rollout guidance:
              observe for at least {MIN_OBSERVE_DAYS} days before a check
              counts, and gate only checks that are gate-ready.
            </Alert>
          ) : (
            <Alert severity="success" data-testid="guidance-summary">
              Every check follows the rollout guidance.
            </Alert>
          )}
        </Box>
        <Typography variant="body2" gutterBottom>
          {rows.length} of {all.length} checks shown
        </Typography>
        {/* a region that scrolls sideways must be reachable by keyboard (WCAG 2.1.1) */}
        <Box
          overflow="auto"
          tabIndex={0}
          role="region"
          aria-label="Scorecard checks, scrollable"
        >
          <Table size="small" aria-label="Scorecard checks">
            <TableHead>
              <TableRow>
                <WholeWordsCell>Check</WholeWordsCell>
                <WholeWordsCell>Owner</WholeWordsCell>
                <WholeWordsCell>Class</WholeWordsCell>
                <WholeWordsCell>Level</WholeWordsCell>
                <WholeWordsCell>Phase now</WholeWordsCell>
                <WholeWordsCell>Next phase</WholeWordsCell>
                {COUNT_COLUMNS.map(c => (
                  <WholeWordsCell key={c.key} align="right">
                    {c.label}
                  </WholeWordsCell>
                ))}
                <WholeWordsCell align="right">Unknown rate</WholeWordsCell>
                <WholeWordsCell align="right">
                  Upheld disputes 30 d
                </WholeWordsCell>
                <WholeWordsCell>Gate readiness</WholeWordsCell>
                <WholeWordsCell align="right">Version</WholeWordsCell>
                <WholeWordsCell>Retires</WholeWordsCell>
                <WholeWordsCell>Rollout guidance</WholeWordsCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.length === 0 && (
                <TableRow>
                  <WholeWordsCell colSpan={COLUMN_COUNT}>
                    No checks match the filters.
                  </WholeWordsCell>
                </TableRow>
              )}
              {rows.map(r => (
                <CheckTableRow key={r.summary.definition.id} row={r} />
              ))}
            </TableBody>
          </Table>
        </Box>
      </>
    );

  return (
    <Content>
      <PageHeading title="Scorecard checks" current="checks" />
      <FilterToolbar>
        <LabelledSelect
          id="checks-phase-filter"
          label="Phase"
          value={phase}
          options={PHASE_FILTERS}
          optionLabel={p => (p === 'any' ? 'Any phase' : p)}
          onChange={setPhase}
        />
        <LabelledSelect
          id="checks-class-filter"
          label="Class"
          value={checkClass}
          options={CLASS_FILTERS}
          optionLabel={c => (c === 'any' ? 'Any class' : c)}
          onChange={setCheckClass}
        />
        <FormControlLabel
          control={
            <Checkbox
              checked={warnedOnly}
              onChange={e => setWarnedOnly(e.target.checked)}
            />
          }
          label="Only checks with guidance warnings"
        />
      </FilterToolbar>
      {body}
      <StandardChangelog />
    </Content>
  );
}
