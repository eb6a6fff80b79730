import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
} from '@backstage/core-plugin-api';
import { coreApis } from '@backstage/frontend-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { GoldenPathsClient, goldenPathsApiRef } from './api';
import {
  GOLDEN_PATH_AVAILABILITY_FIELD,
  GoldenPathAvailabilityField,
} from './components/GoldenPathAvailabilityField';
import {
  legacyApprovalsRouteRef,
  legacyKillSwitchesRouteRef,
  legacyRequestsRouteRef,
} from './routes';

/** The golden-paths plugin for apps on the legacy frontend system. */
export const goldenPathsPlugin = createPlugin({
  id: 'golden-paths',
  apis: [
    createApiFactory({
      api: goldenPathsApiRef,
      deps: { discoveryApi: coreApis.discovery, fetchApi: coreApis.fetch },
      factory: ({ discoveryApi, fetchApi }) =>
        new GoldenPathsClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    approvals: legacyApprovalsRouteRef,
    requests: legacyRequestsRouteRef,
    killSwitches: legacyKillSwitchesRouteRef,
  },
});

/** The approvals inbox page; mount it at `/golden-paths/approvals`. */
export const GoldenPathsApprovalsPage = goldenPathsPlugin.provide(
  createRoutableExtension({
    name: 'GoldenPathsApprovalsPage',
    component: () =>
      import('./components/LegacyPages').then(m => m.LegacyApprovalsPage),
    mountPoint: legacyApprovalsRouteRef,
  }),
);

/** The requests list and request detail (`/:key`); mount it at `/golden-paths/requests`. */
export const GoldenPathsRequestsPage = goldenPathsPlugin.provide(
  createRoutableExtension({
    name: 'GoldenPathsRequestsPage',
    component: () =>
      import('./components/LegacyPages').then(m => m.LegacyRequestsPage),
    mountPoint: legacyRequestsRouteRef,
  }),
);

/** The kill switches (operators, §4.7); mount it at `/golden-paths/kill-switches`. */
export const GoldenPathsKillSwitchesPage = goldenPathsPlugin.provide(
  createRoutableExtension({
    name: 'GoldenPathsKillSwitchesPage',
    component: () =>
      import('./components/LegacyPages').then(m => m.LegacyKillSwitchesPage),
    mountPoint: legacyKillSwitchesRouteRef,
  }),
);

/** The Lifecycle card for the entity in context; show it when `isLifecycleAvailable`. */
export const EntityLifecycleCard = goldenPathsPlugin.provide(
  createComponentExtension({
    name: 'EntityLifecycleCard',
    component: {
      lazy: () =>
        import('./components/LifecycleCard').then(m => m.EntityLifecycleCard),
    },
  }),
);

/**
 * The `GoldenPathAvailability` scaffolder field: the kill switches that stop a template, on its
 * form; place it inside `<ScaffolderFieldExtensions>`. It links to the default kill-switch path.
 */
export const GoldenPathAvailabilityFieldExtension = goldenPathsPlugin.provide(
  createScaffolderFieldExtension({
    name: GOLDEN_PATH_AVAILABILITY_FIELD,
    component: GoldenPathAvailabilityField,
  }),
);
