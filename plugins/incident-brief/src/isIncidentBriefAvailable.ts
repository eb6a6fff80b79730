import type { Entity } from '@backstage/catalog-model';

/** Kinds the brief's cards apply to (IB §6.5): Components, Resources and Systems. */
export const INCIDENT_BRIEF_KINDS = ['component', 'resource', 'system'];

/** True when the incident-brief cards and tab apply to the entity; use it in `EntitySwitch.Case`. */
export function isIncidentBriefAvailable(entity: Entity): boolean {
  return INCIDENT_BRIEF_KINDS.includes(entity.kind.toLocaleLowerCase('en-US'));
}
