import { useApi } from '@backstage/frontend-plugin-api';
import type { Transition } from '@internal/plugin-scorecards-common';
import { useAsyncResult } from '@internal/suite-react';
import { scorecardsApiRef } from '../api';

/**
 * The transitions of one check of an entity, newest first, from the history route with its
 * `checkId` (§7.4; every row the backend keeps, no `from`). Nothing is read until `wanted`: a
 * tab of forty checks does not make forty calls, only one per row the user opens, and a row
 * closed and opened again keeps what it read.
 */
export function useCheckTransitions(
  entityRef: string,
  checkId: string,
  wanted: boolean,
) {
  const api = useApi(scorecardsApiRef);
  return useAsyncResult<Transition[] | undefined>(async () => {
    if (!wanted) return undefined;
    const history = await api.getHistory(entityRef, { checkId });
    return [...history.transitions].sort(
      (a, b) => Date.parse(b.at) - Date.parse(a.at),
    );
  }, [api, entityRef, checkId, wanted]);
}
