import {
  GraphIndex,
  IncidentBrief,
} from '@internal/plugin-incident-brief-common';
import { apiOfReason } from './restrictUnreadable';

/** Edge gaps (IB §6.2): their subject is the edge's `from`; the text names its `to` and APIs. */
const EDGE_GAPS = new Set([
  'EDGE_UNDECLARED',
  'EDGE_DECLARED_NOT_OBSERVED',
  'EDGE_STALE',
]);

/**
 * Entity refs the missing-evidence items of a brief name in their text besides their subject,
 * which the brief does not hold as data and `briefRefs` cannot see: the other end and the APIs of
 * an edge gap (the search's examined edges stay in the backend, and the other end may be beyond
 * the listed page) and the other claimants of a void alias (`ALIAS_CONFLICT`). Read from the
 * index the brief was assembled from. Deliberately wide — every dependency of an edge gap's
 * subject, not only the one its text names — since these refs only decide which texts are
 * checked against what the caller may read; a subject has a handful of dependencies.
 */
export function missingEvidenceRefs(
  index: GraphIndex,
  brief: IncidentBrief,
): Set<string> {
  const out = new Set<string>();
  const subjects = new Set<string>();
  for (const m of brief.missingEvidence) {
    if (EDGE_GAPS.has(m.code)) subjects.add(m.subject);
    if (m.code === 'ALIAS_CONFLICT') {
      for (const conflict of index.aliasConflicts) {
        if (conflict.refs.includes(m.subject)) {
          for (const ref of conflict.refs) out.add(ref);
        }
      }
    }
  }
  for (const subject of subjects) {
    const id = index.idOf(subject);
    if (id < 0) continue;
    index.forEachNeighbour(id, 'forward', (to, edge) => {
      out.add(index.refOf(to));
      // declared reasons do not depend on the time (only `observed` does)
      for (const reason of index.reasonsOf(edge, 0)) {
        const api = apiOfReason(reason);
        if (api !== null) out.add(api);
      }
    });
  }
  return out;
}
