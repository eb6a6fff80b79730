import { createApiRef } from '@backstage/frontend-plugin-api';
import type { CalculatorId } from '@internal/plugin-cost-calculators-common';

/** What a calculator asks the adopter's cost facts for. */
export interface CostFactsRequest {
  /** The entity the calculator is prefilled for (`resource:default/orders-db`). */
  entityRef: string;
  /** The calculator being prefilled (`ri-vs-rightsize`, …). */
  calculatorId: CalculatorId;
  /**
   * The calculator's inputs a fact may fill (`currentMonthly`, `p95CpuPercent`, …): every
   * single-valued input of its form. Values for other ids are ignored.
   */
  inputIds: string[];
}

/** One measured value for one input. */
export interface CostFact {
  /**
   * The value as the input takes it: a decimal string for money and percentages
   * (`'10000.50'`, never a float you rounded), a number for counts, a boolean or an enum
   * value. It is validated like a typed value: a bad one shows the field's message. Text
   * that trims to nothing is no fact; a boolean for an input that is not yes/no (or any
   * other type) is ignored with a notice.
   */
  value: string | number | boolean;
  /** The system it was read from, shown on the chip: `billing export`, `cost insights`. */
  source: string;
  /**
   * The date it was measured (YYYY-MM-DD); the chip shows its age, or "age unknown" without it
   * (a date after the computation date is ignored with a notice).
   */
  asOf?: string;
}

/**
 * Measured cost facts for an entity, from the system that measures them (§1: billing export,
 * a Cost Insights client): the prefill layer between a share link and the entity's
 * annotations. Optional: nothing registers it by default, and without it the calculators
 * prefill from annotations as before.
 *
 * A fact wins over the annotation for the same input whatever their dates (precedence is by
 * layer); its chip shows its age. A rejected promise is not an error for the card: the
 * annotations are used and a notice says the cost facts could not be read. The rejection's
 * message is shown on screen only (URL credentials masked), never in the markdown export.
 */
export interface CostFactsApi {
  /** Facts by input id, or `undefined` (or `{}`) when there are none for this entity. */
  getCostFacts(
    request: CostFactsRequest,
  ): Promise<Record<string, CostFact> | undefined>;
}

/** API reference of the optional {@link CostFactsApi}; read it with `useApiHolder().get(…)`. */
export const costFactsApiRef = createApiRef<CostFactsApi>().with({
  id: 'plugin.cost-calculators.cost-facts',
});
