import {
  EdgeDrift,
  EdgeEvidence,
  EdgeInteraction,
  EdgeObservation,
} from '../graph/types';

/** Which logical edges a search follows. */
export type EdgeFilter = 'all' | 'declared' | 'observed';
/** `dependents`: who needs the roots (impact); `dependencies`: what the roots need. */
export type SearchDirection = 'dependents' | 'dependencies';

/** Options of {@link computeBlastRadius} (§3.1). */
export interface BlastRadiusOptions {
  hops?: number;
  edges?: EdgeFilter;
  includeStale?: boolean;
  direction?: SearchDirection;
  limit?: number;
  cursor?: string;
}

/** One step of a path, in dependency direction (`from` needs `to`). */
export interface PathStep {
  from: string;
  to: string;
  reasons: string[];
  evidence: EdgeEvidence;
  observation: EdgeObservation;
  interaction: EdgeInteraction;
  lastSeen?: string;
  drift: EdgeDrift;
  explainedBy?: string;
}

/** An entity reached by the search (§3.2). */
export interface ImpactedEntity {
  ref: string;
  kind: string;
  title: string;
  hop: number;
  path: PathStep[];
  tier: 1 | 2 | 3 | null;
  customerFacing: boolean | null;
  owner: string | null;
  system: string | null;
  lifecycle: string | null;
  immediate: boolean;
  resolved: boolean;
  /** lifecycle `deprecated` (R22) */
  deprecated: boolean;
}

/** Counts over the examined edges of one search. */
export interface EdgeStats {
  examined: number;
  confirmed: number;
  declaredOnly: number;
  observedOnly: number;
  both: number;
  stale: number;
  unverifiable: number;
  driftUndeclared: number;
  driftUnobserved: number;
}

/** Confidence of a search (§3.3). */
export interface Confidence {
  ratio: number | null;
  level: 'high' | 'medium' | 'low' | 'unknown';
}

/** Result of {@link computeBlastRadius} (§3.1). */
export interface BlastRadiusResult {
  roots: string[];
  hops: number;
  edges: EdgeFilter;
  direction: SearchDirection;
  impacted: ImpactedEntity[];
  truncated: boolean;
  nextCursor?: string;
  counts: {
    total: number;
    byHop: Record<number, number>;
    byTier: { 1: number; 2: number; 3: number; unknown: number };
    customerFacing: number;
    immediate: number;
    deferred: number;
    unresolved: number;
    byKind: Record<string, number>;
    byOwner: Record<string, number>;
    bySystem: Record<string, number>;
    regions: Record<string, number>;
    dataDomains: Record<string, number>;
  };
  entryPoints: { ref: string; entryPoint: string }[];
  edgeStats: EdgeStats;
  confidence: Confidence;
  cycles: string[][];
  unresolved: { ref: string; referencedBy: string; reason: string }[];
  beyondLimit: number;
  /** edges examined by the search, each once, as `from ref → to ref` pairs with their classification */
  examinedEdges: PathStep[];
  asOf: { catalog: string; observedEdges: string };
}

/**
 * A blast radius as the API answers it (IB §3.2, §6.5): the result without `examinedEdges`.
 * Examined edges are an input of the missing-evidence rules (`collectEdgeEvidenceGaps`), as long
 * as the whole radius however small the page; answering them made every page of a 10,000-entity
 * radius ~2.5 MB instead of ~0.7 MB and put every entity of the radius into the caller's
 * permission check (docs/benchmarks.md, "Graph view").
 */
export type BlastRadiusAnswer = Omit<BlastRadiusResult, 'examinedEdges'> & {
  /**
   * The most hops this backend takes (`incidentBrief.blastRadius.maxHops`), so a client offers
   * no more; absent from backends before it was configurable (10).
   */
  maxHops?: number;
};
