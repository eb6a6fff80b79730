import { EvidenceUsed, MissingEvidence } from '../model/resultModel';
import { ObservedEdge } from './evidenceTypes';

/** Telemetry presence of an entity (evidence §5.2, incident-brief §2.5). */
export interface TelemetryPresence {
  state: 'present' | 'absent' | 'unknown';
  /** Aliases with a fresh series. */
  seriesAliases: string[];
  /** Fresh observed edges touching the entity. */
  freshEdges: ObservedEdge[];
  evidence: EvidenceUsed[];
  missing: MissingEvidence[];
}
