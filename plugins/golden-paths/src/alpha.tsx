import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  coreApis,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import ApprovalIcon from '@material-ui/icons/AssignmentTurnedIn';
import { GoldenPathsClient, goldenPathsApiRef } from './api';
import { isLifecycleAvailable } from './isLifecycleAvailable';
import {
  approvalsRouteRef,
  killSwitchesRouteRef,
  requestRouteRef,
  requestsRouteRef,
} from './routes';

/** Reads and decides requests and approvals through `golden-paths-backend`. @alpha */
export const goldenPathsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: goldenPathsApiRef,
      deps: { discoveryApi: coreApis.discovery, fetchApi: coreApis.fetch },
      factory: ({ discoveryApi, fetchApi }) =>
        new GoldenPathsClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * `/golden-paths/approvals`: the approvals inbox. Its title and icon make it the plugin's nav
 * item (frontend-plugin-api 1.0 derives nav items from pages; it has no NavItemBlueprint).
 * @alpha
 */
export const goldenPathsApprovalsPage = PageBlueprint.make({
  name: 'approvals',
  params: {
    path: '/golden-paths/approvals',
    routeRef: approvalsRouteRef,
    title: 'Approvals',
    icon: <ApprovalIcon fontSize="inherit" />,
    loader: () => import('./components/pages').then(m => <m.ApprovalsPage />),
  },
});

/** `/golden-paths/requests`: the ledger's requests (no nav item: no icon). @alpha */
export const goldenPathsRequestsPage = PageBlueprint.make({
  name: 'requests',
  params: {
    path: '/golden-paths/requests',
    routeRef: requestsRouteRef,
    title: 'Golden-path requests',
    loader: () => import('./components/pages').then(m => <m.RequestsPage />),
  },
});

/** `/golden-paths/requests/:key`: plan, steps, approvals and audit trail of one request. @alpha */
export const goldenPathsRequestPage = PageBlueprint.make({
  name: 'request',
  params: {
    path: '/golden-paths/requests/:key',
    routeRef: requestRouteRef,
    title: 'Golden-path request',
    loader: () => import('./components/pages').then(m => <m.RequestPage />),
  },
});

/**
 * `/golden-paths/kill-switches`: the operator's switches (§4.7), linked from the plugin's pages
 * (no nav item: no icon; most users never change a switch). @alpha
 */
export const goldenPathsKillSwitchesPage = PageBlueprint.make({
  name: 'kill-switches',
  params: {
    path: '/golden-paths/kill-switches',
    routeRef: killSwitchesRouteRef,
    title: 'Golden-path kill switches',
    loader: () =>
      import('./components/pages').then(m => <m.KillSwitchesPage />),
  },
});

/** The Lifecycle card on entities a golden path created (`ops.example.com/request-key`). @alpha */
export const lifecycleEntityCard = EntityCardBlueprint.make({
  name: 'lifecycle',
  params: {
    type: 'info',
    filter: isLifecycleAvailable,
    loader: () => import('./components/pages').then(m => <m.LifecycleCard />),
  },
});

/**
 * The `GoldenPathAvailability` scaffolder field (`ui:field: GoldenPathAvailability`): the kill
 * switches that stop a template, on its form. It attaches to the scaffolder's
 * `api:scaffolder/form-fields`, so `/create` offers it without app code. @alpha
 */
export const goldenPathAvailabilityFormField = FormFieldBlueprint.make({
  name: 'availability',
  params: {
    field: () =>
      import('./components/goldenPathAvailabilityFormField').then(
        m => m.goldenPathAvailabilityFormField,
      ),
  },
});

/** The golden-paths plugin for the new frontend system. @alpha */
export default createFrontendPlugin({
  pluginId: 'golden-paths',
  // name, version and links for the app's plugin info and `app.pluginOverrides` matching
  info: { packageJson: () => import('../package.json') },
  title: 'Golden paths',
  routes: {
    approvals: approvalsRouteRef,
    requests: requestsRouteRef,
    request: requestRouteRef,
    killSwitches: killSwitchesRouteRef,
  },
  extensions: [
    goldenPathsApi,
    goldenPathsApprovalsPage,
    goldenPathsRequestsPage,
    goldenPathsRequestPage,
    goldenPathsKillSwitchesPage,
    lifecycleEntityCard,
    goldenPathAvailabilityFormField,
  ],
});
