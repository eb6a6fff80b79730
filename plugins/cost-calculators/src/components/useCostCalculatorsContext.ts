import { useApi } from '@backstage/frontend-plugin-api';
import { AsyncResult, useAsyncResult } from '@internal/suite-react';
import {
  CostCalculatorsContext,
  costCalculatorsApiRef,
} from '../api/CostCalculatorsApi';

/** Loading state of the calculators' context. */
export type ContextState = AsyncResult<CostCalculatorsContext>;

/** Loads the price book and settings once per mount. */
export function useCostCalculatorsContext(): ContextState {
  const api = useApi(costCalculatorsApiRef);
  return useAsyncResult(() => api.getContext(), [api]);
}
