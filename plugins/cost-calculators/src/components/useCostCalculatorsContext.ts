import { useEffect, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  CostCalculatorsContext,
  costCalculatorsApiRef,
} from '../api/CostCalculatorsApi';

/** Loading state of the calculators' context. */
export type ContextState =
  | { loading: true }
  | { loading: false; error: Error }
  | { loading: false; value: CostCalculatorsContext };

/** Loads the price book and settings once per mount. */
export function useCostCalculatorsContext(): ContextState {
  const api = useApi(costCalculatorsApiRef);
  const [state, setState] = useState<ContextState>({ loading: true });
  useEffect(() => {
    let active = true;
    api.getContext().then(
      value => active && setState({ loading: false, value }),
      error =>
        active &&
        setState({
          loading: false,
          error: error instanceof Error ? error : new Error(String(error)),
        }),
    );
    return () => {
      active = false;
    };
  }, [api]);
  return state;
}
