import { ConfidenceLevel } from './types';
import { MissingEvidence } from './missingEvidenceTypes';

const ORDER: ConfidenceLevel[] = ['unknown', 'low', 'medium', 'high'];

/** The lowest of several levels (unknown < low < medium < high). */
export function lowestConfidence(levels: ConfidenceLevel[]): ConfidenceLevel {
  return levels.reduce(
    (min, l) => (ORDER.indexOf(l) < ORDER.indexOf(min) ? l : min),
    'high',
  );
}

/** Owner section (§6.2): low on unresolved/user owner or no on-call; medium without a current on-call. */
export function rateOwnerConfidence(
  issues: MissingEvidence[],
  onCallFound: boolean,
): ConfidenceLevel {
  if (
    issues.some(i =>
      ['OWNER_UNRESOLVED', 'OWNER_IS_USER', 'NO_ONCALL'].includes(i.code),
    )
  ) {
    return 'low';
  }
  return onCallFound ? 'high' : 'medium';
}

/** Changes section (§6.2): by ledger coverage within 30 d of the root and its in-scope dependencies. */
export function rateChangesConfidence(
  rootCovered: boolean,
  uncoveredDependencies: number,
): ConfidenceLevel {
  if (!rootCovered) return 'low';
  return uncoveredDependencies === 0 ? 'high' : 'medium';
}
