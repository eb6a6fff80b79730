import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import AddIcon from '@material-ui/icons/Add';
import { JSX, useId, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import {
  Content,
  EmptyState,
  Link,
  Progress,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  Campaign,
  scorecardsCampaignManagePermission,
} from '@internal/plugin-scorecards-common';
import { readCampaignSummaries, scorecardsApiRef } from '../../api';
import {
  DeniedNote,
  RefreshErrorNotice,
  useAsyncResult,
  usePermissionGate,
} from '@internal/suite-react';
import { formatDate } from '../scorecardFormat';
import { PageHeading } from '../PageHeading';
import { useScorecardsLinks } from '../ScorecardsLinks';
import { doneText, goalText } from './campaignFormat';
import { NewCampaignDialog } from './NewCampaignDialog';
import { ErrorWithRetry } from '../ErrorWithRetry';

const STATE_ORDER: Record<Campaign['state'], number> = {
  active: 0,
  draft: 1,
  ended: 2,
};

/** Active campaigns first, then drafts, then ended ones; earliest due first within each. */
export function sortCampaigns<C extends Campaign>(
  campaigns: readonly C[],
): C[] {
  return [...campaigns].sort(
    (a, b) =>
      STATE_ORDER[a.state] - STATE_ORDER[b.state] ||
      a.dueAt.localeCompare(b.dueAt) ||
      a.id.localeCompare(b.id),
  );
}

/**
 * `/scorecards/campaigns`: every campaign with its goal, dates and progress, linking to each;
 * "New campaign", enabled for whoever holds `scorecards.campaign.manage` (asked of the permission
 * framework; disabled with the permission named otherwise), opening the new campaign's page once
 * created.
 */
export function CampaignsPageContent() {
  const api = useApi(scorecardsApiRef);
  const links = useScorecardsLinks();
  // the totals alone: each campaign's full progress lists every entity in scope
  const result = useAsyncResult(() => readCampaignSummaries(api), [api]);
  const [creating, setCreating] = useState(false);
  const navigate = useNavigate();
  const createGate = usePermissionGate({
    permission: scorecardsCampaignManagePermission,
  });
  const deniedId = useId();

  let body: JSX.Element;
  if (result.loading) body = <Progress />;
  else if (result.error)
    body = <ErrorWithRetry error={result.error} retry={result.retry} />;
  else if (result.value.items.length === 0)
    body = (
      <EmptyState
        missing="data"
        title="No campaigns yet"
        description={
          !createGate.disabled
            ? 'Create one with "New campaign": which entities must reach which level by which date.'
            : 'Campaigns are created by someone holding scorecards.campaign.manage (here or with POST /api/scorecards/campaigns).'
        }
      />
    );
  else
    body = (
      <Box overflow="auto">
        <Table size="small" aria-label="Scorecard campaigns">
          <TableHead>
            <TableRow>
              <TableCell>Campaign</TableCell>
              <TableCell>State</TableCell>
              <TableCell>Owner</TableCell>
              <TableCell>Goal</TableCell>
              <TableCell>Starts</TableCell>
              <TableCell>Due</TableCell>
              <TableCell align="right">Done</TableCell>
              <TableCell align="right">Remaining</TableCell>
              <TableCell align="right">Blocked by platform</TableCell>
              <TableCell align="right">Overdue</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {sortCampaigns(result.value.items).map(c => (
              <TableRow key={c.id}>
                <TableCell component="th" scope="row" role="rowheader">
                  {links.campaign ? (
                    <Link to={links.campaign(c.id)}>{c.title}</Link>
                  ) : (
                    c.title
                  )}
                  <Typography
                    variant="caption"
                    color="textSecondary"
                    component="div"
                  >
                    {c.id}
                  </Typography>
                </TableCell>
                <TableCell>{c.state}</TableCell>
                <TableCell>{c.owner}</TableCell>
                <TableCell>{goalText(c.goal)}</TableCell>
                <TableCell>{formatDate(c.startsAt)}</TableCell>
                <TableCell>{formatDate(c.dueAt)}</TableCell>
                <TableCell align="right">
                  {doneText(c.progress.totals)}
                </TableCell>
                <TableCell align="right">
                  {c.progress.totals.remaining}
                </TableCell>
                <TableCell align="right">
                  {c.progress.totals.blockedByPlatform}
                </TableCell>
                <TableCell align="right">{c.progress.totals.overdue}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
    );

  return (
    <Content>
      <PageHeading title="Scorecard campaigns" current="campaigns" />
      <Box mb={2}>
        <Button
          variant="contained"
          color="primary"
          startIcon={<AddIcon />}
          disabled={createGate.disabled}
          aria-describedby={createGate.denied ? deniedId : undefined}
          onClick={() => setCreating(true)}
        >
          New campaign
        </Button>
        {createGate.denied && (
          <DeniedNote id={deniedId}>
            You may not create campaigns: it needs scorecards.campaign.manage.
          </DeniedNote>
        )}
        <NewCampaignDialog
          open={creating}
          onClose={() => setCreating(false)}
          onCreated={created => {
            setCreating(false);
            if (links.campaign) navigate(links.campaign(created.id));
            else result.refresh();
          }}
        />
      </Box>
      {result.refreshError && (
        <RefreshErrorNotice
          error={result.refreshError}
          onRetry={result.refresh}
        />
      )}
      {body}
    </Content>
  );
}
