import {
  ApiBlueprint,
  createFrontendPlugin,
  coreApis,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { IncidentBriefClient, incidentBriefApiRef } from './api';
import { isIncidentBriefAvailable } from './isIncidentBriefAvailable';

/** Reads briefs from `incident-brief-backend`. @alpha */
export const incidentBriefApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: incidentBriefApiRef,
      deps: { discoveryApi: coreApis.discovery, fetchApi: coreApis.fetch },
      factory: ({ discoveryApi, fetchApi }) =>
        new IncidentBriefClient({ discoveryApi, fetchApi }),
    }),
});

/** Owner & on-call: owner group, current on-call, escalation, channel, runbook. @alpha */
export const ownerOnCallCard = EntityCardBlueprint.make({
  name: 'owner-oncall',
  params: {
    type: 'info',
    filter: isIncidentBriefAvailable,
    loader: () =>
      import('./components/OwnerOnCallCard').then(m => (
        <m.EntityOwnerOnCallCard />
      )),
  },
});

/** Blast radius: counts, impacted list with paths, graph view. @alpha */
export const blastRadiusCard = EntityCardBlueprint.make({
  name: 'blast-radius',
  params: {
    type: 'content',
    filter: isIncidentBriefAvailable,
    loader: () =>
      import('./components/BlastRadiusCard').then(m => (
        <m.EntityBlastRadiusCard />
      )),
  },
});

/** Last change: the ledger timeline of the entity and its dependencies. @alpha */
export const lastChangeCard = EntityCardBlueprint.make({
  name: 'last-change',
  params: {
    type: 'content',
    filter: isIncidentBriefAvailable,
    loader: () =>
      import('./components/LastChangeCard').then(m => (
        <m.EntityLastChangeCard />
      )),
  },
});

/** The "Incident brief" tab: every section, confidence, missing evidence, copy as markdown. @alpha */
export const incidentBriefContent = EntityContentBlueprint.make({
  params: {
    path: '/incident-brief',
    title: 'Incident brief',
    filter: isIncidentBriefAvailable,
    loader: () =>
      import('./components/IncidentBriefContent').then(m => (
        <m.EntityIncidentBriefContent />
      )),
  },
});

/** The incident-brief plugin for the new frontend system. @alpha */
export default createFrontendPlugin({
  pluginId: 'incident-brief',
  // name, version and links for the app's plugin info and `app.pluginOverrides` matching
  info: { packageJson: () => import('../package.json') },
  title: 'Incident brief',
  extensions: [
    incidentBriefApi,
    ownerOnCallCard,
    blastRadiusCard,
    lastChangeCard,
    incidentBriefContent,
  ],
});
