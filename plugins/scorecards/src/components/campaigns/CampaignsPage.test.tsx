import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  FakeScorecardsApi,
  campaign,
  responseError,
} from '../../__testUtils__/fixtures';
import { scorecardsApiRef } from '../../api';
import { ScorecardsLinksProvider } from '../ScorecardsLinks';
import { CampaignsPageContent } from './CampaignsPage';

jest.setTimeout(30_000);

async function renderPage(api: FakeScorecardsApi) {
  await renderInTestApp(
    <ScorecardsLinksProvider
      value={{
        rollups: '/scorecards',
        checks: '/scorecards/checks',
        campaigns: '/scorecards/campaigns',
        campaign: id => `/scorecards/campaigns/${id}`,
      }}
    >
      <CampaignsPageContent />
    </ScorecardsLinksProvider>,
    { apis: [[scorecardsApiRef, api]] },
  );
}

describe('CampaignsPageContent', () => {
  it('lists campaigns (active first, then by due date) and links to each', async () => {
    const api = new FakeScorecardsApi();
    api.campaigns = [
      campaign({ id: 'old', title: 'Old push', state: 'ended' }),
      campaign(),
      campaign({
        id: 'owners-first',
        title: 'Owners everywhere',
        dueAt: '2026-04-01T00:00:00Z',
      }),
    ];
    await renderPage(api);
    const table = await screen.findByRole('table', {
      name: 'Scorecard campaigns',
    });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(
      rows.map(r => within(r).getByRole('link').getAttribute('href')),
    ).toEqual([
      '/scorecards/campaigns/owners-first',
      '/scorecards/campaigns/q2-production-ready',
      '/scorecards/campaigns/old',
    ]);
    expect(
      within(rows[1])
        .getAllByRole('cell')
        .map(c => c.textContent),
    ).toEqual([
      'active',
      'group:default/platform-team',
      'Reach L2 · Production-ready',
      '2026-03-01',
      '2026-06-30',
      '3 of 9 (33 %)',
      '5',
      '1',
      '0',
    ]);
    // The heading links to the other pages, not to this one.
    expect(
      within(screen.getByRole('navigation', { name: 'Scorecards pages' }))
        .getAllByRole('link')
        .map(l => l.textContent),
    ).toEqual(['Rollups', 'Checks']);
  });

  it('has an empty state and an error state with Retry', async () => {
    const api = new FakeScorecardsApi();
    api.campaignError = await responseError(
      500,
      'campaigns table missing',
      'Error',
    );
    await renderPage(api);
    expect(
      await screen.findByText(/campaigns table missing/),
    ).toBeInTheDocument();
    api.campaignError = undefined;
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('No campaigns yet')).toBeInTheDocument();
  });
});
