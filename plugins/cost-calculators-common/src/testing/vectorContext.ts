import { applyPriceBookOverrides } from '../priceBook/applyPriceBookOverrides';
import { DEFAULT_PRICE_BOOK } from '../priceBook/defaultPriceBook';
import type {
  CalcContext,
  CalcOutcome,
  CalcResult,
  InputError,
  Output,
} from '../types';

/** The note's vector date (§4). */
export const VECTOR_AS_OF = '2026-11-23';

/** Context of the §4 vectors: default book v2026.11.0, asOf 2026-11-23. */
export function vectorContext(
  overrides: Partial<CalcContext> = {},
): CalcContext {
  return {
    asOf: VECTOR_AS_OF,
    priceBook: applyPriceBookOverrides(DEFAULT_PRICE_BOOK),
    ...overrides,
  };
}

/** Unwraps a successful outcome, failing the test with the errors otherwise. */
export function expectOk(outcome: CalcOutcome): CalcResult {
  if (!outcome.ok)
    throw new Error(
      `expected a result, got errors: ${JSON.stringify(outcome.errors)}`,
    );
  return outcome.result;
}

/** Unwraps a failed outcome. */
export function expectErrors(outcome: CalcOutcome): InputError[] {
  if (outcome.ok)
    throw new Error(
      `expected errors, got ${outcome.result.recommendation.sentence}`,
    );
  return outcome.errors;
}

/** An output by id (throws when missing so a renamed output fails loudly). */
export function output(result: CalcResult, id: string): Output {
  const found = result.outputs.find(o => o.id === id);
  if (!found)
    throw new Error(
      `no output ${id} in ${result.outputs.map(o => o.id).join(', ')}`,
    );
  return found;
}

/** Display values of several outputs, for table assertions. */
export function displays(
  result: CalcResult,
  ids: string[],
): Record<string, string> {
  return Object.fromEntries(ids.map(id => [id, output(result, id).display]));
}

/** Status of a rule. */
export function ruleStatus(result: CalcResult, id: string): string | undefined {
  return result.rules.find(r => r.id === id)?.status;
}
