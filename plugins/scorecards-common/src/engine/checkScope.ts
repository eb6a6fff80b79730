import { EntitySubject } from '../catalog/entitySubject';
import { CompiledCheck } from '../standard/compiledStandard';

/** Why a check does not apply, or null when it does (scorecards §2.3). */
export type ScopeMiss =
  | 'NOT_IN_SCOPE'
  | 'LIFECYCLE_SCOPE'
  | 'CONTEXT_NOT_MATCHED'
  | null;

/** Kind, type and tier first (NOT_IN_SCOPE), then lifecycle (LIFECYCLE_SCOPE), then context. */
export function scopeMiss(
  check: CompiledCheck,
  subject: EntitySubject,
): ScopeMiss {
  if (!check.kinds.has(subject.kind)) return 'NOT_IN_SCOPE';
  if (
    check.types &&
    !(subject.type !== undefined && check.types.has(subject.type))
  )
    return 'NOT_IN_SCOPE';
  if (check.tiers && !check.tiers.has(subject.tier)) return 'NOT_IN_SCOPE';
  if (!check.lifecycles.has(subject.scopeLifecycle)) return 'LIFECYCLE_SCOPE';
  if (
    check.class === 'contextual' &&
    check.context &&
    !contextHolds(check, subject)
  ) {
    return 'CONTEXT_NOT_MATCHED';
  }
  return null;
}

/**
 * One clause must hold; an unknown attribute counts as holding, because missing data is never
 * read as low risk (34).
 */
export function contextHolds(
  check: CompiledCheck,
  subject: EntitySubject,
): boolean {
  for (const clause of check.context ?? []) {
    if ('customerFacing' in clause) {
      if (subject.customerFacing !== false) return true;
    } else if ('dataDomains' in clause) {
      if (subject.dataDomains === null) return true;
      if (subject.dataDomains.some(d => clause.dataDomains.includes(d)))
        return true;
    } else if ('providesApis' in clause) {
      if (subject.providesApis.length > 0) return true;
    } else if ('resourceTypes' in clause) {
      if (
        subject.type !== undefined &&
        clause.resourceTypes.includes(subject.type)
      )
        return true;
    }
  }
  return false;
}
