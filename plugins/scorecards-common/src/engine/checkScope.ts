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
  return baseScopeMiss(check, subject) ?? contextMiss(check, subject);
}

/** The scope of a check by the entity's kind, type, tier and lifecycle only (no context). */
export function baseScopeMiss(
  check: CompiledCheck,
  subject: Pick<EntitySubject, 'kind' | 'type' | 'tier' | 'scopeLifecycle'>,
): ScopeMiss {
  if (!check.kinds.has(subject.kind)) return 'NOT_IN_SCOPE';
  if (
    check.types &&
    !(subject.type !== undefined && check.types.has(subject.type))
  )
    return 'NOT_IN_SCOPE';
  if (check.tiers && !check.tiers.has(subject.tier)) return 'NOT_IN_SCOPE';
  if (!check.lifecycles.has(subject.scopeLifecycle)) return 'LIFECYCLE_SCOPE';
  return null;
}

/** CONTEXT_NOT_MATCHED for a contextual check none of whose context clauses holds, else null. */
export function contextMiss(
  check: CompiledCheck,
  subject: EntitySubject,
): ScopeMiss {
  if (
    check.class === 'contextual' &&
    check.context &&
    !contextHolds(check, subject)
  ) {
    return 'CONTEXT_NOT_MATCHED';
  }
  return null;
}

/** A map of `V` for one key, created on first use. */
function branch<K, V>(map: Map<K, Map<unknown, V>>, key: K): Map<unknown, V> {
  let next = map.get(key);
  if (!next) {
    next = new Map();
    map.set(key, next);
  }
  return next;
}

/**
 * Base scope misses of every check of a standard for one (kind, type, tier, lifecycle): entities
 * share few such combinations, so the answers are kept per combination (a bounded number). The
 * table is nested by field rather than keyed by one joined string: the fields are strings the
 * entity already holds (their hashes cached), where a joined key is a new string to flatten and
 * hash for every evaluation.
 */
export class ScopeTable {
  private readonly byKind = new Map<
    string,
    Map<unknown, Map<unknown, Map<unknown, ScopeMiss[]>>>
  >();
  private size = 0;

  constructor(
    private readonly checks: readonly CompiledCheck[],
    private readonly maxEntries = 4096,
  ) {}

  /** `ScopeMiss` per check (in the standard's order) for the subject, context not included. */
  misses(subject: EntitySubject): ScopeMiss[] {
    const byType = this.byKind.get(subject.kind);
    const byTier = byType?.get(subject.type);
    const byLifecycle = byTier?.get(subject.tier);
    const known = byLifecycle?.get(subject.scopeLifecycle);
    if (known) return known;
    const misses = this.checks.map(check => baseScopeMiss(check, subject));
    if (this.size < this.maxEntries) {
      this.size++;
      branch(
        branch(branch(this.byKind, subject.kind), subject.type),
        subject.tier,
      ).set(subject.scopeLifecycle, misses);
    }
    return misses;
  }
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
