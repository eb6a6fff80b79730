import { CheckClass, RolloutPhase, Severity, Theme } from './checkModel';
import { LevelId, LevelValue } from './levels';

/** Final state of a check result. */
export type ResultState =
  | 'pass'
  | 'fail'
  | 'unknown'
  | 'not-applicable'
  | 'waived';

/** State a check type produces, before waivers. */
export type RawState = 'pass' | 'fail' | 'unknown' | 'not-applicable';

/** Why an input is missing (scorecards §2.5). */
export type MissingCause =
  | 'missing'
  | 'stale'
  | 'source-unavailable'
  | 'join-key-missing'
  | 'not-collected';

/** Per-entity collection errors reported by collectors (scorecards §2.5). */
export type CollectionError =
  | 'join-key-missing'
  | 'not-found'
  | 'access-denied'
  | 'timeout'
  | 'server-error'
  | 'unsupported-host';

/** One piece of evidence a result used, with its age. */
export interface EvidenceUsed {
  source: string;
  kind: string;
  observedAt: string;
  ageSeconds: number;
  fresh: boolean;
  freshForSeconds: number;
  summary: string;
  url?: string;
}

/** One input a result needed but could not use. */
export interface MissingEvidence {
  source: string;
  kind: string;
  cause: MissingCause;
  ageSeconds?: number;
  freshForSeconds?: number;
  /**
   * When the record that is not fresh enough was observed (a `stale` read; absent when there is
   * no record). History compares it between two evaluations, so evidence that only aged is
   * told from evidence that changed (§2.10 `evidence-aged`).
   */
  observedAt?: string;
  /** The collector's per-entity error, when one is recorded; drives attribution (§2.9). */
  collectionError?: CollectionError;
  hint: string;
}

/** What a check type returns: a three-valued state plus its explanation. */
export interface RawOutcome {
  state: RawState;
  reason: string;
  message: string;
  expected: string;
  found: string;
  evidence: EvidenceUsed[];
  missing: MissingEvidence[];
  notes?: string[];
}

/** Waiver kinds (scorecards §2.8), for the API's validation and the catalog module's reads. */
export const WAIVER_KINDS = [
  'exception',
  'platform-blocked',
  'decommissioning',
  'frozen',
  'false-positive',
] as const;

/** Waiver kinds (scorecards §2.8). */
export type WaiverKind = (typeof WAIVER_KINDS)[number];

/** The evaluated result of one check for one entity (scorecards §2.6). */
export interface CheckResult {
  checkId: string;
  checkVersion: number;
  title: string;
  theme: Theme;
  class: CheckClass;
  level: LevelId | null;
  severity: Severity;
  phase: RolloutPhase;
  /** Class required, or contextual in context, and phase not observe. */
  gating: boolean;
  state: ResultState;
  rawState: RawState;
  reason: string;
  message: string;
  expected: string;
  found: string;
  evidence: EvidenceUsed[];
  missing: MissingEvidence[];
  notes: string[];
  attribution: 'service' | 'platform' | null;
  platformCapability?: { id: string; owner: string; issue?: string };
  waiver?: { id: string; kind: WaiverKind; expiresAt: string; unused: boolean };
  fix?: { summary: string; url?: string; templateRef?: string };
  nextPhase?: { phase: RolloutPhase; from: string };
  since: string;
}

/** One unsatisfied gating check on the way to a higher level. */
export interface Blocker {
  level: LevelId;
  checkId: string;
  state: 'fail' | 'unknown';
  attribution: 'service' | 'platform';
  message: string;
  fix?: CheckResult['fix'];
  missing: MissingEvidence[];
}

/** Navigation-only score: passed over counted, never weighted (§2.7). */
export interface Score {
  passed: number;
  counted: number;
  waived: number;
  unknown: number;
  failed: number;
}

/** The engine's answer for a scored entity: levels, blockers, score and every result. */
export interface EntityEvaluation {
  entityRef: string;
  scored: true;
  evaluatedAt: string;
  standard: { id: string; version: number };
  lifecycle: string;
  rated: boolean;
  tier: 1 | 2 | 3 | null;
  level: LevelValue;
  ceiling: LevelId | null;
  expectedLevel: LevelId | null;
  belowExpected: boolean;
  nextLevel: LevelId | null;
  blockers: Blocker[];
  score: Score;
  results: CheckResult[];
}

/** The engine's answer for kinds that are never scored (SR34). */
export interface UnscoredEvaluation {
  entityRef: string;
  scored: false;
}
