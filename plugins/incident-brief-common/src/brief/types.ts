import { BlastRadiusAnswer } from '../blastRadius/types';
import { ChangeInWindow } from '../changes/selectChangesInWindow';
import { ChangeRecord } from '../changes/types';
import { OwnershipResolution } from '../ownership/types';
import { ChangeRisk } from '../risk/types';
import { MissingEvidence } from './missingEvidenceTypes';

/** Confidence levels ordered unknown < low < medium < high. */
export type ConfidenceLevel = 'unknown' | 'low' | 'medium' | 'high';

/** The incident brief (§6.1), one read model for the card, the JSON API and markdown. */
export interface IncidentBrief {
  header: {
    title: string;
    ref: string;
    aliasMatched: string | null;
    tier: 1 | 2 | 3 | null;
    customerFacing: boolean | null;
    lifecycle: string | null;
    system: string | null;
    domain: string | null;
    regions: string[];
    generatedAt: string;
    incidentTime: string;
    /**
     * The `now` freshness, presence and ages were evaluated against (R19: unlike `generatedAt`,
     * part of the deterministic output); "last collected X ago" and on-call ages count from it.
     */
    evaluatedAt: string;
  };
  owner: OwnershipResolution & {
    /** owners of Resources in the dependency list (substrate, 48) */
    substrateOwners: { ref: string; owner: string }[];
    /** display names of the on-call people, resolved from User entities */
    onCallNames: { primary: string; secondary?: string } | null;
  };
  /** without `examinedEdges` (see `BlastRadiusAnswer`) */
  blastRadius: BlastRadiusAnswer;
  dependencies: BlastRadiusAnswer;
  unmappedTelemetry: { ref: string; name: string; role: 'callee' | 'caller' }[];
  changes: {
    window: { from: string; to: string };
    dependencyHops: number;
    items: (ChangeInWindow & { risk: ChangeRisk | null })[];
    lastChange: ChangeRecord | null;
    lastSuccessfulDeploy: ChangeRecord | null;
  };
  missingEvidence: MissingEvidence[];
  confidence: {
    owner: ConfidenceLevel;
    blastRadius: ConfidenceLevel;
    changes: ConfidenceLevel;
    overall: ConfidenceLevel;
  };
}
