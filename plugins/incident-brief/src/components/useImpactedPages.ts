import { useCallback, useMemo, useRef, useState } from 'react';
import type {
  BlastRadiusAnswer,
  ImpactedEntity,
} from '@internal/plugin-incident-brief-common';

/**
 * The impacted entities of a blast-radius answer plus the pages fetched after it through its
 * `nextCursor` — the graph view pages through radii of more than 1,000 entities, the API lists
 * them a page at a time. A new answer (other hops or edge kinds) starts over; a page that arrives
 * for an older answer, or twice for the same cursor, is dropped. `loadMore` is absent once every
 * entity is held.
 */
export function useImpactedPages(
  result: BlastRadiusAnswer | undefined,
  fetchPage: (cursor: string) => Promise<BlastRadiusAnswer>,
): { impacted: ImpactedEntity[]; loadMore?: () => Promise<void> } {
  const [more, setMore] = useState<{
    base: BlastRadiusAnswer;
    impacted: ImpactedEntity[];
    nextCursor?: string;
  }>();
  // The answer on screen now: a page that resolves after the answer changed belongs to an older
  // one, and must neither start the held pages over nor replace those of the current answer.
  const latest = useRef(result);
  latest.current = result;
  const held = more && more.base === result ? more : undefined;
  const impacted = useMemo(() => {
    if (!result) return [];
    return held ? [...result.impacted, ...held.impacted] : result.impacted;
  }, [result, held]);
  const cursor = held ? held.nextCursor : result?.nextCursor;

  const loadMore = useCallback(async () => {
    if (!result || !cursor) return;
    const page = await fetchPage(cursor);
    if (latest.current !== result) return;
    setMore(prev => {
      const before =
        prev && prev.base === result
          ? prev
          : { base: result, impacted: [], nextCursor: result.nextCursor };
      if (before.nextCursor !== cursor) return prev;
      return {
        base: result,
        impacted: [...before.impacted, ...page.impacted],
        nextCursor: page.nextCursor,
      };
    });
  }, [result, cursor, fetchPage]);

  return { impacted, loadMore: cursor ? loadMore : undefined };
}
