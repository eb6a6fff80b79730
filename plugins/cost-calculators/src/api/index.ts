export { costCalculatorsApiRef } from './CostCalculatorsApi';
export type {
  CostCalculatorsApi,
  CostCalculatorsContext,
} from './CostCalculatorsApi';
export { CostCalculatorsClient } from './CostCalculatorsClient';
