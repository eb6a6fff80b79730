export { costCalculatorsApiRef } from './CostCalculatorsApi';
export type {
  CostCalculatorsApi,
  CostCalculatorsContext,
} from './CostCalculatorsApi';
export { CostCalculatorsClient } from './CostCalculatorsClient';
export { costFactsApiRef } from './CostFactsApi';
export type { CostFact, CostFactsApi, CostFactsRequest } from './CostFactsApi';
