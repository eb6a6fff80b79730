import { createExtensionTester } from '@backstage/frontend-test-utils';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { CARDS } from '@internal/plugin-cost-calculators-common';
import plugin, {
  componentConnectionBudgetCard,
  costCalculatorCards,
} from './alpha';
import { ordersDb } from './__testUtils__/testContext';

describe('cost-calculators plugin (new frontend system)', () => {
  it('has the id, the api, the page and one card per card-table row', () => {
    expect(plugin.pluginId).toBe('cost-calculators');
    expect(plugin.getExtension('api:cost-calculators')).toBeDefined();
    expect(plugin.getExtension('page:cost-calculators')).toBeDefined();
    expect(costCalculatorCards).toHaveLength(CARDS.length);
  });

  it('filters each card by its triggers', () => {
    const applies = (cardId: string, entity = ordersDb) => {
      const filter = createExtensionTester(
        costCalculatorCards[CARDS.findIndex(c => c.id === cardId)],
      ).get(EntityCardBlueprint.dataRefs.filterFunction);
      return filter?.(entity);
    };
    expect(applies('commitment')).toBe(true);
    expect(applies('licensing')).toBe(true);
    expect(applies('schedule')).toBe(false); // orders-db is prod
    expect(applies('bigquery')).toBe(false);
    expect(applies('commitment', { ...ordersDb, kind: 'Component' })).toBe(
      false,
    );
  });

  it('registers the Component-scoped connection budget for Components that depend on a Resource', () => {
    // The plugin's id type names only its literal extensions; the cards are built from data.
    const getExtension = plugin.getExtension as (id: string) => unknown;
    expect(
      getExtension.call(
        plugin,
        'entity-card:cost-calculators/connection-budget-component',
      ),
    ).toBeDefined();
    const filter = createExtensionTester(componentConnectionBudgetCard).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    )!;
    const service = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'order-service' },
      spec: {},
    };
    expect(
      filter({
        ...service,
        relations: [
          { type: 'dependsOn', targetRef: 'resource:default/orders-db' },
        ],
      }),
    ).toBe(true);
    expect(
      filter({
        ...service,
        relations: [
          { type: 'dependsOn', targetRef: 'component:default/pricing' },
        ],
      }),
    ).toBe(false);
    // The database itself has the row card of the card table, not this one.
    expect(filter(ordersDb)).toBe(false);
  });
});
