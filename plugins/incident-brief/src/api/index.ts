export { incidentBriefApiRef } from './IncidentBriefApi';
export type {
  IncidentBriefApi,
  BriefResponse,
  ChangesResponse,
  BlastRadiusQuery,
  BriefQuery,
  EvidenceAvailability,
} from './IncidentBriefApi';
export { IncidentBriefClient } from './IncidentBriefClient';
