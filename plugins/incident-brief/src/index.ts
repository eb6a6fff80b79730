/**
 * Incident brief cards on service pages: owner and on-call, blast radius, last change, and the
 * brief with copy as markdown.
 *
 * The new-frontend-system plugin is the default export of `./alpha`; this entry point holds the
 * legacy exports and the API (no default export here, so `app.packages: all` installs it once).
 *
 * @packageDocumentation
 */
export {
  incidentBriefPlugin,
  EntityOwnerOnCallCard,
  EntityBlastRadiusCard,
  EntityLastChangeCard,
  EntityIncidentBriefContent,
} from './plugin';
export * from './api';
export {
  isIncidentBriefAvailable,
  INCIDENT_BRIEF_KINDS,
} from './isIncidentBriefAvailable';
