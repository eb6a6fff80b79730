import { useApi } from '@backstage/frontend-plugin-api';
import { useAsyncResult } from '@internal/suite-react';
import { ScorecardHistory, scorecardsApiRef } from '../api';

/**
 * Every history row of an entity since `from` (the first day of its trend), read from the
 * history route (§7.4, all rows: no `checkId`), with the level row and the outage drop in effect
 * at `from` (`levelInEffect`, `outageInEffect`). The entity route carries only team
 * regressions, so the card reads from these the outage drops it hatches and the last level
 * change in either direction; when the call fails the caller still has the trend and its
 * regressions (§7.1: a failing history call degrades only the sparkline). No call without a
 * trend (`from` undefined): then no rows.
 */
export function useTrendHistory(entityRef: string, from: string | undefined) {
  const api = useApi(scorecardsApiRef);
  return useAsyncResult(async (): Promise<
    Pick<ScorecardHistory, 'transitions' | 'levelInEffect' | 'outageInEffect'>
  > => {
    if (!from) return { transitions: [] };
    return api.getHistory(entityRef, { from });
  }, [api, entityRef, from]);
}
