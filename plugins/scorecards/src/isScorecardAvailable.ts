import type { Entity } from '@backstage/catalog-model';

/** Kinds that get a scorecard (scorecards §2.1); Group, User, Domain, Location, Template never do. */
export const SCORECARD_KINDS = ['component', 'resource', 'api', 'system'];

/** True when the scorecard card and tab apply to the entity; use it in `EntitySwitch.Case`. */
export function isScorecardAvailable(entity: Entity): boolean {
  return SCORECARD_KINDS.includes(entity.kind.toLocaleLowerCase('en-US'));
}
