import { LevelId, LevelValue, levelRank } from '../model/levels';
import {
  CheckResult,
  EntityEvaluation,
  ResultState,
} from '../model/resultModel';

/** Why a state changed, in the precedence order of scorecards §2.10. */
export const TRANSITION_CAUSES = [
  'standard-changed',
  'phase-changed',
  'waiver-changed',
  'source-outage',
  'entity-changed',
  'evidence-changed',
  'evidence-aged',
] as const;

/** A transition cause. */
export type TransitionCause = (typeof TRANSITION_CAUSES)[number];

/** A stored transition row: a check row (checkId set) or a level row (checkId null). */
export interface Transition {
  entityRef: string;
  checkId: string | null;
  from: string | null;
  to: string;
  fromReason?: string;
  toReason?: string;
  at: string;
  cause: TransitionCause;
  checkVersion: number | null;
  evidenceObservedAt?: string;
  /** A team regression (§2.10); standard, phase and outage causes never are. */
  regression: boolean;
}

/** What history keeps of one result: enough to detect and explain a change. */
export interface HistoryResult {
  checkId: string;
  checkVersion: number;
  /** The check's level; absent in snapshots stored before 2026-12-06. */
  level?: LevelId | null;
  phase: string;
  state: ResultState;
  reason: string;
  gating: boolean;
  attribution: 'service' | 'platform' | null;
  waiverId: string | null;
  evidenceObservedAt: string | null;
  unknownCause: 'source-outage' | 'stale' | 'other' | null;
}

/** The latest result set of an entity as the backend stores it. */
export interface HistorySnapshot {
  entityRef: string;
  level: LevelValue;
  entityHash: string;
  results: HistoryResult[];
}

function unknownCauseOf(r: CheckResult): HistoryResult['unknownCause'] {
  if (r.rawState !== 'unknown') return null;
  if (
    r.missing.some(
      m => m.cause === 'source-unavailable' || m.cause === 'not-collected',
    )
  ) {
    return 'source-outage';
  }
  return r.missing.some(m => m.cause === 'stale') ? 'stale' : 'other';
}

/** Reduces an evaluation to its history snapshot. */
export function toHistorySnapshot(
  evaluation: EntityEvaluation,
  entityHash: string,
): HistorySnapshot {
  return {
    entityRef: evaluation.entityRef,
    level: evaluation.level,
    entityHash,
    results: evaluation.results.map(r => {
      // The newest observation the result rests on, a stale record's included: a result that
      // went unknown because its record aged keeps that record's time, so the change reads as
      // evidence-aged rather than evidence-changed.
      let newest: string | null = null;
      for (const e of r.evidence)
        if (e.kind !== 'catalog' && (!newest || e.observedAt > newest))
          newest = e.observedAt;
      for (const m of r.missing)
        if (m.observedAt !== undefined && (!newest || m.observedAt > newest))
          newest = m.observedAt;
      const unknownCause = unknownCauseOf(r);
      return {
        checkId: r.checkId,
        checkVersion: r.checkVersion,
        level: r.level,
        phase: r.phase,
        state: r.state,
        reason: r.reason,
        gating: r.gating,
        attribution: r.attribution,
        waiverId: r.waiver && !r.waiver.unused ? r.waiver.id : null,
        evidenceObservedAt: newest,
        unknownCause,
      };
    }),
  };
}

function causeOf(
  prev: HistoryResult,
  next: HistoryResult,
  entityChanged: boolean,
): TransitionCause {
  if (prev.checkVersion !== next.checkVersion) return 'standard-changed';
  if (prev.phase !== next.phase) return 'phase-changed';
  if (prev.waiverId !== next.waiverId) return 'waiver-changed';
  if (next.unknownCause === 'source-outage' && next.attribution === 'platform')
    return 'source-outage';
  if (entityChanged) return 'entity-changed';
  if (
    next.unknownCause === 'stale' &&
    prev.evidenceObservedAt === next.evidenceObservedAt
  )
    return 'evidence-aged';
  return 'evidence-changed';
}

const SATISFIED = new Set<ResultState>(['pass', 'waived', 'not-applicable']);

/** Whether a result keeps the entity below its check's level: gating and not satisfied. */
function holdsDown(r: HistoryResult | undefined): boolean {
  return r !== undefined && r.gating && !SATISFIED.has(r.state);
}

