import { screen, within } from '@testing-library/react';
import type { FrontendFeature } from '@backstage/frontend-plugin-api';
import { renderTestApp } from '@backstage/frontend-test-utils';
import catalogImportPlugin from '@backstage/plugin-catalog-import/alpha';
import costCalculatorsPlugin from '@internal/plugin-cost-calculators/alpha';
import goldenPathsPlugin from '@internal/plugin-golden-paths/alpha';
import scorecardsPlugin from '@internal/plugin-scorecards/alpha';
import { navModule } from './index';

// Legacy (core-plugin-api) components that need the old app context, which the test app
// lacks; they are not what these tests are about.
jest.mock('@backstage/plugin-search', () => ({
  SidebarSearchModal: () => null,
}));
jest.mock('@backstage/plugin-notifications', () => ({
  NotificationsSidebarItem: () => null,
}));

/** The suite's nav items: each must show at 1280×800 without hovering or scrolling. */
const suiteItemTitles = ['Scorecards', 'Approvals', 'Cost calculators'];

/** The nearest ancestor of `element` (inside `root`) that clips what overflows it, if any. */
function clippingAncestor(element: HTMLElement, root: HTMLElement) {
  for (let node = element.parentElement; node && node !== root; ) {
    const { overflowY } = window.getComputedStyle(node);
    if (
      overflowY === 'hidden' ||
      overflowY === 'auto' ||
      overflowY === 'scroll'
    ) {
      return node;
    }
    node = node.parentElement;
  }
  return undefined;
}

/** Pages with nav items: the suite's and one the nav leaves out. */
const pluginsWithNavItems: FrontendFeature[] = [
  scorecardsPlugin,
  goldenPathsPlugin,
  costCalculatorsPlugin,
  catalogImportPlugin,
];

async function renderSidebar() {
  renderTestApp({ features: [navModule, ...pluginsWithNavItems] });
  return screen.findByRole('navigation', { name: 'sidebar nav' });
}

describe('SidebarContent', () => {
  it('lists the suite items outside the clipped scroll region', async () => {
    const nav = await renderSidebar();

    for (const title of suiteItemTitles) {
      const link = await within(nav).findByRole('link', { name: title });
      expect(clippingAncestor(link, nav)).toBeUndefined();
    }
  });

  it('leaves out Register Existing Component, which the Create page links to', async () => {
    const nav = await renderSidebar();

    await within(nav).findByRole('link', { name: 'Scorecards' });
    expect(
      within(nav).queryByRole('link', { name: 'Register Existing Component' }),
    ).not.toBeInTheDocument();
  });
});
