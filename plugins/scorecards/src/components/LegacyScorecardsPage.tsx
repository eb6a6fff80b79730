import { ReactNode } from 'react';
import { Route, Routes } from 'react-router-dom';
import { Header, Page } from '@backstage/core-components';
import { useRouteRef, useRouteRefParams } from '@backstage/core-plugin-api';
import {
  legacyCampaignRouteRef,
  legacyCampaignsRouteRef,
  legacyChecksRouteRef,
  legacyRootRouteRef,
} from '../routes';
import { ScorecardsLinksProvider } from './ScorecardsLinks';
import { ScorecardsPageContent } from './ScorecardsPage';
import { ChecksPageContent } from './checks/ChecksPage';
import { CampaignsPageContent } from './campaigns/CampaignsPage';
import { CampaignPageContent } from './campaigns/CampaignPage';

function LegacyShell(props: { subtitle: string; children: ReactNode }) {
  return (
    <Page themeId="tool">
      <Header title="Scorecards" subtitle={props.subtitle} />
      {props.children}
    </Page>
  );
}

function LegacyCampaign() {
  const { id } = useRouteRefParams(legacyCampaignRouteRef);
  return (
    <LegacyShell subtitle="Campaign progress">
      <CampaignPageContent id={id} />
    </LegacyShell>
  );
}

/**
 * The pages with their own header, for legacy apps (the new frontend system draws the header
 * itself). Mounted once (e.g. at `/scorecards`), it serves the rollups at its root and
 * `checks`, `campaigns` and `campaigns/:id` below it (sub-route refs), so its links always
 * resolve.
 */
export function LegacyScorecardsPage() {
  const rollups = useRouteRef(legacyRootRouteRef);
  const checks = useRouteRef(legacyChecksRouteRef);
  const campaigns = useRouteRef(legacyCampaignsRouteRef);
  const campaign = useRouteRef(legacyCampaignRouteRef);
  const links = {
    rollups: rollups(),
    checks: checks(),
    campaigns: campaigns(),
    campaign: (id: string) => campaign({ id }),
  };
  return (
    <ScorecardsLinksProvider value={links}>
      <Routes>
        <Route
          path="/"
          element={
            <LegacyShell subtitle="Maturity levels by owner, system and domain">
              <ScorecardsPageContent />
            </LegacyShell>
          }
        />
        <Route
          path="/checks"
          element={
            <LegacyShell subtitle="Checks of the standard, their rollout and gate readiness">
              <ChecksPageContent />
            </LegacyShell>
          }
        />
        <Route
          path="/campaigns"
          element={
            <LegacyShell subtitle="Campaigns and their progress">
              <CampaignsPageContent />
            </LegacyShell>
          }
        />
        <Route path="/campaigns/:id" element={<LegacyCampaign />} />
      </Routes>
    </ScorecardsLinksProvider>
  );
}
