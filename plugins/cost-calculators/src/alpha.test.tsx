import { createExtensionTester } from '@backstage/frontend-test-utils';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import plugin, { costCalculatorCards } from './alpha';
import { ordersDb } from './__testUtils__/testContext';

describe('cost-calculators plugin (new frontend system)', () => {
  it('has the id, the api, the page and one card per card-table row', () => {
    expect(plugin.id).toBe('cost-calculators');
    expect(plugin.getExtension('api:cost-calculators')).toBeDefined();
    expect(plugin.getExtension('page:cost-calculators')).toBeDefined();
    expect(costCalculatorCards).toHaveLength(11);
    expect(
      plugin.getExtension('entity-card:cost-calculators/commitment'),
    ).toBeDefined();
  });

  it('filters each card by its triggers', () => {
    const applies = (name: string, entity = ordersDb) =>
      createExtensionTester(
        plugin.getExtension(`entity-card:cost-calculators/${name}` as any),
      ).get(EntityCardBlueprint.dataRefs.filterFunction)(entity);
    expect(applies('commitment')).toBe(true);
    expect(applies('licensing')).toBe(true);
    expect(applies('schedule')).toBe(false); // orders-db is prod
    expect(applies('bigquery')).toBe(false);
    expect(applies('commitment', { ...ordersDb, kind: 'Component' })).toBe(
      false,
    );
  });
});
