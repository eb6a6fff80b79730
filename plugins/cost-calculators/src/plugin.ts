import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
} from '@backstage/core-plugin-api';
import { coreApis } from '@backstage/frontend-plugin-api';
import { CostCalculatorsClient, costCalculatorsApiRef } from './api';
import { legacyRootRouteRef } from './routes';

/** The cost-calculators plugin for apps on the legacy frontend system. */
export const costCalculatorsPlugin = createPlugin({
  id: 'cost-calculators',
  apis: [
    createApiFactory({
      api: costCalculatorsApiRef,
      deps: { configApi: coreApis.config },
      factory: ({ configApi }) => new CostCalculatorsClient({ configApi }),
    }),
  ],
  routes: { root: legacyRootRouteRef },
});

/** Every cost-calculator card whose triggers hold for the entity in context (optionally only `cards`). */
export const EntityCostCalculatorsCard = costCalculatorsPlugin.provide(
  createComponentExtension({
    name: 'EntityCostCalculatorsCard',
    component: {
      lazy: () =>
        import('./components/CostCalculatorCard').then(
          m => m.CostCalculatorCards,
        ),
    },
  }),
);

/** The `/cost-calculators` page; mount it at `/cost-calculators` so share links resolve. */
export const CostCalculatorsPage = costCalculatorsPlugin.provide(
  createRoutableExtension({
    name: 'CostCalculatorsPage',
    component: () =>
      import('./components/LegacyCostCalculatorsPage').then(
        m => m.LegacyCostCalculatorsPage,
      ),
    mountPoint: legacyRootRouteRef,
  }),
);
