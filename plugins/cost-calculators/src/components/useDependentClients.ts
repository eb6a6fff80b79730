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
  ClientRowNames,
  mergeSmallestClients,
  nameClientRows,
  normalizeEntityRef,
} from './componentBudget';
import {
  MAX_CONNECTION_CLIENTS,
  Prefill,
  Warning,
  readConnectionClient,
} from '@internal/plugin-cost-calculators-common';

/** Loading state of the dependents' client rows. */
export type DependentClients =
  | { state: 'not-needed' }
  | { state: 'loading' }
  | {
      state: 'done';
      prefill: Prefill;
      /** Which row is whose: a Component's share is found by its entity ref, not its name. */
      rowNames: ClientRowNames;
    };

const NOT_NEEDED: DependentClients = { state: 'not-needed' };
const LOADING: DependentClients = { state: 'loading' };

/**
 * C10 on a database (cost-calculators.md §1 card table): the connection budget aggregates every
 * Component with a `dependsOn` relation to it, one client row per Component that declares its
 * pool (`db-pool-size`, `max-instances`, optional `rollout-surge-percent`). Components without
 * those annotations are named in a warning instead of being guessed; unparsable values get an
 * `invalid-annotation` warning each (§1), never a silent default. Rows are named as
 * {@link nameClientRows} says: two Components of one name in two namespaces stay two.
 */
export function useDependentClients(
  entity: Entity | undefined,
  enabled: boolean,
): DependentClients {
  const catalogApi = useApi(catalogApiRef);
  const refs = enabled
    ? (entity?.relations ?? [])
        .filter(r => r.type === RELATION_DEPENDENCY_OF)
        .map(r => normalizeEntityRef(r.targetRef))
        .filter(ref => parseEntityRef(ref).kind === 'component')
        .sort()
    : [];
  const needed = refs.length > 0;
  const key = refs.join(',');
  // The answer is kept with the refs it is for: when they change (the page's linked entity
  // arrives, a card's tab opens C10) the rows of before are never shown, not even for a render.
  const [answer, setAnswer] = useState<{
    key: string;
    result: DependentClients;
  }>();
  useEffect(() => {
    if (!needed) return undefined;
    let active = true;
    const setResult = (result: DependentClients) =>
      active && setAnswer({ key, result });
    catalogApi.getEntitiesByRefs({ entityRefs: refs }).then(
      ({ items }) => {
        const found = items.filter((e): e is Entity => Boolean(e));
        const readings = found.map(e => ({
          ref: stringifyEntityRef(e),
          ...readConnectionClient(e),
        }));
        const counted = readings.flatMap(r =>
          r.row ? [{ ref: r.ref, row: r.row }] : [],
        );
        const named = nameClientRows(
          counted.map(c => ({ ref: c.ref, name: c.row.name })),
        );
        const capped = mergeSmallestClients(
          counted.map(c => ({
            ref: c.ref,
            row: { ...c.row, name: named[normalizeEntityRef(c.ref)] },
          })),
        );
        const rows = capped.rows.map(c => c.row);
        const otherRow =
          capped.merged.length > 0 ? rows[rows.length - 1] : null;
        // a summed Component's share is found as its part of the `other clients` row
        const rowNames: ClientRowNames = otherRow
          ? {
              ...named,
              ...Object.fromEntries(
                capped.merged.map(ref => [
                  normalizeEntityRef(ref),
                  otherRow.name,
                ]),
              ),
            }
          : named;
        const without = readings
          .filter(r => r.missing.length > 0)
          .map(r => r.ref);
        const warnings: Warning[] = readings.flatMap(r => r.warnings);
        if (otherRow) {
          warnings.push({
            kind: 'merged-clients',
            subject: 'clients',
            message: `${counted.length.toLocaleString(
              'en-US',
            )} dependents declare a pool, more than the ${MAX_CONNECTION_CLIENTS} client rows: the ${
              MAX_CONNECTION_CLIENTS - 1
            } opening the most connections have their own rows, the other ${
              capped.merged.length
            } are summed as “${
              otherRow.name
            }” (${capped.mergedConnections.toLocaleString(
              'en-US',
            )} connections at full scale).`,
          });
        }
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
                      from: `dependsOn relations (${counted.length} of ${found.length} components)`,
                    },
                  }
                : {},
            warnings,
          },
          rowNames,
        });
      },
      // The annotations still prefill the limit; the client rows are left for the user, who is
      // told why none were added (an empty list would read as "no dependents").
      (error: unknown) =>
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
          rowNames: {},
        }),
    );
    return () => {
      active = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [catalogApi, key]);
  if (!needed) return NOT_NEEDED;
  return answer?.key === key ? answer.result : LOADING;
}
