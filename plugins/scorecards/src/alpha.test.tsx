import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import plugin from './alpha';
import { checkoutService } from './__testUtils__/fixtures';

describe('scorecards plugin (new frontend system)', () => {
  it('has the id, the api, the card, the tab and the page', () => {
    expect(plugin.pluginId).toBe('scorecards');
    expect(plugin.getExtension('api:scorecards')).toBeDefined();
    expect(plugin.getExtension('entity-card:scorecards')).toBeDefined();
    expect(plugin.getExtension('entity-content:scorecards')).toBeDefined();
    expect(plugin.getExtension('page:scorecards')).toBeDefined();
    expect(plugin.getExtension('page:scorecards/checks')).toBeDefined();
    expect(plugin.getExtension('page:scorecards/campaigns')).toBeDefined();
    expect(plugin.getExtension('page:scorecards/campaign')).toBeDefined();
    expect(
      plugin.getExtension('catalog-filter:scorecards/scorecard-level'),
    ).toBeDefined();
  });

  it.each([
    ['page:scorecards', '/scorecards'],
    ['page:scorecards/checks', '/scorecards/checks'],
    ['page:scorecards/campaigns', '/scorecards/campaigns'],
    ['page:scorecards/campaign', '/scorecards/campaigns/:id'],
  ])('%s is a page at %s with a route ref', (id, path) => {
    const tester = createExtensionTester(
      plugin.getExtension(id as Parameters<typeof plugin.getExtension>[0]),
    );
    expect(tester.get(coreExtensionData.routePath)).toBe(path);
    expect(tester.get(coreExtensionData.routeRef)).toBeDefined();
  });

  it('adds one sidebar item, Scorecards: the checks and campaigns pages have no icon of their own', async () => {
    renderTestApp({ features: [plugin], initialRouteEntries: ['/'] });
    expect(
      await screen.findByRole('link', { name: 'Scorecards' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: 'Scorecard checks' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: 'Scorecard campaigns' }),
    ).not.toBeInTheDocument();
  });

  it('attaches the level filter to the catalog page’s filters and renders the picker', async () => {
    const ext = plugin.getExtension(
      'catalog-filter:scorecards/scorecard-level',
    );
    expect(ext).toMatchObject({
      attachTo: { id: 'page:catalog', input: 'filters' },
    });
    const element = await createExtensionTester(ext).get(
      coreExtensionData.reactElement,
    );
    expect(element).toBeDefined();
  });

  it('shows the card on Component, Resource, API and System only', () => {
    const filter = createExtensionTester(
      plugin.getExtension('entity-card:scorecards'),
    ).get(EntityCardBlueprint.dataRefs.filterFunction);
    expect(filter).toBeDefined();
    const applies = (kind: string) => filter!({ ...checkoutService, kind });
    expect(['Component', 'Resource', 'API', 'System'].map(applies)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['Group', 'User', 'Domain', 'Template'].map(applies)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});
