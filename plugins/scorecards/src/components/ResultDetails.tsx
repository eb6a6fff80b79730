import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { Link, Progress } from '@backstage/core-components';
import type {
  CheckResult,
  EvidenceUsed,
  Transition,
} from '@internal/plugin-scorecards-common';
import { AsyncResult, httpHref } from '@internal/suite-react';
import {
  formatAgeAgo,
  formatAgeOld,
  formatDate,
  formatDateTime,
  formatWindow,
} from './scorecardFormat';

const useStyles = makeStyles(theme => ({
  root: { padding: theme.spacing(1, 0, 2) },
  heading: { marginTop: theme.spacing(2) },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content auto',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    margin: 0,
    '& dd': { margin: 0 },
  },
  // a source URL is one long word; let it wrap instead of widening the table
  url: { wordBreak: 'break-all' },
}));

/** The result's own codes and rollout: what the table row sums up in words. */
function ResultFacts(props: { result: CheckResult }) {
  const classes = useStyles();
  const r = props.result;
  const facts: [string, string][] = [
    ['Reason code', r.reason],
    ['Raw state', r.rawState],
    ['Check version', String(r.checkVersion)],
    ['Severity', r.severity],
    ['Gating', r.gating ? 'yes' : 'no'],
  ];
  if (r.nextPhase)
    facts.push([
      'Next phase',
      `${r.nextPhase.phase} from ${formatDate(r.nextPhase.from)}`,
    ]);
  return (
    <dl className={classes.facts}>
      {facts.map(([term, value]) => (
        <div key={term} style={{ display: 'contents' }}>
          <Typography component="dt" variant="body2" color="textSecondary">
            {term}
          </Typography>
          <Typography component="dd" variant="body2">
            {value}
          </Typography>
        </div>
      ))}
    </dl>
  );
}

/** A link to where the evidence was read, when the collector gave an http(s) one. */
function SourceLink(props: { url?: string }) {
  const classes = useStyles();
  if (!props.url) return <>—</>;
  const href = httpHref(props.url);
  // From a collector: linked only when an http(s) URL, else shown as text.
  return href ? (
    <Link underline="always" to={href} className={classes.url}>
      {props.url}
    </Link>
  ) : (
    <span className={classes.url}>{props.url}</span>
  );
}

