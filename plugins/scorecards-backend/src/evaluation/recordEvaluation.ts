import { createHash } from 'node:crypto';
import {
  EntityEvaluation,
  HistorySnapshot,
  computeTransitions,
  toHistorySnapshot,
} from '@internal/plugin-scorecards-common';
import { LatestRow, ScorecardsStore } from '../database/ScorecardsStore';

/**
 * `sha256:` + hex SHA-256 of the history snapshot's JSON. The snapshot comes from
 * `toHistorySnapshot`, whose key order is fixed, so its plain JSON is deterministic (SR24); the
 * canonical-JSON `fingerprint` of evidence-common gives other bytes for the same content and
 * costs ~6× more per snapshot (measured: ~0.6 ms against ~0.1 ms), paid for every entity of
 * every pass and every posted result.
 */
export function resultHashOf(snapshot: HistorySnapshot): string {
  return `sha256:${createHash('sha256')
    .update(JSON.stringify(snapshot))
    .digest('hex')}`;
}

/** The history snapshot of an evaluation and its hash, as the backend computes them. */
export function historyOf(
  evaluation: EntityEvaluation,
  entityHash: string,
): { snapshot: HistorySnapshot; resultHash: string } {
  const snapshot = toHistorySnapshot(evaluation, entityHash);
  return { snapshot, resultHash: resultHashOf(snapshot) };
}

/** The stored hash of a latest row, or the hash of its snapshot for rows stored without one. */
export function storedResultHash(latest: LatestRow): string {
  return latest.resultHash ?? resultHashOf(latest.snapshot);
}

/** What became of one evaluation. */
export type RecordOutcome =
  /** Latest row written, plus `transitions` rows (none for an entity's first result set). */
  | { status: 'written'; transitions: number }
  /** The stored result set has the same hash: nothing written. */
  | { status: 'unchanged' }
  /** The stored result set changed after this evaluation was made: ignored. */
  | { status: 'stale' };

/** One evaluation to record (`recordEvaluations`). */
export interface RecordInput {
  evaluation: EntityEvaluation;
  entityHash: string;
  /** When the evaluation was made: transition time and the latest row's `changedAt`. */
  at: string;
  /** First-seen time for an entity without a latest row; default `at`. */
  firstSeenAt?: string;
  /** The snapshot and hash, when the caller computed them already. */
  history?: { snapshot: HistorySnapshot; resultHash: string };
}

/** How `recordEvaluations` writes history. */
export interface RecordOptions {
  /**
   * For this long after an entity was first seen (its stored `firstSeenAt`), a change updates
   * its latest row but writes no transition (default 0: every change is one).
   */
  settleMs?: number;
}

/**
 * Records evaluations of entities as their latest state (§2.10), the single code path of the
 * scheduled pass and of `POST /internal/results`:
 *
 * - the history snapshot and its hash are computed here, from the evaluation and the entity hash;
 * - an evaluation made before the stored state last changed (`at < changedAt`) is ignored, so a
 *   late delivery never replaces a newer state;
 * - the same hash as stored writes nothing (no latest row, no transition: SR22);
 * - otherwise the latest row and the transitions against the stored snapshot are written;
 *   within `settleMs` of the entity's first-seen time, the latest row only. An entity's first
 *   minutes are what it settles into, not history: on a fresh install or a newly registered
 *   entity, results move while the catalog finishes its import (an owner or System not yet in
 *   the snapshot) and the collectors run for the first time (evidence never collected), and
 *   each of those moves would otherwise be a transition on the card (ours, not §2.10's);
 *
 * all in one transaction per call, the stored rows read in it (locked on PostgreSQL), so
 * concurrent writers of one entity never compute transitions against a state that is already
 * gone. Outcomes are in the order of `inputs`; an entity given twice is compared the second
 * time with what the first wrote.
 *
 * `since` is carried over from the stored results while a result's state and reason hold
 * (the engine does this when given `previous`; a caller without the stored results cannot).
 */
export async function recordEvaluations(
  store: ScorecardsStore,
  inputs: readonly RecordInput[],
  options: RecordOptions = {},
): Promise<RecordOutcome[]> {
  const settleMs = options.settleMs ?? 0;
  const histories = inputs.map(
    input => input.history ?? historyOf(input.evaluation, input.entityHash),
  );
  return store.updateLatestMany<RecordOutcome>(
    inputs.map(input => input.evaluation.entityRef),
    (i, current) => {
      const { evaluation, at, firstSeenAt } = inputs[i];
      const { snapshot, resultHash } = histories[i];
      if (current && at < current.changedAt) {
        return { value: { status: 'stale' } };
      }
      if (current && fromOlderStandard(evaluation, current, at)) {
        return { value: { status: 'stale' } };
      }
      if (current && storedResultHash(current) === resultHash) {
        return { value: { status: 'unchanged' } };
      }
      const settling =
        current !== undefined &&
        Date.parse(at) - Date.parse(current.firstSeenAt) < settleMs;
      const transitions = settling
        ? []
        : computeTransitions(current?.snapshot ?? null, snapshot, at);
      return {
        value: { status: 'written', transitions: transitions.length },
        write: {
          latest: {
            entityRef: evaluation.entityRef,
            snapshot,
            resultHash,
            evaluation: withSinceCarried(evaluation, current?.evaluation),
            firstSeenAt: current?.firstSeenAt ?? firstSeenAt ?? at,
            changedAt: at,
          },
          transitions,
        },
      };
    },
  );
}

/**
 * How long after a newer version of a standard was stored an older version's evaluation is
 * ignored: the length of a rolling deploy, while old and new replicas both record (each hands its
 * catalog module's results to its own backend, and the scheduled pass runs on either), so an
 * entity's stored level does not flip between the two standards with a `standard-changed`
 * transition each time. Later, an older version is taken: a platform team that deploys an older
 * standard file again on purpose gets it (versions are meant to only grow, §2.2; a revert is
 * better a new version).
 */
export const OLDER_STANDARD_HOLD_MS = 30 * 60_000;

/** The stored state is of a newer version of the same standard, written within the hold. */
function fromOlderStandard(
  evaluation: EntityEvaluation,
  current: { evaluation: EntityEvaluation; changedAt: string },
  at: string,
): boolean {
  const stored = current.evaluation.standard;
  const incoming = evaluation.standard;
  return (
    stored !== undefined &&
    incoming !== undefined &&
    stored.id === incoming.id &&
    incoming.version < stored.version &&
    Date.parse(at) - Date.parse(current.changedAt) < OLDER_STANDARD_HOLD_MS
  );
}

/** `recordEvaluations` of one evaluation. */
export async function recordEvaluation(
  store: ScorecardsStore,
  input: RecordInput,
  options: RecordOptions = {},
): Promise<RecordOutcome> {
  const [outcome] = await recordEvaluations(store, [input], options);
  return outcome;
}

/** The evaluation with `since` of results whose state and reason are as stored. */
function withSinceCarried(
  evaluation: EntityEvaluation,
  stored: EntityEvaluation | undefined,
): EntityEvaluation {
  if (!stored) return evaluation;
  const before = new Map(stored.results.map(r => [r.checkId, r]));
  let changed = false;
  const results = evaluation.results.map(r => {
    const prior = before.get(r.checkId);
    if (
      !prior ||
      prior.since === r.since ||
      prior.state !== r.state ||
      prior.reason !== r.reason
    ) {
      return r;
    }
    changed = true;
    return { ...r, since: prior.since };
  });
  return changed ? { ...evaluation, results } : evaluation;
}
