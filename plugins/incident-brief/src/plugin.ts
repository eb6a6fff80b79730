import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
} from '@backstage/core-plugin-api';
import { coreApis } from '@backstage/frontend-plugin-api';
import { IncidentBriefClient, incidentBriefApiRef } from './api';

/** The incident-brief plugin for apps on the legacy frontend system. */
export const incidentBriefPlugin = createPlugin({
  id: 'incident-brief',
  apis: [
    createApiFactory({
      api: incidentBriefApiRef,
      deps: { discoveryApi: coreApis.discovery, fetchApi: coreApis.fetch },
      factory: ({ discoveryApi, fetchApi }) =>
        new IncidentBriefClient({ discoveryApi, fetchApi }),
    }),
  ],
});

/** Owner & on-call card for the entity in context. */
export const EntityOwnerOnCallCard = incidentBriefPlugin.provide(
  createComponentExtension({
    name: 'EntityOwnerOnCallCard',
    component: {
      lazy: () =>
        import('./components/OwnerOnCallCard').then(
          m => m.EntityOwnerOnCallCard,
        ),
    },
  }),
);

/** Blast radius card for the entity in context. */
export const EntityBlastRadiusCard = incidentBriefPlugin.provide(
  createComponentExtension({
    name: 'EntityBlastRadiusCard',
    component: {
      lazy: () =>
        import('./components/BlastRadiusCard').then(
          m => m.EntityBlastRadiusCard,
        ),
    },
  }),
);

/** Last change card for the entity in context (`window`, default `24h`). */
export const EntityLastChangeCard = incidentBriefPlugin.provide(
  createComponentExtension({
    name: 'EntityLastChangeCard',
    component: {
      lazy: () =>
        import('./components/LastChangeCard').then(m => m.EntityLastChangeCard),
    },
  }),
);

/** The incident brief of the entity in context, for an `EntityLayout.Route`. */
export const EntityIncidentBriefContent = incidentBriefPlugin.provide(
  createComponentExtension({
    name: 'EntityIncidentBriefContent',
    component: {
      lazy: () =>
        import('./components/IncidentBriefContent').then(
          m => m.EntityIncidentBriefContent,
        ),
    },
  }),
);
