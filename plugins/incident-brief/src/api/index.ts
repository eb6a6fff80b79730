export {
  incidentBriefApiRef,
  ownerSectionOf,
  readOwner,
} from './IncidentBriefApi';
export type {
  IncidentBriefApi,
  BriefResponse,
  OwnerResponse,
  ChangesResponse,
  ChangesScope,
  BlastRadiusQuery,
  BriefQuery,
  EvidenceAvailability,
} from './IncidentBriefApi';
export { IncidentBriefClient } from './IncidentBriefClient';
