/**
 * Catalog module of the incident brief: emits observed dependency relations from evidence and
 * reports incident-readiness gaps as data.
 *
 * @packageDocumentation
 */
export { catalogModuleIncidentBrief as default } from './module';
export { IncidentBriefProcessor } from './processor/IncidentBriefProcessor';
export {
  RELATION_OBSERVED_DEPENDS_ON,
  RELATION_OBSERVED_DEPENDENCY_OF,
} from './processor/observedRelations';
export { IncidentReadinessChecker } from './readiness/IncidentReadinessChecker';
export type {
  ReadinessGap,
  ReadinessReport,
} from './readiness/IncidentReadinessChecker';
export {
  READINESS_FACT_KIND,
  READINESS_FACT_SOURCE,
} from './readiness/ReadinessFactWriter';
