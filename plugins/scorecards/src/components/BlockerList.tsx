import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { Link } from '@backstage/core-components';
import type { Blocker, CheckResult } from '@internal/plugin-scorecards-common';
import { httpHref } from '@internal/suite-react';
import { StateChip } from './StateChip';
import {
  describeMissing,
  formatAgeOld,
  oldestEvidence,
} from './scorecardFormat';

const useStyles = makeStyles(theme => ({
  list: { listStyle: 'none', margin: 0, padding: 0 },
  item: {
    padding: theme.spacing(1, 0),
    borderBottom: `1px solid ${theme.palette.divider}`,
    '&:last-child': { borderBottom: 'none' },
  },
  title: { fontWeight: theme.typography.fontWeightMedium as number },
  // a plain element with this class, not a `Box` (which attaches a style sheet per row)
  chips: {
    display: 'flex',
    gap: theme.spacing(1),
    flexWrap: 'wrap',
    alignItems: 'center',
  },
}));

/** Who has to act: the owning team (`service-owned`) or the platform (§2.9). */
export function AttributionChip(props: {
  attribution: 'service' | 'platform' | null;
  capability?: CheckResult['platformCapability'];
}) {
  if (props.attribution === 'service')
    return <Chip size="small" label="service-owned" />;
  if (props.attribution !== 'platform') return null;
  const cap = props.capability;
  const parts = cap ? [cap.id, cap.owner] : [];
  // From the standard file: linked only when an http(s) URL, else shown as text.
  const issueHref = httpHref(cap?.issue);
  return (
    <>
      <Chip
        size="small"
        color="secondary"
        variant="outlined"
        label={`blocked by platform${
          parts.length ? `: ${parts.join(' · ')}` : ''
        }`}
      />
      {cap?.issue &&
        (issueHref ? (
          <Link underline="always" to={issueHref}>
            platform issue
          </Link>
        ) : (
          <Typography variant="caption">platform issue: {cap.issue}</Typography>
        ))}
    </>
  );
}

/** How to fix a result: the one-line summary and its link or template. */
export function FixText(props: { fix?: CheckResult['fix'] }) {
  if (!props.fix) return null;
  const { summary, url, templateRef } = props.fix;
  // From the standard file: linked only when an http(s) URL, else shown as text.
  const href = httpHref(url);
  return (
    <Typography variant="body2" component="p">
      <strong>Fix:</strong> {summary}
      {url && (
        <>
          {' '}
          {href ? (
            <Link underline="always" to={href}>
              How to fix
            </Link>
          ) : (
            <>How to fix: {url}</>
          )}
        </>
      )}
      {templateRef && <> (template {templateRef})</>}
    </Typography>
  );
}

/** Every missing input of an unknown result, with its source, cause and hint. */
export function MissingList(props: { missing: CheckResult['missing'] }) {
  if (props.missing.length === 0) return null;
  return (
    <ul aria-label="Missing evidence">
      {props.missing.map((m, i) => (
        <li key={`${m.source}-${m.kind}-${i}`}>
          <Typography variant="body2">{describeMissing(m)}</Typography>
        </li>
      ))}
    </ul>
  );
}

/** The blockers of one level, each with state, attribution, message, evidence age and fix. */
export function BlockerList(props: {
  blockers: readonly Blocker[];
  results: ReadonlyMap<string, CheckResult>;
  label: string;
}) {
  const classes = useStyles();
  return (
    <ul className={classes.list} aria-label={props.label}>
      {props.blockers.map(b => {
        const result = props.results.get(b.checkId);
        const oldest = oldestEvidence(result);
        const causes = [...new Set(b.missing.map(m => m.cause))].join(', ');
        return (
          <li key={b.checkId} className={classes.item} data-testid="blocker">
            <div className={classes.chips}>
              <StateChip
                state={b.state}
                detail={
                  b.state === 'unknown' ? causes || result?.reason : undefined
                }
              />
              <Typography className={classes.title} component="span">
                {result?.title ?? b.checkId}
              </Typography>
              <Typography variant="caption" color="textSecondary">
                {b.checkId}
              </Typography>
              <AttributionChip
                attribution={b.attribution}
                capability={result?.platformCapability}
              />
            </div>
            <Typography variant="body2">{b.message}</Typography>
            {oldest && (
              <Typography variant="caption" color="textSecondary">
                Evidence: {oldest.source} · {formatAgeOld(oldest.ageSeconds)}
                {oldest.fresh ? '' : ' (stale)'}
              </Typography>
            )}
            <MissingList missing={b.missing} />
            <FixText fix={b.fix ?? result?.fix} />
          </li>
        );
      })}
    </ul>
  );
}