function EvidenceTable(props: {
  evidence: readonly EvidenceUsed[];
  title: string;
}) {
  return (
    <Table size="small" aria-label={`Raw evidence of ${props.title}`}>
      <TableHead>
        <TableRow>
          <TableCell>Source</TableCell>
          <TableCell>Kind</TableCell>
          <TableCell>Value</TableCell>
          <TableCell>Observed at</TableCell>
          <TableCell>Age</TableCell>
          <TableCell>Fresh for</TableCell>
          <TableCell>Link to the source</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.evidence.map((e, i) => (
          <TableRow key={`${e.source}-${e.kind}-${i}`}>
            <TableCell>{e.source}</TableCell>
            <TableCell>{e.kind}</TableCell>
            <TableCell>{e.summary}</TableCell>
            <TableCell>{formatDateTime(e.observedAt)}</TableCell>
            <TableCell>
              {formatAgeOld(e.ageSeconds)}
              {e.fresh ? '' : ' (stale)'}
            </TableCell>
            <TableCell>{formatWindow(e.freshForSeconds)}</TableCell>
            <TableCell>
              <SourceLink url={e.url} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function MissingTable(props: {
  missing: CheckResult['missing'];
  title: string;
}) {
  return (
    <Table size="small" aria-label={`Missing inputs of ${props.title}`}>
      <TableHead>
        <TableRow>
          <TableCell>Source</TableCell>
          <TableCell>Kind</TableCell>
          <TableCell>Cause</TableCell>
          <TableCell>Collector error</TableCell>
          <TableCell>Last read</TableCell>
          <TableCell>Fresh for</TableCell>
          <TableCell>What to do</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.missing.map((m, i) => (
          <TableRow key={`${m.source}-${m.kind}-${i}`}>
            <TableCell>{m.source}</TableCell>
            <TableCell>{m.kind}</TableCell>
            <TableCell>{m.cause}</TableCell>
            <TableCell>{m.collectionError ?? '—'}</TableCell>
            <TableCell>
              {m.ageSeconds === undefined
                ? 'never'
                : formatAgeAgo(m.ageSeconds)}
            </TableCell>
            <TableCell>{formatWindow(m.freshForSeconds)}</TableCell>
            <TableCell>{m.hint}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function reasons(t: Transition): string {
  if (!t.fromReason && !t.toReason) return '—';
  return `${t.fromReason ?? '—'} → ${t.toReason ?? '—'}`;
}

function TransitionTable(props: {
  transitions: readonly Transition[];
  title: string;
}) {
  return (
    <Table size="small" aria-label={`Changes of ${props.title}`}>
      <TableHead>
        <TableRow>
          <TableCell>When</TableCell>
          <TableCell>From</TableCell>
          <TableCell>To</TableCell>
          <TableCell>Cause</TableCell>
          <TableCell>Reason codes</TableCell>
          <TableCell>Check version</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.transitions.map((t, i) => (
          <TableRow key={`${t.at}-${i}`}>
            <TableCell>{formatDateTime(t.at)}</TableCell>
            {/* no earlier state: the check's first recorded result */}
            <TableCell>{t.from ?? 'first result'}</TableCell>
            <TableCell>{t.to}</TableCell>
            <TableCell>
              {t.cause}
              {/* §2.10: standard, phase and outage changes are never the team's */}
              {t.regression ? ' · team regression' : ''}
            </TableCell>
            <TableCell>{reasons(t)}</TableCell>
            <TableCell>{t.checkVersion ?? '—'}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** The check's transitions as read on first expand: loading, error with Retry, empty, or the table. */
function CheckChanges(props: {
  transitions: AsyncResult<Transition[] | undefined> & { retry: () => void };
  title: string;
}) {
  const t = props.transitions;
  if (t.error)
    // Only this row says so; the tab and the other rows stay as they are.
    return (
      <Alert
        severity="error"
        action={
          <Button color="inherit" size="small" onClick={t.retry}>
            Retry
          </Button>
        }
      >
        The changes of this check could not be read: {t.error.message}
      </Alert>
    );
  if (t.loading || t.value === undefined) return <Progress />;
  if (t.value.length === 0)
    return (
      <Typography variant="body2">
        No changes recorded for this check.{' '}
        {/* "no changes" alone is not true of an entity's first minutes: the backend writes no
            transitions then, and it does not tell the browser its settleMinutes */}
        Changes in the first minutes after the scorecards backend first
        evaluated this entity are not recorded (10 minutes by default,{' '}
        <code>scorecards.history.settleMinutes</code>).
      </Typography>
    );
  return <TransitionTable transitions={t.value} title={props.title} />;
}

/**
 * What a result row expands to (§7.2): the raw evidence the result used (source, kind, value,
 * observed at, age, window and a link to the source), its missing inputs, its codes, and that
 * check's transitions for this entity.
 */
export function ResultDetails(props: {
  result: CheckResult;
  transitions: AsyncResult<Transition[] | undefined> & { retry: () => void };
}) {
  const classes = useStyles();
  const r = props.result;
  return (
    <div className={classes.root}>
      <ResultFacts result={r} />
      <Typography
        variant="subtitle2"
        component="h3"
        className={classes.heading}
      >
        Raw evidence
      </Typography>
      {r.evidence.length > 0 ? (
        <EvidenceTable evidence={r.evidence} title={r.title} />
      ) : (
        <Typography variant="body2">This result used no evidence.</Typography>
      )}
      {r.missing.length > 0 && (
        <>
          <Typography
            variant="subtitle2"
            component="h3"
            className={classes.heading}
          >
            Missing inputs
          </Typography>
          <MissingTable missing={r.missing} title={r.title} />
        </>
      )}
      <Typography
        variant="subtitle2"
        component="h3"
        className={classes.heading}
      >
        Changes of this check
      </Typography>
      <CheckChanges transitions={props.transitions} title={r.title} />
    </div>
  );
}
