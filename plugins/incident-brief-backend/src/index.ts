/**
 * Incident brief backend: graph index, brief, blast-radius and changes API.
 *
 * @packageDocumentation
 */
export { incidentBriefPlugin as default } from './plugin';
export { StaticOnCallProvider } from '@internal/plugin-evidence-node';
export type { OnCallProvider } from '@internal/plugin-evidence-node';
