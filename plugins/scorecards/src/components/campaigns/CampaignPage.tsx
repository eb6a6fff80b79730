import type { JSX } from 'react';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableFooter from '@material-ui/core/TableFooter';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  Content,
  EmptyState,
  Link,
  Progress,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { CampaignWithProgress, scorecardsApiRef } from '../../api';
import { useAsyncResult } from '@internal/suite-react';
import { formatDate } from '../scorecardFormat';
import { PageHeading } from '../PageHeading';
import { useScorecardsLinks } from '../ScorecardsLinks';
import { CampaignBurnUp } from './CampaignBurnUp';
import { CampaignEntities } from './CampaignEntities';
import {
  CampaignCounts,
  doneText,
  donePercent,
  goalText,
  ownerRows,
  selectorText,
} from './campaignFormat';
import { ErrorWithRetry } from '../ErrorWithRetry';

const useStyles = makeStyles(theme => ({
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    margin: theme.spacing(0, 0, 2),
    '& dt': { fontWeight: theme.typography.fontWeightMedium },
    '& dd': { margin: 0 },
  },
  totals: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(3),
    margin: theme.spacing(0, 0, 2),
    '& div': { display: 'flex', flexDirection: 'column-reverse' },
    '& dd': { margin: 0, fontSize: theme.typography.h5.fontSize },
  },
}));

const COUNT_COLUMNS: { label: string; key: keyof CampaignCounts }[] = [
  { label: 'In scope', key: 'inScope' },
  { label: 'Done', key: 'done' },
  { label: 'Remaining', key: 'remaining' },
  { label: 'Blocked by platform', key: 'blockedByPlatform' },
  { label: 'Overdue', key: 'overdue' },
];

function isNotFound(error: Error): boolean {
  return (error as Error & { statusCode?: number }).statusCode === 404;
}

function percentCell(c: CampaignCounts): string {
  const p = donePercent(c);
  return p === null ? '—' : `${p} %`;
}

function CampaignDetails(props: { campaign: CampaignWithProgress }) {
  const classes = useStyles();
  const { campaign } = props;
  const { progress } = campaign;
  const { totals } = progress;
  const owners = ownerRows(progress.byOwner);
  return (
    <>
      {campaign.brief && (
        <Typography variant="body1" paragraph>
          {campaign.brief}
        </Typography>
      )}
      <dl className={classes.facts} aria-label="Campaign">
        <dt>Goal</dt>
        <dd>{goalText(campaign.goal)}</dd>
        <dt>Scope</dt>
        <dd>{selectorText(campaign.selector)}</dd>
        <dt>Owner</dt>
        <dd>{campaign.owner}</dd>
        <dt>State</dt>
        <dd>{campaign.state}</dd>
        <dt>Starts</dt>
        <dd>{formatDate(campaign.startsAt)}</dd>
        <dt>Due</dt>
        <dd>{formatDate(campaign.dueAt)}</dd>
        <dt>Progress as of</dt>
        <dd>{progress.asOf}</dd>
      </dl>

      <Box component="section" aria-labelledby="campaign-progress" mb={3}>
        <Typography variant="h6" component="h3" id="campaign-progress">
          Progress — {doneText(totals)} done
        </Typography>
        <dl className={classes.totals} data-testid="campaign-totals">
          {COUNT_COLUMNS.map(c => (
            <div key={c.key}>
              <dd>{totals[c.key]}</dd>
              <dt>{c.label}</dt>
            </div>
          ))}
        </dl>
      </Box>

      <Box component="section" aria-labelledby="campaign-burn-up" mb={3}>
        <Typography variant="h6" component="h3" id="campaign-burn-up">
          Done over time
        </Typography>
        <CampaignBurnUp
          points={progress.doneOverTime}
          inScope={totals.inScope}
        />
      </Box>

      <Box component="section" aria-labelledby="campaign-owners">
        <Typography variant="h6" component="h3" id="campaign-owners">
          By owner
        </Typography>
        {owners.length === 0 ? (
          <Typography variant="body2" color="textSecondary">
            No entity is in the campaign's scope.
          </Typography>
        ) : (
          <Box overflow="auto">
            <Table size="small" aria-label="Campaign progress by owner">
              <TableHead>
                <TableRow>
                  <TableCell>Owner</TableCell>
                  {COUNT_COLUMNS.map(c => (
                    <TableCell key={c.key} align="right">
                      {c.label}
                    </TableCell>
                  ))}
                  <TableCell align="right">Done share</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {owners.map(o => (
                  <TableRow key={o.owner}>
                    <TableCell component="th" scope="row" role="rowheader">
                      {o.owner}
                    </TableCell>
                    {COUNT_COLUMNS.map(c => (
                      <TableCell key={c.key} align="right">
                        {o.counts[c.key]}
                      </TableCell>
                    ))}
                    <TableCell align="right">{percentCell(o.counts)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
              <TableFooter>
                <TableRow>
                  <TableCell component="th" scope="row" role="rowheader">
                    All owners
                  </TableCell>
                  {COUNT_COLUMNS.map(c => (
                    <TableCell key={c.key} align="right">
                      {totals[c.key]}
                    </TableCell>
                  ))}
                  <TableCell align="right">{percentCell(totals)}</TableCell>
                </TableRow>
              </TableFooter>
            </Table>
          </Box>
        )}
      </Box>

      <CampaignEntities progress={progress} />
    </>
  );
}

/**
 * `/scorecards/campaigns/:id` (§7.3, §2.11): goal, scope and dates; progress (done, remaining,
 * blocked by platform, overdue) overall and per owner; burn-up of done over time; the entities
 * with their status. An unknown id
 * shows "No such campaign"; other errors the backend's message with Retry.
 */
export function CampaignPageContent(props: { id: string }) {
  const { id } = props;
  const api = useApi(scorecardsApiRef);
  const links = useScorecardsLinks();
  const result = useAsyncResult(() => api.getCampaign(id), [api, id]);

  let body: JSX.Element;
  if (result.loading) body = <Progress />;
  else if (result.error && isNotFound(result.error))
    body = (
      <EmptyState
        missing="content"
        title="No such campaign"
        description={`There is no campaign with the id "${id}". It may never have existed, or the link is mistyped.`}
        action={
          links.campaigns ? (
            <Link to={links.campaigns}>See all campaigns</Link>
          ) : undefined
        }
      />
    );
  else if (result.error)
    body = <ErrorWithRetry error={result.error} retry={result.retry} />;
  else body = <CampaignDetails campaign={result.value} />;

  return (
    <Content>
      <PageHeading
        title={
          result.value ? `Campaign: ${result.value.title}` : `Campaign ${id}`
        }
      />
      {body}
    </Content>
  );
}
