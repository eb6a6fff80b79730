import { PathStep } from '../blastRadius/types';
import { parseInstant } from '../time/parseInstant';
import { orderChanges } from './orderChanges';
import { AliasResolver, resolveChangeSubject } from './resolveChangeSubject';
import { ChangeRecord } from './types';

/** An in-scope entity of a changes query: the root at hop 0, or a dependency with its path. */
export interface ChangeScopeEntry {
  hop: number;
  path: PathStep[];
}

/** A change in the window with where it sits relative to the root (§4.4). */
export interface ChangeInWindow {
  change: ChangeRecord;
  entityRef: string;
  hop: number;
  path: PathStep[];
  /** reached only through an observed (undeclared) edge */
  viaObservedOnly: boolean;
  /** started within 60 min before `at`, running at `at`, or still in progress (⚑) */
  highlighted: boolean;
  /** still in progress now (status `started`) */
  inProgress: boolean;
  /**
   * running at `at`: started at or before it and finished after it, or not yet. With `at` in
   * the past (an alert's `startsAt`), a rollout that was running when the incident began is
   * flagged though it has finished since.
   */
  runningAtT: boolean;
}

/** Query of {@link selectChangesInWindow}. */
export interface ChangesInWindowQuery {
  records: ChangeRecord[];
  scope: Map<string, ChangeScopeEntry>;
  /** incident time T */
  at: string;
  /** window W before T; default 24 h (`ours`) */
  windowMs?: number;
  environment?: string;
  now: string;
  /** maps an alias subject to a ref at read time, so late-registered entities see their changes (R7) */
  resolveAlias?: AliasResolver;
}

const HIGHLIGHT_MS = 60 * 60_000;

/**
 * Changes in window (§4.4): records of the in-scope entities whose `[effectiveAt, finishedAt ??
 * now]` intersects `[T − W, T]`, in ledger order. No culprit ranking: order is time only. ⚑
 * marks a change that started within 60 min before T, was running at T, or is still in
 * progress: §4.4's "in-progress changes" read at T as well as now, since T is often in the past.
 * `at` and `now` must be ISO-8601 instants with a zone (`BlastRadiusInputError` 400 otherwise).
 */
export function selectChangesInWindow(
  query: ChangesInWindowQuery,
): ChangeInWindow[] {
  const at = parseInstant('at', query.at);
  const from = at - (query.windowMs ?? 24 * 3600_000);
  const nowMs = parseInstant('now', query.now);
  const environment = query.environment ?? 'production';
  const out: ChangeInWindow[] = [];
  for (const change of orderChanges(query.records)) {
    if (change.environment !== environment) continue;
    const ref = resolveChangeSubject(change, query.resolveAlias);
    const entry = ref ? query.scope.get(ref) : undefined;
    if (!ref || !entry) continue;
    const start = Date.parse(change.effectiveAt);
    const inProgress = change.status === 'started';
    const end = change.finishedAt ? Date.parse(change.finishedAt) : nowMs;
    if (start > at || end < from) continue;
    const runningAtT = end > at;
    out.push({
      change,
      entityRef: ref,
      hop: entry.hop,
      path: entry.path,
      viaObservedOnly: entry.path.some(s => s.evidence === 'observed'),
      highlighted: inProgress || runningAtT || at - start <= HIGHLIGHT_MS,
      inProgress,
      runningAtT,
    });
  }
  return out;
}