function isCheckRegression(
  prev: HistoryResult,
  next: HistoryResult,
  cause: TransitionCause,
): boolean {
  if (!(prev.gating || next.gating)) return false;
  if (!SATISFIED.has(prev.state) || SATISFIED.has(next.state)) return false;
  if (cause === 'evidence-aged') return next.attribution === 'service';
  return (
    cause === 'entity-changed' ||
    cause === 'evidence-changed' ||
    cause === 'waiver-changed'
  );
}

/**
 * Transitions between two stored result sets (§2.10, SR22): one row per check whose state or
 * reason changed, plus one level row if the level changed; nothing when nothing changed.
 */
export function computeTransitions(
  previous: HistorySnapshot | null,
  next: HistorySnapshot,
  at: string,
): Transition[] {
  if (!previous) return [];
  const entityChanged = previous.entityHash !== next.entityHash;
  const before = new Map(previous.results.map(r => [r.checkId, r]));
  const rows: Transition[] = [];
  const first = (a: TransitionCause | null, b: TransitionCause) =>
    a === null || TRANSITION_CAUSES.indexOf(b) < TRANSITION_CAUSES.indexOf(a)
      ? b
      : a;
  // The level row's cause and regression come from the checks that can explain the move: a
  // gating check whose holding the level down changed, at a level between the two (a drop
  // from L3 to L1 is explained by L2 and L3 checks only). A passing check that only changed
  // phase, or a higher check failing while an outage drops a lower level, explains nothing.
  // When no check can (not-rated, a removed check, snapshots without levels), every changed
  // check counts, as before.
  const low = Math.min(levelRank(previous.level), levelRank(next.level));
  const high = Math.max(levelRank(previous.level), levelRank(next.level));
  const explains = (p: HistoryResult | undefined, r: HistoryResult) => {
    const level = r.level ?? p?.level;
    if (!level) return false;
    const rank = levelRank(level);
    return rank > low && rank <= high && holdsDown(p) !== holdsDown(r);
  };
  let anyCause: TransitionCause | null = null;
  let explainedCause: TransitionCause | null = null;
  let explainedRegression = false;
  for (const r of next.results) {
    const p = before.get(r.checkId);
    if (!p) {
      rows.push({
        entityRef: next.entityRef,
        checkId: r.checkId,
        from: null,
        to: r.state,
        toReason: r.reason,
        at,
        cause: 'standard-changed',
        checkVersion: r.checkVersion,
        regression: false,
      });
      anyCause = first(anyCause, 'standard-changed');
      if (explains(undefined, r))
        explainedCause = first(explainedCause, 'standard-changed');
      continue;
    }
    const differs = p.state !== r.state || p.reason !== r.reason;
    const cause = causeOf(p, r, entityChanged);
    const explaining = explains(p, r);
    if (
      differs ||
      p.phase !== r.phase ||
      p.checkVersion !== r.checkVersion ||
      p.waiverId !== r.waiverId
    ) {
      anyCause = first(anyCause, cause);
      if (explaining) explainedCause = first(explainedCause, cause);
    }
    if (!differs) continue;
    const regression = isCheckRegression(p, r, cause);
    if (regression && explaining) explainedRegression = true;
    rows.push({
      entityRef: next.entityRef,
      checkId: r.checkId,
      from: p.state,
      to: r.state,
      fromReason: p.reason,
      toReason: r.reason,
      at,
      cause,
      checkVersion: r.checkVersion,
      ...(r.evidenceObservedAt
        ? { evidenceObservedAt: r.evidenceObservedAt }
        : {}),
      regression,
    });
  }
  if (previous.level !== next.level) {
    const cause: TransitionCause =
      explainedCause ??
      anyCause ??
      (entityChanged ? 'entity-changed' : 'evidence-changed');
    const decreased = levelRank(next.level) < levelRank(previous.level);
    rows.push({
      entityRef: next.entityRef,
      checkId: null,
      from: previous.level,
      to: next.level,
      at,
      cause,
      checkVersion: null,
      // A level drop is the team's regression only when a team-caused check regression explains it.
      regression:
        decreased &&
        (explainedCause !== null
          ? explainedRegression
          : rows.some(r => r.regression)),
    });
  }
  return rows;
}
