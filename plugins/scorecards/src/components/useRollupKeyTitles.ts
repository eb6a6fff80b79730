import { useEffect, useState } from 'react';
import { useApiHolder } from '@backstage/frontend-plugin-api';
import { entityPresentationApiRef } from '@backstage/plugin-catalog-react';
import type { RollupGroupBy } from '../api';
import { DEFAULT_KIND, isEntityRef } from './RollupRowKey';

/**
 * The titles the table shows for its row keys (`Checkout Team` for
 * `group:default/checkout-team`), so the text filter finds a row by what the
 * reader sees as well as by its ref. Empty until the entity presentation
 * answers, and without one (an app that has none): the filter then matches refs
 * only, as before.
 */
export function useRollupKeyTitles(
  keys: readonly string[],
  groupBy: RollupGroupBy,
): ReadonlyMap<string, string> {
  const presentation = useApiHolder().get(entityPresentationApiRef);
  const [titles, setTitles] = useState<ReadonlyMap<string, string>>(
    () => new Map(),
  );
  const joined = keys.join('\n');
  useEffect(() => {
    if (!presentation) return undefined;
    let current = true;
    const refs = joined ? joined.split('\n').filter(isEntityRef) : [];
    Promise.all(
      refs.map(ref =>
        presentation
          .forEntity(ref, { defaultKind: DEFAULT_KIND[groupBy] })
          .promise.then(
            p => [ref, p.primaryTitle] as const,
            () => undefined,
          ),
      ),
    ).then(pairs => {
      if (!current) return;
      setTitles(
        new Map(
          pairs.filter((p): p is readonly [string, string] => p !== undefined),
        ),
      );
    });
    return () => {
      current = false;
    };
  }, [presentation, joined, groupBy]);
  return titles;
}
