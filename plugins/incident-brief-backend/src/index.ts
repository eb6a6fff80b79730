/**
 * Incident brief backend: graph index, brief, blast-radius and changes API.
 *
 * @packageDocumentation
 */
export { incidentBriefPlugin as default } from './plugin';
export { StaticOnCallProvider } from './oncall/StaticOnCallProvider';
export type { OnCallProvider } from './oncall/OnCallProvider';
