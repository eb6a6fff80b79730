import { useMemo } from 'react';
import type { Entity } from '@backstage/catalog-model';
import {
  CalculatorId,
  Prefill,
  PrefillOptions,
  mergePrefills,
  prefillFromAnnotations,
} from '@internal/plugin-cost-calculators-common';
import type { ClientRowNames } from './componentBudget';
import { useDependentClients } from './useDependentClients';

/** What an entity prefills in one calculator, once it is known. */
export type EntityPrefill =
  | { state: 'loading' }
  | {
      state: 'done';
      prefill: Prefill;
      /** C10: the client row of each counted dependent, by its entity ref (empty otherwise). */
      rowNames: ClientRowNames;
    };

const LOADING: EntityPrefill = { state: 'loading' };
const NO_ROWS: ClientRowNames = {};

/**
 * What an entity prefills in a calculator (§1): its annotations and, for C10 on a database
 * Resource, one client row per dependent Component (see {@link useDependentClients}), with the
 * notice when those could not be read. The one path of the database's card, a Component's
 * card and the full page opened with `entity=`, so all three budget the same clients.
 * Without an entity (none linked, or not loaded yet) nothing is prefilled.
 */
export function useEntityPrefill(
  calculatorId: CalculatorId,
  entity: Entity | undefined,
  options: PrefillOptions,
): EntityPrefill {
  const dependents = useDependentClients(
    entity,
    calculatorId === 'connection-budget' &&
      entity?.kind.toLowerCase() === 'resource',
  );
  const { asOf, annotationMaxAgeDays, offers } = options;
  return useMemo(() => {
    if (dependents.state === 'loading') return LOADING;
    const fromAnnotations: Prefill = entity
      ? prefillFromAnnotations(calculatorId, entity, {
          asOf,
          annotationMaxAgeDays,
          offers,
        })
      : { values: {}, sources: {}, warnings: [] };
    return dependents.state === 'done'
      ? {
          state: 'done',
          prefill: mergePrefills(fromAnnotations, dependents.prefill),
          rowNames: dependents.rowNames,
        }
      : { state: 'done', prefill: fromAnnotations, rowNames: NO_ROWS };
  }, [calculatorId, entity, asOf, annotationMaxAgeDays, offers, dependents]);
}
