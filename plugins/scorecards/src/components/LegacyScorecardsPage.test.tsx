import { screen, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { FakeScorecardsApi, campaign } from '../__testUtils__/fixtures';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { scorecardsApiRef } from '../api';
import { legacyRootRouteRef } from '../routes';
import { LegacyScorecardsPage } from './LegacyScorecardsPage';

jest.setTimeout(30_000);

async function renderAt(path: string, api: FakeScorecardsApi) {
  await renderInTestApp(
    <TestApiProvider apis={[[scorecardsApiRef, api]]}>
      <Routes>
        <Route path="/scorecards/*" element={<LegacyScorecardsPage />} />
      </Routes>
    </TestApiProvider>,
    {
      routeEntries: [path],
      mountedRoutes: {
        '/scorecards': legacyRootRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    },
  );
}

describe('LegacyScorecardsPage', () => {
  it('serves the checks page below its mount path, linking back through its sub-route refs', async () => {
    await renderAt('/scorecards/checks', new FakeScorecardsApi());
    expect(
      await screen.findByRole('heading', {
        level: 2,
        name: 'Scorecard checks',
      }),
    ).toBeInTheDocument();
    // one h1 on the page, the page header's: the page's own heading is below it
    expect(
      screen.getAllByRole('heading', { level: 1 }).map(h => h.textContent),
    ).toEqual(['Scorecards']);
    expect(
      within(screen.getByRole('navigation', { name: 'Scorecards pages' }))
        .getAllByRole('link')
        .map(l => l.getAttribute('href')),
    ).toEqual(['/scorecards', '/scorecards/campaigns']);
  });

  it('serves a campaign at campaigns/:id', async () => {
    const api = new FakeScorecardsApi();
    api.campaigns = [campaign()];
    await renderAt('/scorecards/campaigns/q2-production-ready', api);
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
});
