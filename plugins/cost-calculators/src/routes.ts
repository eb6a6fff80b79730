import { createRouteRef } from '@backstage/frontend-plugin-api';
import { createRouteRef as createLegacyRouteRef } from '@backstage/core-plugin-api';

/** Route of the `/cost-calculators` page (new frontend system). */
export const rootRouteRef = createRouteRef();

/** Route of the `/cost-calculators` page (legacy frontend system). */
export const legacyRootRouteRef = createLegacyRouteRef({
  id: 'cost-calculators',
});
