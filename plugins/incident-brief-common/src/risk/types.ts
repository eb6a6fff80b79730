import { ChangeRecord } from '../changes/types';

/** Inputs of {@link scoreChangeRisk} (§5), gathered as of the change's `effectiveAt`. */
export interface ChangeRiskInput {
  change: Pick<
    ChangeRecord,
    'kind' | 'status' | 'rollbackOf' | 'remediationFor' | 'attributes'
  >;
  entity: { tier: 1 | 2 | 3 | null; customerFacing: boolean | null };
  blastRadius: {
    total: number;
    anyTier1: boolean;
    anyCustomerFacing: boolean;
    anyTier1CustomerFacing: boolean;
    confidence: 'high' | 'medium' | 'low' | 'unknown';
    ratio: number | null;
  };
  earlierSucceededDeploy: boolean;
  history: {
    known: boolean;
    failedOrRolledBack7d: number;
    sameKindFailed24h: boolean;
  };
  health: {
    fresh: boolean;
    /** ≥ 0; a negative, NaN or infinite burn rate is no reading (D5 counts it as missing) */
    burnRate1h: number | null;
    /**
     * fraction of the error budget left: 1 = untouched, ≤ 0 = exhausted (an overspent budget
     * goes negative); above 1, NaN or infinite is no reading (D5 counts it as missing)
     */
    budgetRemaining: number | null;
    openIncidentOnEntity: boolean;
    openIncidentOnDependency: boolean;
    freezeActive: boolean;
    /**
     * Part of the evidence behind a fresh reading is missing or stale (an SLO without data, a
     * direct dependent of a Resource without fresh SLO evidence): D5 is then at least 2 and
     * unknown, unless the fresh part alone scores 2 or more. Omitted: false.
     */
    incomplete?: boolean;
    /** What the health was read from (facts, ages); D5 names it in its reason and `evidence`. */
    evidence?: string;
  };
  ownerOnCallResolved: boolean;
  /** owners of `InfraAttrs.affectedEntities`, for gap (d); omitted when unknown */
  affectedEntityOwners?: string[];
}

/** Dimension ids of the risk model. */
export type RiskDimensionId = 'D1' | 'D2' | 'D3' | 'D4' | 'D5' | 'D6' | 'D7';

/** One scored dimension with the reason naming its evidence. */
export interface RiskDimension {
  id: RiskDimensionId;
  value: 0 | 1 | 2 | 3;
  unknown: boolean;
  reason: string;
  evidence?: string;
}

/** Risk tiers (`ours` cut-offs). */
export type RiskTier = 'Low' | 'Medium' | 'High' | 'Critical';

/** Output of {@link scoreChangeRisk}. */
export interface ChangeRisk {
  modelVersion: 'risk/1';
  score: number;
  tier: RiskTier;
  lowConfidence: boolean;
  dimensions: RiskDimension[];
  floorsApplied: ('F1' | 'F2' | 'F3' | 'F4')[];
}

/**
 * Health when nothing is known (D5 = 2, unknown): no fresh SLO reading, and neither an incident
 * nor a freeze on record. The base every health reading starts from.
 */
export const UNKNOWN_HEALTH: Readonly<ChangeRiskInput['health']> = {
  fresh: false,
  burnRate1h: null,
  budgetRemaining: null,
  openIncidentOnEntity: false,
  openIncidentOnDependency: false,
  freezeActive: false,
};
