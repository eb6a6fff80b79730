import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
} from '@backstage/core-plugin-api';
import { coreApis } from '@backstage/frontend-plugin-api';
import { ScorecardsClient, scorecardsApiRef } from './api';
import {
  legacyCampaignRouteRef,
  legacyCampaignsRouteRef,
  legacyChecksRouteRef,
  legacyRootRouteRef,
} from './routes';

/** The scorecards plugin for apps on the legacy frontend system. */
export const scorecardsPlugin = createPlugin({
  id: 'scorecards',
  apis: [
    createApiFactory({
      api: scorecardsApiRef,
      deps: { discoveryApi: coreApis.discovery, fetchApi: coreApis.fetch },
      factory: ({ discoveryApi, fetchApi }) =>
        new ScorecardsClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: legacyRootRouteRef,
    checks: legacyChecksRouteRef,
    campaigns: legacyCampaignsRouteRef,
    campaign: legacyCampaignRouteRef,
  },
});

/** Scorecard card for the entity in context (Component, Resource, API, System). */
export const EntityScorecardCard = scorecardsPlugin.provide(
  createComponentExtension({
    name: 'EntityScorecardCard',
    component: {
      lazy: () =>
        import('./components/ScorecardCard').then(m => m.EntityScorecardCard),
    },
  }),
);

/** The "Scorecard" tab content for the entity in context. */
export const EntityScorecardContent = scorecardsPlugin.provide(
  createComponentExtension({
    name: 'EntityScorecardContent',
    component: {
      lazy: () =>
        import('./components/ScorecardContent').then(
          m => m.EntityScorecardContent,
        ),
    },
  }),
);

/**
 * The `/scorecards` pages: rollups at the mount path, and below it `checks` (every check with
 * its rollout, gate readiness and guidance warnings), `campaigns` and `campaigns/:id`.
 */
export const ScorecardsPage = scorecardsPlugin.provide(
  createRoutableExtension({
    name: 'ScorecardsPage',
    component: () =>
      import('./components/LegacyScorecardsPage').then(
        m => m.LegacyScorecardsPage,
      ),
    mountPoint: legacyRootRouteRef,
  }),
);
