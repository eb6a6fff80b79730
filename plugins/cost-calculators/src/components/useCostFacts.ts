import { useEffect, useState } from 'react';
import { useApiHolder } from '@backstage/frontend-plugin-api';
import {
  CalculatorId,
  InputSource,
  Prefill,
  Warning,
  daysBetween,
  isIsoDate,
} from '@internal/plugin-cost-calculators-common';
import { CostFact, costFactsApiRef } from '../api/CostFactsApi';
import { inputFieldsOf } from './inputFields';

/**
 * How long a card waits for the adopter's cost facts before it prefills without them: a
 * billing backend that hangs must not leave the card loading for good.
 */
export const COST_FACTS_TIMEOUT_MS = 10_000;

/** The cost-facts layer of one calculator's prefill, once it is known. */
export type CostFactsLayer =
  | { state: 'loading' }
  | {
      state: 'done';
      facts: Record<string, CostFact>;
      /** `cost-facts-unavailable` when the API failed or did not answer. */
      warnings: Warning[];
    };

const NONE: CostFactsLayer = { state: 'done', facts: {}, warnings: [] };
const LOADING: CostFactsLayer = { state: 'loading' };

/** The inputs a fact may fill: every single-valued field of the form (not C10's client list). */
export function costFactInputIds(calculatorId: CalculatorId): string[] {
  return inputFieldsOf(calculatorId)
    .filter(f => f.kind !== 'clients')
    .map(f => f.id);
}

function unavailable(entityRef: string, reason: string): CostFactsLayer {
  return {
    state: 'done',
    facts: {},
    warnings: [
      {
        kind: 'cost-facts-unavailable',
        subject: entityRef,
        message: `Cost facts for ${entityRef} could not be read (${reason}); the form is prefilled without them.`,
      },
    ],
  };
}

/**
 * Asks the adopter's optional `CostFactsApi` for an entity's facts for one calculator. Without
 * an implementation (or an entity) there is nothing to wait for: the layer is empty at once,
 * so the calculators behave as they do without the API. A rejection, a throw or no answer
 * within {@link COST_FACTS_TIMEOUT_MS} gives an empty layer with a notice, never a broken card.
 */
export function useCostFacts(
  calculatorId: CalculatorId,
  entityRef: string | undefined,
): CostFactsLayer {
  const api = useApiHolder().get(costFactsApiRef);
  const key = api && entityRef ? `${calculatorId} ${entityRef}` : undefined;
  // The answer is kept with the request it answers, so that switching tabs never shows the
  // previous calculator's facts while the next ones load.
  const [answer, setAnswer] = useState<{
    key: string;
    layer: CostFactsLayer;
  }>();
  useEffect(() => {
    if (!api || !entityRef || !key) return undefined;
    let active = true;
    const settle = (layer: CostFactsLayer) => {
      if (!active) return;
      active = false;
      setAnswer({ key, layer });
    };
    const timer = setTimeout(
      () =>
        settle(
          unavailable(
            entityRef,
            `no answer within ${COST_FACTS_TIMEOUT_MS / 1000} s`,
          ),
        ),
      COST_FACTS_TIMEOUT_MS,
    );
    // Promise.resolve().then: an implementation that throws instead of rejecting is read the same way.
    Promise.resolve()
      .then(() =>
        api.getCostFacts({
          entityRef,
          calculatorId,
          inputIds: costFactInputIds(calculatorId),
        }),
      )
      .then(
        facts => settle({ state: 'done', facts: facts ?? {}, warnings: [] }),
        e =>
          settle(
            unavailable(entityRef, e instanceof Error ? e.message : String(e)),
          ),
      );
    return () => {
      active = false;
      clearTimeout(timer);
    };
  }, [api, calculatorId, entityRef, key]);
  if (!key) return NONE;
  return answer?.key === key ? answer.layer : LOADING;
}

function isFactValue(value: unknown): value is CostFact['value'] {
  return (
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
  );
}

/**
 * The facts as a prefill layer for the inputs asked for, each with its chip source: the
 * system's label, its date and its age on `asOf`. A date that is not YYYY-MM-DD, or one after
 * `asOf` (a negative age would read as fresh), leaves the age unknown.
 */
export function costFactsPrefill(
  layer: Extract<CostFactsLayer, { state: 'done' }>,
  inputIds: readonly string[],
  asOf: string,
): Prefill {
  const prefill: Prefill = {
    values: {},
    sources: {},
    warnings: layer.warnings,
  };
  for (const id of inputIds) {
    const fact = layer.facts[id];
    if (!fact || !isFactValue(fact.value)) continue;
    const source: Extract<InputSource, { kind: 'cost-facts' }> = {
      kind: 'cost-facts',
      label: fact.source,
    };
    if (isIsoDate(fact.asOf)) {
      source.asOf = fact.asOf;
      const ageDays = isIsoDate(asOf) ? daysBetween(fact.asOf, asOf) : -1;
      if (ageDays >= 0) source.ageDays = ageDays;
    }
    prefill.values[id] = fact.value;
    prefill.sources[id] = source;
  }
  return prefill;
}

/**
 * Drops the stale-annotation warnings of annotations no input is read from any more: one
 * a cost fact replaced would otherwise warn about a value the form does not use.
 */
export function withoutReplacedStaleWarnings(prefill: Prefill): Prefill {
  const readKeys = new Set(
    Object.values(prefill.sources).flatMap(s =>
      s.kind === 'annotation' ? [s.key] : [],
    ),
  );
  return {
    ...prefill,
    warnings: prefill.warnings.filter(
      w => w.kind !== 'stale-annotation' || readKeys.has(w.subject ?? ''),
    ),
  };
}
