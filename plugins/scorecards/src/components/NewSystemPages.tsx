import { ReactNode, useMemo } from 'react';
import { useRouteRef, useRouteRefParams } from '@backstage/frontend-plugin-api';
import {
  campaignRouteRef,
  campaignsRouteRef,
  checksRouteRef,
  rootRouteRef,
} from '../routes';
import { ScorecardsLinks, ScorecardsLinksProvider } from './ScorecardsLinks';
import { ScorecardsPageContent } from './ScorecardsPage';
import { ChecksPageContent } from './checks/ChecksPage';
import { CampaignsPageContent } from './campaigns/CampaignsPage';
import { CampaignPageContent } from './campaigns/CampaignPage';

/** The hrefs of the plugin's pages from the new frontend system's route refs. */
function useNewSystemLinks(): ScorecardsLinks {
  const rollups = useRouteRef(rootRouteRef);
  const checks = useRouteRef(checksRouteRef);
  const campaigns = useRouteRef(campaignsRouteRef);
  const campaign = useRouteRef(campaignRouteRef);
  return useMemo(
    () => ({
      rollups: rollups?.(),
      checks: checks?.(),
      campaigns: campaigns?.(),
      campaign: campaign ? (id: string) => campaign({ id }) : undefined,
    }),
    [rollups, checks, campaigns, campaign],
  );
}

function WithLinks(props: { children: ReactNode }) {
  return (
    <ScorecardsLinksProvider value={useNewSystemLinks()}>
      {props.children}
    </ScorecardsLinksProvider>
  );
}

/** `page:scorecards` content. */
export function NewSystemRollupsPage() {
  return (
    <WithLinks>
      <ScorecardsPageContent />
    </WithLinks>
  );
}

/** `page:scorecards/checks` content. */
export function NewSystemChecksPage() {
  return (
    <WithLinks>
      <ChecksPageContent />
    </WithLinks>
  );
}

/** `page:scorecards/campaigns` content. */
export function NewSystemCampaignsPage() {
  return (
    <WithLinks>
      <CampaignsPageContent />
    </WithLinks>
  );
}

/** `page:scorecards/campaign` content: the id comes from the route (`/scorecards/campaigns/:id`). */
export function NewSystemCampaignPage() {
  const { id } = useRouteRefParams(campaignRouteRef);
  return (
    <WithLinks>
      <CampaignPageContent id={id} />
    </WithLinks>
  );
}
