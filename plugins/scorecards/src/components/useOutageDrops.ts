import { useApi } from '@backstage/frontend-plugin-api';
import { useAsyncResult } from '@internal/suite-react';
import { scorecardsApiRef } from '../api';
import { historyOutageDrops } from './outageSpans';

/**
 * The outage-caused level drops of an entity since `from` (the first day of its trend), read from
 * the history route (§7.4, all rows: no `checkId`), and the drop before `from` still lowering the
 * level the trend starts with (`outageInEffect`): an outage that began earlier and still holds,
 * also after a partial recovery.
 * The entity route carries only team regressions, so these need a call of their own; when it
 * fails the caller still has the trend and draws it without hatching (§7.1: a failing history
 * call degrades only the sparkline). No call without a trend (`from` undefined).
 */
export function useOutageDrops(entityRef: string, from: string | undefined) {
  const api = useApi(scorecardsApiRef);
  return useAsyncResult(async () => {
    if (!from) return [];
    return historyOutageDrops(await api.getHistory(entityRef, { from }));
  }, [api, entityRef, from]);
}
