import { useMemo } from 'react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { Entity } from '@backstage/catalog-model';
import {
  CalculatorId,
  Prefill,
  PrefillOptions,
  mergePrefills,
  prefillFromAnnotations,
  readAnnotationMaxAgeDays,
  withoutContradictedOffer,
} from '@internal/plugin-cost-calculators-common';
import type { ClientRowNames } from './componentBudget';
import { useDependentClients } from './useDependentClients';
import {
  costFactsPrefill,
  useCostFacts,
  withoutReplacedStaleWarnings,
} from './useCostFacts';

/** What an entity prefills in one calculator, once it is known. */
export type EntityPrefill =
  | {
      state: 'loading';
      /** The adopter's cost facts are what is awaited (the form says so while it waits). */
      readingCostFacts: boolean;
    }
  | {
      state: 'done';
      prefill: Prefill;
      /** C10: the client row of each counted dependent, by its entity ref (empty otherwise). */
      rowNames: ClientRowNames;
      /** Whether the adopter's cost facts were asked for (an implementation is registered). */
      askedCostFacts: boolean;
    };

const NO_ROWS: ClientRowNames = {};

/**
 * What an entity prefills in a calculator (§1): the adopter's cost facts (optional
 * `CostFactsApi`) over its annotations and, for C10 on a database Resource, one client row
 * per dependent Component (see {@link useDependentClients}), with the notice when those could
 * not be read. The one path of the database's card, a Component's card and the full page
 * opened with `entity=`, so all three prefill the same values. Nothing is shown until the
 * cost facts are known (or have failed), so the form never shows annotation values that a
 * fact then replaces. Without an entity (none linked, or not loaded yet) nothing is prefilled.
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
  const costFacts = useCostFacts(
    calculatorId,
    entity ? stringifyEntityRef(entity) : undefined,
  );
  const { asOf, annotationMaxAgeDays, offers } = options;
  return useMemo(() => {
    if (costFacts.state === 'loading' || dependents.state === 'loading')
      return {
        state: 'loading',
        readingCostFacts: costFacts.state === 'loading',
      };
    const fromFacts = costFactsPrefill(
      costFacts,
      calculatorId,
      asOf,
      // The limit annotations are held to (default 90 when unset or out of range).
      readAnnotationMaxAgeDays(annotationMaxAgeDays).days,
    );
    const fromAnnotations: Prefill = entity
      ? prefillFromAnnotations(calculatorId, entity, {
          asOf,
          annotationMaxAgeDays,
          offers,
        })
      : { values: {}, sources: {}, warnings: [] };
    // §1's precedence by layer: a fact wins over the annotation whatever their dates.
    const fromEntity = withoutReplacedStaleWarnings(
      mergePrefills(
        fromFacts,
        withoutContradictedOffer(fromFacts, fromAnnotations),
      ),
    );
    const askedCostFacts = costFacts.asked;
    return dependents.state === 'done'
      ? {
          state: 'done',
          prefill: mergePrefills(fromEntity, dependents.prefill),
          rowNames: dependents.rowNames,
          askedCostFacts,
        }
      : {
          state: 'done',
          prefill: fromEntity,
          rowNames: NO_ROWS,
          askedCostFacts,
        };
  }, [
    calculatorId,
    entity,
    asOf,
    annotationMaxAgeDays,
    offers,
    dependents,
    costFacts,
  ]);
}
