import {
  ApiBlueprint,
  PageBlueprint,
  coreApis,
  createFrontendPlugin,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import {
  CARDS,
  CardDefinition,
  shouldRenderCard,
} from '@internal/plugin-cost-calculators-common';
import MoneyIcon from '@material-ui/icons/MonetizationOn';
import { CostCalculatorsClient, costCalculatorsApiRef } from './api';
import { rootRouteRef } from './routes';
import { dependedOnResources } from './components/componentBudget';

/** The price book and settings from app-config. @alpha */
export const costCalculatorsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: costCalculatorsApiRef,
      deps: { configApi: coreApis.config },
      factory: ({ configApi }) => new CostCalculatorsClient({ configApi }),
    }),
});

/** `/cost-calculators`: every calculator, usable without an entity; `/cost-calculators/:id` opens one. @alpha */
export const costCalculatorsPage = PageBlueprint.make({
  params: {
    path: '/cost-calculators',
    routeRef: rootRouteRef,
    title: 'Cost calculators',
    icon: <MoneyIcon fontSize="inherit" />,
    loader: () =>
      // The app's page header is the page's h1 (Backstage's plugin header names the page).
      import('./components/CostCalculatorsPage').then(m => (
        <m.CostCalculatorsContent heading={false} />
      )),
  },
});

function makeCard(card: CardDefinition) {
  return EntityCardBlueprint.make({
    name: card.id,
    params: {
      type: 'content',
      // The trigger table of §1: no card at all when the triggers do not hold.
      filter: entity => shouldRenderCard(card, entity),
      loader: () =>
        import('./components/CostCalculatorCard').then(m => (
          <m.CostCalculatorCard cardId={card.id} />
        )),
    },
  });
}

/** One entity card per row of the note's card table (commitment, bigquery, licensing, …). @alpha */
export const costCalculatorCards = CARDS.map(makeCard);

/**
 * The connection-budget card on a Component's page, scoped to its row (§1 card table). The
 * filter sees only that the Component depends on a Resource; the card renders nothing unless
 * one of them is a database with `max-connections`. @alpha
 */
export const componentConnectionBudgetCard = EntityCardBlueprint.make({
  name: 'connection-budget-component',
  params: {
    type: 'content',
    filter: entity => dependedOnResources(entity).length > 0,
    loader: () =>
      import('./components/ComponentConnectionBudgetCard').then(m => (
        <m.ComponentConnectionBudgetCard />
      )),
  },
});

/** The cost-calculators plugin for the new frontend system. @alpha */
export default createFrontendPlugin({
  pluginId: 'cost-calculators',
  // name, version and links for the app's plugin info and `app.pluginOverrides` matching
  info: { packageJson: () => import('../package.json') },
  title: 'Cost calculators',
  icon: <MoneyIcon fontSize="inherit" />,
  routes: { root: rootRouteRef },
  extensions: [
    costCalculatorsApi,
    costCalculatorsPage,
    ...costCalculatorCards,
    componentConnectionBudgetCard,
  ],
});
