import { useMemo } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  CheckResult,
  Transition,
} from '@internal/plugin-scorecards-common';
import { useAsyncResult } from '@internal/suite-react';
import { ScorecardsApi, scorecardsApiRef } from '../api';

/**
 * The transitions of an entity's checks as read so far, per check id, owned by the tab. A row
 * that a filter hides is unmounted, and one that keeps its own reads would read again when it
 * is shown and opened; kept here, each check is read once per generation of the tab's results
 * (`useCheckTransitionsCache`). A read that is still running is shared; a read that failed is
 * forgotten, so the next open (or Retry) reads again.
 */
export class CheckTransitionsCache {
  private readonly reads = new Map<string, Promise<Transition[]>>();
  private readonly values = new Map<string, Transition[]>();

  constructor(
    private readonly api: ScorecardsApi,
    private readonly entityRef: string,
  ) {}

  /** What was read of `checkId`, newest first; `undefined` until a read succeeded. */
  kept(checkId: string): Transition[] | undefined {
    return this.values.get(checkId);
  }

  /**
   * The transitions of one check, newest first, from the history route with its `checkId`
   * (§7.4; every row the backend keeps, no `from`): the running or finished read, else a new one.
   */
  read(checkId: string): Promise<Transition[]> {
    const running = this.reads.get(checkId);
    if (running) return running;
    const read = this.api.getHistory(this.entityRef, { checkId }).then(
      history => {
        const newestFirst = [...history.transitions].sort(
          (a, b) => Date.parse(b.at) - Date.parse(a.at),
        );
        this.values.set(checkId, newestFirst);
        return newestFirst;
      },
      error => {
        this.reads.delete(checkId);
        throw error;
      },
    );
    this.reads.set(checkId, read);
    return read;
  }
}

/**
 * One {@link CheckTransitionsCache} per entity and generation of its results, for the component
 * that outlives its rows. A check's transition is written when its state or reason changes
 * (§2.10), which also moves its `since`: a scorecard read again (a Reload, a waiver decided on
 * the tab) whose results differ there may have history rows the kept reads lack, so the open
 * rows read again; one read again with the same results keeps what was read.
 */
export function useCheckTransitionsCache(
  entityRef: string,
  results: readonly Pick<
    CheckResult,
    'checkId' | 'state' | 'reason' | 'since'
  >[],
) {
  const api = useApi(scorecardsApiRef);
  const generation = results
    .map(r => `${r.checkId} ${r.state} ${r.reason} ${r.since}`)
    .join('\n');
  return useMemo(
    () => new CheckTransitionsCache(api, entityRef),
    // `generation` is what a new cache is for, not something it reads
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, entityRef, generation],
  );
}

/**
 * The transitions of one check for an open row. Nothing is read until the row is `open`: a tab
 * of forty checks does not make forty calls, only one per row the user opens. What was read is
 * answered from `cache` at once, however often the row is closed, hidden by a filter and shown
 * again; after a failed read, opening the row again reads again.
 */
export function useCheckTransitions(
  cache: CheckTransitionsCache,
  checkId: string,
  open: boolean,
) {
  const kept = cache.kept(checkId);
  const wanted = open && kept === undefined;
  const read = useAsyncResult<Transition[] | undefined>(
    async () => (wanted ? cache.read(checkId) : cache.kept(checkId)),
    [cache, checkId, wanted],
  );
  // Kept: no loading state in between, also in the render before the effect above settles.
  if (kept !== undefined)
    return { ...read, loading: false as const, value: kept, error: undefined };
  return read;
}
