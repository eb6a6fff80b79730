import { LedgerRecord, recordTime } from '../evidence/evidenceTypes';
import { parseInstantMsUncached } from '../evidence/instant';
import { compareNewestFirst } from './ledgerView';
import { CompiledStandard } from '../standard/compiledStandard';
import { builtinCheckTypes } from './builtin';
import { allOfCheckType, anyOfCheckType } from './builtin/combinatorChecks';
import { CheckType, CompiledCall } from './checkType';

/**
 * How much of an entity's ledger the checks of a standard read (`CheckType.ledgerNeeds`): the
 * built-in rules read only the newest records of a kind, environment and status, and the newest
 * distinct artifacts deployed — never the whole history (scorecards §4: recent, digest,
 * distinctVersions, rollback, exposure; archived-no-activity).
 */
export interface LedgerNeeds {
  /** Newest records kept per entity, environment, kind, status and whether it rolls back. */
  perClass: number;
  /** Newest distinct artifacts of succeeded deploys kept per entity and environment, each by its newest record. */
  artifacts: number;
}

/** Needs of a check that reads no ledger. */
export const NO_LEDGER_NEEDS: LedgerNeeds = { perClass: 0, artifacts: 0 };

/** What the ledger rules see first: the newest record, ties by id (as `timedLedger`). */
function newestFirst(
  a: { record: LedgerRecord; ms: number },
  b: { record: LedgerRecord; ms: number },
): number {
  return compareNewestFirst(a.ms, a.record.id, b.ms, b.record.id);
}

/** The artifact a succeeded deploy shipped, as `distinctVersions` tells them apart. */
function artifactOf(record: LedgerRecord): string {
  return (
    record.attributes?.artifactDigest ??
    `version:${record.version ?? record.id}`
  );
}

/**
 * The records of `ledger` that checks with `needs` can read: per entity, environment, kind,
 * status and rollback-or-not its `perClass` newest, and per entity and environment the newest
 * record of each of the `artifacts` newest artifacts its succeeded deploys shipped; records whose
 * time does not parse are all kept. In the input's order.
 *
 * Every rule reads a prefix of such a newest-first list (a window ending now holds the newest
 * records of a class, never an older one without the newer), so an evaluation of the kept
 * records gives the same outcome, message and evidence as one of the whole ledger, also later
 * (`compactLedger.test.ts` checks it over random ledgers). A long history is thereby kept as a
 * few records per entity, however many deploys it had (the evidence mirror of the catalog
 * module holds it in memory).
 */
export function compactLedger(
  ledger: readonly LedgerRecord[],
  needs: LedgerNeeds,
): LedgerRecord[] {
  const timed: { record: LedgerRecord; ms: number }[] = [];
  const kept = new Set<LedgerRecord>();
  for (const record of ledger) {
    // Uncached: these records' strings may still be cut out of a response (`parseInstantMsUncached`).
    const ms = parseInstantMsUncached(recordTime(record));
    if (Number.isNaN(ms)) kept.add(record);
    else timed.push({ record, ms });
  }
  timed.sort(newestFirst);
  const perClass = new Map<string, number>();
  const artifacts = new Map<string, Set<string>>();
  for (const { record } of timed) {
    const where = `${(record.entityRef ?? '').toLowerCase()}\n${
      record.environment
    }`;
    const cls = `${where}\n${record.kind}\n${record.status}\n${
      record.rollbackOf ? 'rollback' : ''
    }`;
    const n = perClass.get(cls) ?? 0;
    if (n < needs.perClass) {
      perClass.set(cls, n + 1);
      kept.add(record);
    }
    if (record.kind !== 'deploy' || record.status !== 'succeeded') continue;
    let seen = artifacts.get(where);
    if (!seen) artifacts.set(where, (seen = new Set()));
    const artifact = artifactOf(record);
    if (!seen.has(artifact) && seen.size < needs.artifacts) {
      seen.add(artifact);
      kept.add(record);
    }
  }
  return kept.size === ledger.length
    ? [...ledger]
    : ledger.filter(r => kept.has(r));
}

const BUILTIN = new Set<CheckType<any, any>>(builtinCheckTypes);

/** The needs of one call; undefined when it may read the whole ledger. */
function needsOfCall(call: CompiledCall): LedgerNeeds | undefined {
  if (call.type === allOfCheckType || call.type === anyOfCheckType) {
    return mergeNeeds(
      (call.params as { calls: CompiledCall[] }).calls.map(needsOfCall),
    );
  }
  if (call.type.ledgerNeeds) return call.type.ledgerNeeds(call.params);
  // A built-in type without the method reads no ledger; a custom one may read all of it.
  return BUILTIN.has(call.type) ? NO_LEDGER_NEEDS : undefined;
}

function mergeNeeds(
  all: readonly (LedgerNeeds | undefined)[],
): LedgerNeeds | undefined {
  let merged = NO_LEDGER_NEEDS;
  for (const needs of all) {
    if (!needs) return undefined;
    merged = {
      perClass: Math.max(merged.perClass, needs.perClass),
      artifacts: Math.max(merged.artifacts, needs.artifacts),
    };
  }
  return merged;
}

/**
 * What the checks of `standard` read of a ledger, for `compactLedger`; undefined when a check
 * type that does not declare its `ledgerNeeds` (a custom type of scorecards §3) may read all
 * of it.
 */
export function ledgerNeedsOf(
  standard: Pick<CompiledStandard, 'checks'>,
): LedgerNeeds | undefined {
  return mergeNeeds(standard.checks.map(check => needsOfCall(check.call)));
}
