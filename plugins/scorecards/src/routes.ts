import { createRouteRef } from '@backstage/frontend-plugin-api';
import {
  createRouteRef as createLegacyRouteRef,
  createSubRouteRef as createLegacySubRouteRef,
} from '@backstage/core-plugin-api';

/** Route of the `/scorecards` page (new frontend system). */
export const rootRouteRef = createRouteRef();

/** Route of the `/scorecards/checks` page (new frontend system). */
export const checksRouteRef = createRouteRef();

/** Route of the `/scorecards/campaigns` list (new frontend system). */
export const campaignsRouteRef = createRouteRef();

/** Route of the `/scorecards/campaigns/:id` page (new frontend system). */
export const campaignRouteRef = createRouteRef({ params: ['id'] });

/** Route of the `/scorecards` page (legacy frontend system). */
export const legacyRootRouteRef = createLegacyRouteRef({ id: 'scorecards' });

/** `<root>/checks`, served by the legacy root page itself. */
export const legacyChecksRouteRef = createLegacySubRouteRef({
  id: 'scorecards/checks',
  parent: legacyRootRouteRef,
  path: '/checks',
});

/** `<root>/campaigns`, served by the legacy root page itself. */
export const legacyCampaignsRouteRef = createLegacySubRouteRef({
  id: 'scorecards/campaigns',
  parent: legacyRootRouteRef,
  path: '/campaigns',
});

/** `<root>/campaigns/:id`, served by the legacy root page itself. */
export const legacyCampaignRouteRef = createLegacySubRouteRef({
  id: 'scorecards/campaign',
  parent: legacyRootRouteRef,
  path: '/campaigns/:id',
});
