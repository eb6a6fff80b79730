import { LedgerRecord, recordTime } from '../evidence/evidenceTypes';
import { parseInstantMs } from '../evidence/instant';
import { compareText } from '../model/compareText';
import { sortSmall } from '../model/sortSmall';

/** A ledger record with its finish time parsed once. */
export interface TimedRecord {
  record: LedgerRecord;
  finishedMs: number;
}

/** The deploy records of one environment, newest first, and the succeeded ones among them. */
export interface DeployView {
  deploys: TimedRecord[];
  succeeded: TimedRecord[];
}

interface LedgerViews {
  timed: TimedRecord[];
  deploysByEnvironment: Map<string, DeployView>;
}

function newestFirst(a: TimedRecord, b: TimedRecord): number {
  return compareNewestFirst(
    a.finishedMs,
    a.record.id,
    b.finishedMs,
    b.record.id,
  );
}

/**
 * Newest first, ties by id: a time that does not parse counts as the oldest. Not `bMs - aMs`:
 * with a NaN that is no order at all, and which record came "newest" depended on the others
 * in the list (and on their input order).
 */
export function compareNewestFirst(
  aMs: number,
  aId: string,
  bMs: number,
  bId: string,
): number {
  const a = Number.isNaN(aMs) ? Number.NEGATIVE_INFINITY : aMs;
  const b = Number.isNaN(bMs) ? Number.NEGATIVE_INFINITY : bMs;
  if (a !== b) return b > a ? 1 : -1;
  return compareText(bId, aId);
}

/**
 * The views of the ledger last asked for. The checks of one evaluation run one after another
 * on the same (per-evaluation) ledger array, so one entry serves all of them and nothing
 * accumulates; a different array is computed afresh.
 */
let lastLedger: readonly LedgerRecord[] | undefined;
let lastViews: LedgerViews | undefined;

function viewsOf(ledger: readonly LedgerRecord[]): LedgerViews {
  let views = ledger === lastLedger ? lastViews : undefined;
  if (!views) {
    const timed = ledger.map(record => ({
      record,
      finishedMs: parseInstantMs(recordTime(record)),
    }));
    sortSmall(timed, newestFirst);
    views = { timed, deploysByEnvironment: new Map() };
    lastLedger = ledger;
    lastViews = views;
  }
  return views;
}

/**
 * The entity's ledger with times parsed once per evaluation, newest first (ties by id, so input
 * order never matters). Ledger rules run several times per entity; parsing dates once keeps
 * evaluation cheap.
 */
export function timedLedger(ledger: readonly LedgerRecord[]): TimedRecord[] {
  return viewsOf(ledger).timed;
}

/** The deploy records of an environment (newest first) and the succeeded ones, once per evaluation. */
export function deployView(
  ledger: readonly LedgerRecord[],
  environment: string,
): DeployView {
  const views = viewsOf(ledger);
  let view = views.deploysByEnvironment.get(environment);
  if (!view) {
    const deploys: TimedRecord[] = [];
    const succeeded: TimedRecord[] = [];
    for (const t of views.timed) {
      if (t.record.kind !== 'deploy' || t.record.environment !== environment)
        continue;
      deploys.push(t);
      if (t.record.status === 'succeeded') succeeded.push(t);
    }
    view = { deploys, succeeded };
    views.deploysByEnvironment.set(environment, view);
  }
  return view;
}
