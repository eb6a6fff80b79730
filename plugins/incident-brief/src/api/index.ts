export { incidentBriefApiRef } from './IncidentBriefApi';
export type {
  IncidentBriefApi,
  BriefResponse,
  ChangesResponse,
  ChangesScope,
  BlastRadiusQuery,
  BriefQuery,
  EvidenceAvailability,
} from './IncidentBriefApi';
export { IncidentBriefClient } from './IncidentBriefClient';
