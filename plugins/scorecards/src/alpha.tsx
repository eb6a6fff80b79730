import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  coreApis,
} from '@backstage/frontend-plugin-api';
import {
  CatalogFilterBlueprint,
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import ScoreIcon from '@material-ui/icons/Assessment';
import { ScorecardsClient, scorecardsApiRef } from './api';
import { isScorecardAvailable } from './isScorecardAvailable';
import {
  campaignRouteRef,
  campaignsRouteRef,
  checksRouteRef,
  rootRouteRef,
} from './routes';

/** Reads scorecards and rollups from `scorecards-backend`. @alpha */
export const scorecardsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: scorecardsApiRef,
      deps: { discoveryApi: coreApis.discovery, fetchApi: coreApis.fetch },
      factory: ({ discoveryApi, fetchApi }) =>
        new ScorecardsClient({ discoveryApi, fetchApi }),
    }),
});

/** Scorecard card on Component, Resource, API and System pages: level, blockers with fixes, waivers, trend. @alpha */
export const scorecardEntityCard = EntityCardBlueprint.make({
  params: {
    type: 'content',
    filter: isScorecardAvailable,
    loader: () =>
      import('./components/ScorecardCard').then(m => <m.EntityScorecardCard />),
  },
});

/** The "Scorecard" tab: every check grouped by theme with state, explanation, evidence and fix. @alpha */
export const scorecardEntityContent = EntityContentBlueprint.make({
  params: {
    path: '/scorecard',
    title: 'Scorecard',
    filter: isScorecardAvailable,
    loader: () =>
      import('./components/ScorecardContent').then(m => (
        <m.EntityScorecardContent />
      )),
  },
});

/** `/scorecards`: rollups by owner, system or domain with filters and CSV export. @alpha */
export const scorecardsPage = PageBlueprint.make({
  params: {
    path: '/scorecards',
    routeRef: rootRouteRef,
    title: 'Scorecards',
    icon: <ScoreIcon fontSize="inherit" />,
    loader: () =>
      import('./components/NewSystemPages').then(m => (
        <m.NewSystemRollupsPage />
      )),
  },
});

/**
 * `/scorecards/checks`: every check with phase now and next, counts, unknown rate, upheld
 * disputes, gate readiness and the §2.4 rollout guidance warnings. @alpha
 */
export const scorecardsChecksPage = PageBlueprint.make({
  name: 'checks',
  params: {
    path: '/scorecards/checks',
    routeRef: checksRouteRef,
    title: 'Scorecard checks',
    loader: () =>
      import('./components/NewSystemPages').then(m => (
        <m.NewSystemChecksPage />
      )),
  },
});

/** `/scorecards/campaigns`: every campaign with goal, dates and progress. @alpha */
export const scorecardsCampaignsPage = PageBlueprint.make({
  name: 'campaigns',
  params: {
    path: '/scorecards/campaigns',
    routeRef: campaignsRouteRef,
    title: 'Scorecard campaigns',
    loader: () =>
      import('./components/NewSystemPages').then(m => (
        <m.NewSystemCampaignsPage />
      )),
  },
});

/** `/scorecards/campaigns/:id`: one campaign's progress overall and per owner, and its burn-up. @alpha */
export const scorecardsCampaignPage = PageBlueprint.make({
  name: 'campaign',
  params: {
    path: '/scorecards/campaigns/:id',
    routeRef: campaignRouteRef,
    title: 'Scorecard campaign',
    loader: () =>
      import('./components/NewSystemPages').then(m => (
        <m.NewSystemCampaignPage />
      )),
  },
});

/**
 * Catalog index filter "Scorecard level" on the stamped label `ops.example.com/maturity-level`
 * (§7.3); attaches to the catalog page's filters (`page:catalog`, input `filters`). @alpha
 */
export const scorecardLevelCatalogFilter = CatalogFilterBlueprint.make({
  name: 'scorecard-level',
  params: {
    loader: () =>
      import('./filters/EntityScorecardLevelPicker').then(m => (
        <m.EntityScorecardLevelPicker />
      )),
  },
});

/** The scorecards plugin for the new frontend system. @alpha */
// No plugin icon: the app's nav makes an item for every page with a route ref and an icon, its
// own or its plugin's, so a plugin icon put the checks and campaigns pages in every sidebar.
export default createFrontendPlugin({
  pluginId: 'scorecards',
  // name, version and links for the app's plugin info and `app.pluginOverrides` matching
  info: { packageJson: () => import('../package.json') },
  title: 'Scorecards',
  routes: {
    root: rootRouteRef,
    checks: checksRouteRef,
    campaigns: campaignsRouteRef,
    campaign: campaignRouteRef,
  },
  extensions: [
    scorecardsApi,
    scorecardEntityCard,
    scorecardEntityContent,
    scorecardsPage,
    scorecardsChecksPage,
    scorecardsCampaignsPage,
    scorecardsCampaignPage,
    scorecardLevelCatalogFilter,
  ],
});
