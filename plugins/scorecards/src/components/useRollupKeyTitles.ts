import { useEffect, useState } from 'react';
import { useApiHolder } from '@backstage/frontend-plugin-api';
import {
  defaultEntityPresentation,
  entityPresentationApiRef,
} from '@backstage/plugin-catalog-react';
import type { RollupGroupBy } from '../api';
import { isEntityRef } from '@internal/suite-react';
import { DEFAULT_KIND } from './RollupRowKey';

/**
 * The titles the table shows for its row keys (`Checkout Team` for
 * `group:default/checkout-team`), so the text filter finds a row by what the
 * reader sees as well as by its ref. Empty until the entity presentation
 * answers; without one (an app that has none) the titles are the default
 * presentation's (`user:dara.singh`), which is what the table then shows.
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
    let current = true;
    const refs = joined ? joined.split('\n').filter(isEntityRef) : [];
    const context = { defaultKind: DEFAULT_KIND[groupBy] };
    if (!presentation) {
      setTitles(
        new Map(
          refs.map(ref => [
            ref,
            defaultEntityPresentation(ref, context).primaryTitle,
          ]),
        ),
      );
      return undefined;
    }
    Promise.all(
      refs.map(ref =>
        presentation.forEntity(ref, context).promise.then(
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
