import { EvidenceUsed } from '../model/resultModel';

/**
 * The evaluated entity's own catalog record as evidence (what a field check cites): observed
 * at the evaluation's instant, always fresh, with no freshness window — it is read anew at
 * every evaluation, so time alone never makes it stale.
 */
export function entityRecordEvidence(ref: string, now: string): EvidenceUsed {
  return {
    source: 'catalog',
    kind: 'catalog',
    observedAt: now,
    ageSeconds: 0,
    fresh: true,
    freshForSeconds: 0,
    summary: `entity record of ${ref}`,
  };
}
