import { screen, within } from '@testing-library/react';
import { renderInTestApp, renderTestApp } from '@backstage/frontend-test-utils';
import scorecardsPlugin from '../alpha';
import { recordImplicitRoutingWarnings } from '@internal/suite-react';
import { FakeScorecardsApi, campaign } from '../__testUtils__/fixtures';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { scorecardsApiRef } from '../api';
import {
  campaignRouteRef,
  campaignsRouteRef,
  checksRouteRef,
  rootRouteRef,
} from '../routes';
import {
  NewSystemCampaignPage,
  NewSystemCampaignsPage,
  NewSystemRollupsPage,
} from './NewSystemPages';

jest.setTimeout(30_000);

const mountedRoutes = {
  '/catalog/:namespace/:kind/:name': entityRouteRef,
  '/scorecards': rootRouteRef,
  '/scorecards/checks': checksRouteRef,
  '/scorecards/campaigns': campaignsRouteRef,
  '/scorecards/campaigns/:id': campaignRouteRef,
};

function navLinks() {
  return within(screen.getByRole('navigation', { name: 'Scorecards pages' }))
    .getAllByRole('link')
    .map(l => [l.textContent, l.getAttribute('href')]);
}

describe('pages in the new frontend system', () => {
  it('the rollups page links to the checks and campaigns pages through their route refs', async () => {
    await renderInTestApp(<NewSystemRollupsPage />, {
      apis: [[scorecardsApiRef, new FakeScorecardsApi()]],
      mountedRoutes,
      mountPath: '/scorecards',
      initialRouteEntries: ['/scorecards'],
    });
    await screen.findByRole('table', { name: 'Scorecard rollups by owner' });
    expect(navLinks()).toEqual([
      ['Checks', '/scorecards/checks'],
      ['Campaigns', '/scorecards/campaigns'],
    ]);
  });

  it('the campaign page reads its id from the route', async () => {
    const api = new FakeScorecardsApi();
    api.campaigns = [campaign()];
    await renderInTestApp(<NewSystemCampaignPage />, {
      apis: [[scorecardsApiRef, api]],
      mountedRoutes,
      mountPath: '/scorecards/campaigns/:id',
      initialRouteEntries: ['/scorecards/campaigns/q2-production-ready'],
    });
    expect(
      await screen.findByRole('heading', {
        level: 2,
        name: 'Campaign: Everyone to L2 by June',
      }),
    ).toBeInTheDocument();
    expect(api.calls).toContainEqual({
      method: 'getCampaign',
      arg: 'q2-production-ready',
    });
  });

  it('the campaigns list links each campaign to its page', async () => {
    const api = new FakeScorecardsApi();
    api.campaigns = [campaign()];
    await renderInTestApp(<NewSystemCampaignsPage />, {
      apis: [[scorecardsApiRef, api]],
      mountedRoutes,
      mountPath: '/scorecards/campaigns',
      initialRouteEntries: ['/scorecards/campaigns'],
    });
    expect(
      await screen.findByRole('link', { name: 'Everyone to L2 by June' }),
    ).toHaveAttribute('href', '/scorecards/campaigns/q2-production-ready');
  });
});

describe('React Router context given explicitly (no implicit v6 routing)', () => {
  // The plugin's own page extensions, routed by the app as in production.
  const implicitRoutingWarnings = recordImplicitRoutingWarnings();

  it.each([
    ['/scorecards', 'Checks'],
    ['/scorecards/checks', 'Campaigns'],
    ['/scorecards/campaigns', 'Everyone to L2 by June'],
  ] as const)(
    '%s renders its links without the warning',
    async (path, link) => {
      const api = new FakeScorecardsApi();
      api.campaigns = [campaign()];
      await renderTestApp({
        features: [scorecardsPlugin],
        apis: [[scorecardsApiRef, api]],
        initialRouteEntries: [path],
      });
      await screen.findByRole('link', { name: link });
      expect(implicitRoutingWarnings()).toEqual([]);
    },
  );
});
