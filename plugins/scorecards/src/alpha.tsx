import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  CatalogFilterBlueprint,
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import ScoreIcon from '@material-ui/icons/Assessment';
import { ScorecardsClient, scorecardsApiRef } from './api';
import { isScorecardAvailable } from './isScorecardAvailable';
import { rootRouteRef } from './routes';

/** Reads scorecards and rollups from `scorecards-backend`. @alpha */
export const scorecardsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: scorecardsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
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
      import('./components/ScorecardsPage').then(m => (
        <m.ScorecardsPageContent />
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
export default createFrontendPlugin({
  pluginId: 'scorecards',
  title: 'Scorecards',
  icon: <ScoreIcon fontSize="inherit" />,
  routes: { root: rootRouteRef },
  extensions: [
    scorecardsApi,
    scorecardEntityCard,
    scorecardEntityContent,
    scorecardsPage,
    scorecardLevelCatalogFilter,
  ],
});
