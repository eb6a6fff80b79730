import { ReactNode, useMemo } from 'react';
import { ReactRouterV6PageRouter } from '@backstage/frontend-adapter-react-router-v6';
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

/**
 * A page's content with the links above, and React Router's context given to it explicitly:
 * core-components' `Link` and the campaigns page's `useNavigate` are React Router's, and without
 * the adapter the app warns that the page "uses implicit React Router v6 routing"
 * (frontend-app-api 0.17). The adapter renders its children untouched where there is no page
 * mount (tests).
 */
function WithLinks(props: { children: ReactNode }) {
  return (
    <ReactRouterV6PageRouter>
      <ScorecardsLinksProvider value={useNewSystemLinks()}>
        {props.children}
      </ScorecardsLinksProvider>
    </ReactRouterV6PageRouter>
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
