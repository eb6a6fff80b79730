import { useEffect, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  RELATION_DEPENDENCY_OF,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { Entity } from '@backstage/catalog-model';
import {
  Prefill,
  Warning,
  readConnectionClient,
} from '@internal/plugin-cost-calculators-common';

/** Loading state of the dependents' client rows. */
export type DependentClients =
  | { state: 'not-needed' }
  | { state: 'loading' }
  | { state: 'done'; prefill: Prefill };

/**
 * C10 on a database (cost-calculators.md §1 card table): the connection budget aggregates every
 * Component with a `dependsOn` relation to it, one client row per Component that declares its
 * pool (`db-pool-size`, `max-instances`, optional `rollout-surge-percent`). Components without
 * those annotations are named in a warning instead of being guessed; unparsable values get an
 * `invalid-annotation` warning each (§1), never a silent default.
 */
export function useDependentClients(
  entity: Entity,
  enabled: boolean,
): DependentClients {
  const catalogApi = useApi(catalogApiRef);
  const refs = enabled
    ? (entity.relations ?? [])
        .filter(r => r.type === RELATION_DEPENDENCY_OF)
        .map(r => r.targetRef)
        .filter(ref => parseEntityRef(ref).kind.toLowerCase() === 'component')
        .sort()
    : [];
  const key = refs.join(',');
  const [result, setResult] = useState<DependentClients>({
    state: enabled && refs.length > 0 ? 'loading' : 'not-needed',
  });
  useEffect(() => {
    if (!enabled || refs.length === 0) {
      setResult({ state: 'not-needed' });
      return undefined;
    }
    let active = true;
    setResult({ state: 'loading' });
    catalogApi.getEntitiesByRefs({ entityRefs: refs }).then(
      ({ items }) => {
        if (!active) return;
        const found = items.filter((e): e is Entity => Boolean(e));
        const readings = found.map(e => ({
          ref: stringifyEntityRef(e),
          ...readConnectionClient(e),
        }));
        const rows = readings.flatMap(r => (r.row ? [r.row] : []));
        const without = readings
          .filter(r => r.missing.length > 0)
          .map(r => r.ref);
        const warnings: Warning[] = readings.flatMap(r => r.warnings);
        if (without.length > 0) {
          warnings.push({
            kind: 'missing-annotation',
            subject: 'clients',
            message: `Not counted (no db-pool-size and max-instances annotations): ${without.join(
              ', ',
            )}.`,
          });
        }
        setResult({
          state: 'done',
          prefill: {
            values: rows.length > 0 ? { clients: rows } : {},
            sources:
              rows.length > 0
                ? {
                    clients: {
                      kind: 'derived',
                      from: `dependsOn relations (${rows.length} of ${found.length} components)`,
                    },
                  }
                : {},
            warnings,
          },
        });
      },
      // The annotations still prefill the limit; the client rows are left for the user, who is
      // told why none were added (an empty list would read as "no dependents").
      (error: unknown) =>
        active &&
        setResult({
          state: 'done',
          prefill: {
            values: {},
            sources: {},
            warnings: [
              {
                kind: 'missing-annotation',
                subject: 'clients',
                message: `The Components that depend on this database could not be read (${
                  (error as Error)?.message ?? String(error)
                }): their pools are not counted. Reload to try again, or add their rows.`,
              },
            ],
          },
        }),
    );
    return () => {
      active = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [catalogApi, enabled, key]);
  return result;
}
