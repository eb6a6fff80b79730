/**
 * Cost decision calculators on entity pages and at `/cost-calculators`.
 *
 * The new-frontend-system plugin is the default export of `./alpha`; this
 * entry point holds the legacy exports and the API.
 *
 * @packageDocumentation
 */
export {
  costCalculatorsPlugin,
  EntityCostCalculatorsCard,
  CostCalculatorsPage,
} from './plugin';
export * from './api';
export type {
  CostCalculatorCardProps,
  CostCalculatorCardsProps,
} from './components/CostCalculatorCard';
