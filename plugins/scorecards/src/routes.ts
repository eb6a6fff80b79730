import { createRouteRef } from '@backstage/frontend-plugin-api';
import { createRouteRef as createLegacyRouteRef } from '@backstage/core-plugin-api';

/** Route of the `/scorecards` page (new frontend system). */
export const rootRouteRef = createRouteRef();

/** Route of the `/scorecards` page (legacy frontend system). */
export const legacyRootRouteRef = createLegacyRouteRef({ id: 'scorecards' });
